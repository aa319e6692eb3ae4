// The agent's own health in numbers: how fast it reads, what it could not parse, how far
// behind it is and the WebSocket clients it has (and dropped). Shown in /api/health's `self` and
// exported by /metrics.
import type { AgentSelfStats, SourceStatus } from '../../shared/status.js';

export interface SelfStatsDeps {
  sources: () => SourceStatus[];
  ws: () => { clients: number; dropped: number };
  now?: () => number;
  /** The window `linesPerSecond` is averaged over. */
  windowMs?: number;
  /** How often lines read are sampled. */
  intervalMs?: number;
}

/** A rate over less than this is noise (or the very start): reported as unknown. */
const MIN_SPAN_MS = 1000;

export class SelfStats {
  private readonly samples: { t: number; lines: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(private readonly d: SelfStatsDeps) {
    this.now = d.now ?? Date.now;
    this.windowMs = d.windowMs ?? 60_000;
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.d.intervalMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Notes the lines read so far; old samples beyond the window are forgotten. */
  sample(sources: SourceStatus[] = this.d.sources()): void {
    const t = this.now();
    const lines = sources.reduce((sum, s) => sum + s.linesRead, 0);
    this.samples.push({ t, lines });
    // Keep one sample at or beyond the window's start so the rate spans the whole window.
    while (this.samples.length > 2 && this.samples[1]!.t <= t - this.windowMs) this.samples.shift();
  }

  current(): AgentSelfStats {
    const sources = this.d.sources();
    // Stored at most once a second however often health is asked; the latest figure is used anyway.
    const previous = this.samples[this.samples.length - 1];
    if (!previous || this.now() - previous.t >= MIN_SPAN_MS) this.sample(sources);
    const first = this.samples[0]!;
    const last = { t: this.now(), lines: sources.reduce((sum, s) => sum + s.linesRead, 0) };
    const span = last.t - first.t;
    const lag = sources.map((s) => s.lagBytes).filter((b): b is number => b !== null);
    const ws = this.d.ws();
    return {
      // A rotated or replaced file may restart its count: never a negative rate.
      linesPerSecond: span >= MIN_SPAN_MS ? Math.max(0, (last.lines - first.lines) / (span / 1000)) : null,
      parseErrors: sources.reduce((sum, s) => sum + s.unparsed, 0),
      lagBytes: lag.length > 0 ? lag.reduce((a, b) => a + b, 0) : null,
      wsClients: ws.clients,
      droppedWsClients: ws.dropped,
    };
  }
}
