// Asks Ollama's API for its version: every `intervalMs` while it answers, with exponential backoff
// (up to `maxBackoffMs`) while it does not. Ollama being down is a normal state, not an error to log.
import type { OllamaStatus } from '../../shared/types.js';

export interface OllamaStatusPollerOptions {
  url: string;
  intervalMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  onChange?: (status: OllamaStatus) => void;
}

export class OllamaStatusPoller {
  private st: OllamaStatus;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(private readonly opts: OllamaStatusPollerOptions) {
    this.st = { url: opts.url, state: 'unknown', version: null, lastError: null, checkedAt: null };
  }

  status(): OllamaStatus {
    return this.st;
  }

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One check; exposed so tests need no timers. */
  async poll(): Promise<OllamaStatus> {
    const f = this.opts.fetch ?? fetch;
    const now = (this.opts.now ?? (() => new Date()))().toISOString();
    let next: OllamaStatus;
    try {
      const res = await f(`${this.opts.url}/api/version`, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 3000) });
      if (!res.ok) throw new Error(`HTTP ${res.status} from /api/version`);
      const body = (await res.json()) as { version?: unknown };
      next = {
        url: this.opts.url, state: 'reachable', version: typeof body.version === 'string' ? body.version : null,
        lastError: null, checkedAt: now,
      };
      this.failures = 0;
    } catch (err) {
      this.failures++;
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.cause?.code ?? (e.name === 'TimeoutError' ? 'timed out' : e.message);
      next = { url: this.opts.url, state: 'unreachable', version: this.st.version, lastError: String(reason), checkedAt: now };
    }
    const changed = next.state !== this.st.state || next.version !== this.st.version || next.lastError !== this.st.lastError;
    this.st = next;
    if (changed) this.opts.onChange?.(next);
    this.schedule();
    return next;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const base = this.opts.intervalMs ?? 5000;
    const delay = this.failures === 0 ? base : Math.min(base * 2 ** (this.failures - 1), this.opts.maxBackoffMs ?? 60_000);
    this.timer = setTimeout(() => void this.poll(), delay);
    this.timer.unref();
  }
}
