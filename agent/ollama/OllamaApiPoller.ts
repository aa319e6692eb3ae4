// Polls Ollama's API: /api/version + /api/ps every `intervalMs` while it answers, with exponential
// backoff (up to `maxBackoffMs`) while it does not. Ollama being down is a normal state: it shows in
// status(), never on the console. Each model that appears in /api/ps is described once with
// /api/show (architecture, weights blob, KV geometry), and /api/tags is read once per (re)connection
// so the doctor can list local models and tell MLX builds (format safetensors) from GGUF ones.
import type { LoadedModel } from '../../shared/models.js';
import type { OllamaStatus } from '../../shared/status.js';
import type { PsModel, ShowInfo, ShowResponse, TagModel } from './apiTypes.js';
import { kvGeometry } from '../kv/kvGeometry.js';
import { modelfileBlob } from './modelfileBlob.js';
import { OllamaApi, OllamaApiError } from './OllamaApi.js';

export interface OllamaApiPollerOptions {
  url: string;
  intervalMs?: number;
  maxBackoffMs?: number;
  /** Per request. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
  /** When state, version or lastError changes. */
  onStatus?: (status: OllamaStatus) => void;
  /** When the loaded-model list changes (see `sameModels`). `loadId` and `kv` are left null for the agent. */
  onModels?: (models: LoadedModel[]) => void;
  /** Once per newly described model, so the agent can map a log's blob path to a model name. */
  onShow?: (info: ShowInfo) => void;
  /** Ollama stopped answering while models were listed; models() is now empty. */
  onUnreachable?: () => void;
}

/** A failed /api/show (or /api/tags) is tried again after this long, not on every poll. */
export const RETRY_AFTER_MS = 60_000;

export class OllamaApiPoller {
  private readonly api: OllamaApi;
  private readonly clock: () => Date;
  private st: OllamaStatus;
  private loaded: LoadedModel[] = [];
  private tagList: TagModel[] = [];
  /** By manifest digest (else name): a re-pulled model under the same name is described again. */
  private readonly byKey = new Map<string, ShowInfo>();
  private readonly byName = new Map<string, ShowInfo>();
  private readonly showFailedAt = new Map<string, number>();
  private tagsDue = true;
  private tagsTriedAt: number | null = null;
  private failures = 0;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<OllamaStatus> | null = null;

  constructor(private readonly opts: OllamaApiPollerOptions) {
    this.api = new OllamaApi({ url: opts.url, fetch: opts.fetch, timeoutMs: opts.timeoutMs });
    this.clock = opts.now ?? (() => new Date());
    this.st = { url: opts.url, state: 'unknown', version: null, lastError: null, checkedAt: null };
  }

  status(): OllamaStatus {
    return this.st;
  }

  models(): LoadedModel[] {
    return this.loaded;
  }

  /** Local models from the last /api/tags. */
  tags(): TagModel[] {
    return this.tagList;
  }

  /** Every model described so far, by name. */
  described(): ReadonlyMap<string, ShowInfo> {
    return this.byName;
  }

  /** Start polling now and then on a timer. */
  start(): void {
    this.running = true;
    void this.poll();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One check (also used by the timer); tests call it directly and need no timers. */
  async poll(): Promise<OllamaStatus> {
    // A manual poll while the timer's is running shares it instead of doubling the requests.
    if (!this.inFlight) this.inFlight = this.check().finally(() => (this.inFlight = null));
    const st = await this.inFlight;
    this.schedule();
    return st;
  }

  /** Describe a model on demand (the doctor), from the cache when it was already described. */
  async describe(name: string): Promise<ShowInfo> {
    const known = this.byName.get(name);
    if (known) return known;
    const digest = this.tagList.find((t) => t.name === name)?.digest ?? null;
    const info = await this.fetchShow(name, digest);
    this.remember(digest ?? name, info);
    return info;
  }

  private async check(): Promise<OllamaStatus> {
    const now = this.clock();
    const checkedAt = now.toISOString();
    let version: string;
    try {
      version = (await this.api.version()).version;
    } catch (err) {
      this.failures++;
      this.tagsDue = true; // read the model list again once it is back
      this.tagsTriedAt = null;
      // What is loaded is unknowable now: models() is empty and status() says why. Listeners hear
      // "unreachable", not "nothing loaded": a poll that timed out while Ollama was busy is not an
      // unload, so the next answer (or its absence) decides what went.
      if (this.loaded.length > 0) {
        this.loaded = [];
        this.opts.onUnreachable?.();
      }
      this.setStatus({ url: this.opts.url, state: 'unreachable', version: this.st.version, lastError: reason(err), checkedAt });
      return this.st;
    }
    this.failures = 0;
    if (this.st.state !== 'reachable') {
      this.tagsDue = true;
      this.tagsTriedAt = null;
    }

    // A reachable server whose /api/ps fails (404 before Ollama 0.1.33) stays reachable, with the reason.
    let lastError: string | null = null;
    try {
      const ps = await this.api.ps();
      await this.describeNew(ps, now.getTime());
      this.setModels(ps.map((m) => this.toLoaded(m)));
    } catch (err) {
      lastError = reason(err);
    }
    await this.refreshTags(now.getTime());
    this.setStatus({ url: this.opts.url, state: 'reachable', version, lastError, checkedAt });
    return this.st;
  }

  /** /api/show for each loaded model not described yet; a failure waits RETRY_AFTER_MS. */
  private async describeNew(ps: PsModel[], nowMs: number): Promise<void> {
    for (const m of ps) {
      const key = m.digest ?? m.name;
      const cached = this.byKey.get(key);
      if (cached) {
        if (!this.byName.has(m.name)) this.byName.set(m.name, cached); // an alias of the same digest
        continue;
      }
      const failedAt = this.showFailedAt.get(key);
      if (failedAt !== undefined && nowMs - failedAt < RETRY_AFTER_MS) continue;
      try {
        const info = await this.fetchShow(m.name, m.digest);
        this.showFailedAt.delete(key);
        this.remember(key, info);
      } catch {
        this.showFailedAt.set(key, nowMs);
      }
    }
  }

  /** Non-verbose first (small); verbose only when per-layer arrays came back blanked. */
  private async fetchShow(name: string, digest: string | null): Promise<ShowInfo> {
    const info = showInfo(name, digest, await this.api.show(name), false);
    if (!info.geometry?.needsVerbose) return info;
    try {
      return showInfo(name, digest, await this.api.show(name, { verbose: true }), true);
    } catch {
      return info; // the rest of what non-verbose gave is still right; only the KV numbers stay null
    }
  }

  private remember(key: string, info: ShowInfo): void {
    this.byKey.set(key, info);
    this.byName.set(info.name, info);
    this.opts.onShow?.(info);
  }

  private toLoaded(m: PsModel): LoadedModel {
    const info = this.byKey.get(m.digest ?? m.name) ?? null;
    return {
      name: m.name,
      digest: m.digest,
      blob: info?.blob ?? null,
      format: m.details.format ?? info?.format ?? null,
      family: m.details.family ?? info?.family ?? null,
      architecture: info?.architecture ?? null,
      parameterSize: m.details.parameterSize ?? info?.parameterSize ?? null,
      quantization: m.details.quantizationLevel ?? info?.quantization ?? null,
      sizeBytes: m.sizeBytes,
      vramBytes: m.vramBytes,
      contextLength: m.contextLength,
      expiresAt: m.expiresAt,
      loadId: null,
      kv: null,
    };
  }

  /**
   * Emits only on a change. expires_at is compared too: it moves when a request resets the
   * keep-alive, which is a real change (the "unloads in" time), so an idle server emits nothing and
   * a busy one at most once per poll. The one jitter is a model still loading, for which Ollama
   * reports now + keep-alive on every call; that lasts only as long as the load.
   */
  private setModels(next: LoadedModel[]): void {
    if (sameModels(this.loaded, next)) return;
    this.loaded = next;
    this.opts.onModels?.(next);
  }

  /**
   * Once per (re)connection; again (at most once per RETRY_AFTER_MS) while it failed or while a
   * loaded model is missing from it, i.e. pulled after the list was read.
   */
  private async refreshTags(nowMs: number): Promise<void> {
    const missing = this.loaded.some((m) => !this.tagList.some((t) => t.name === m.name));
    if (!this.tagsDue && !missing) return;
    if (this.tagsTriedAt !== null && nowMs - this.tagsTriedAt < RETRY_AFTER_MS) return;
    this.tagsTriedAt = nowMs;
    try {
      this.tagList = await this.api.tags();
      this.tagsDue = false;
    } catch {
      // kept as due; the previous list stays
    }
  }

  private setStatus(next: OllamaStatus): void {
    const changed = next.state !== this.st.state || next.version !== this.st.version || next.lastError !== this.st.lastError;
    this.st = next;
    if (changed) this.opts.onStatus?.(next);
  }

  /** Next check after intervalMs, or intervalMs × 2^(failures − 1) capped at maxBackoffMs while down. */
  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const base = this.opts.intervalMs ?? 3000;
    const delay = this.failures === 0 ? base : Math.min(base * 2 ** (this.failures - 1), this.opts.maxBackoffMs ?? 60_000);
    this.timer = setTimeout(() => void this.poll(), delay);
    this.timer.unref();
  }
}

/** What one /api/show says about a model. Pure. */
export function showInfo(name: string, digest: string | null, show: ShowResponse, verbose: boolean): ShowInfo {
  const arch = show.modelInfo?.['general.architecture'];
  return {
    name,
    digest,
    architecture: typeof arch === 'string' && arch !== '' ? arch : null,
    blob: modelfileBlob(show.modelfile),
    format: show.details.format,
    family: show.details.family,
    parameterSize: show.details.parameterSize,
    quantization: show.details.quantizationLevel,
    capabilities: show.capabilities ?? [],
    geometry: show.modelInfo ? kvGeometry(show.modelInfo) : null,
    verbose,
  };
}

function sameModels(a: LoadedModel[], b: LoadedModel[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function reason(err: unknown): string {
  if (err instanceof OllamaApiError) return err.reason;
  return err instanceof Error ? err.message : String(err);
}
