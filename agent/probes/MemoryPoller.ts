// Polls a MemoryProbe on a fixed interval. Probes spawn processes, and top alone takes about a
// second: if one poll outlasts the interval the next tick is skipped rather than stacking a second
// round of processes on a machine that is likely slow because it is short of memory.
import type { MemorySample } from '../../shared/memory.js';
import type { MemoryProbe } from './MemoryProbe.js';

export interface MemoryPollerOptions {
  probe: MemoryProbe;
  intervalMs: number;
  now?: () => Date;
  onSample: (sample: MemorySample) => void;
  /** Gets whatever the probe or onSample threw; the poller keeps going either way. */
  onError?: (err: unknown) => void;
}

export class MemoryPoller {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<MemorySample> | null = null;
  private stopped = false;

  constructor(private readonly opts: MemoryPollerOptions) {}

  /** Polls now, then every `intervalMs`. The timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.timer.unref();
    this.tick();
  }

  /** No further polls; a poll already running finishes but its sample is not delivered. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One poll, delivered to onSample. While a poll is running this returns that same poll instead of
   * starting another. Rejects only if the probe itself threw; an onSample error goes to onError.
   */
  pollOnce(): Promise<MemorySample> {
    if (this.inFlight) return this.inFlight;
    const poll = this.poll();
    this.inFlight = poll;
    // Registered before any caller's handler, so a caller that polls again on settling finds it clear.
    poll.then(
      () => this.settled(poll),
      () => this.settled(poll),
    );
    return poll;
  }

  private async poll(): Promise<MemorySample> {
    const sample = await this.opts.probe.sample((this.opts.now ?? (() => new Date()))());
    if (!this.stopped) {
      try {
        this.opts.onSample(sample);
      } catch (err) {
        this.report(err);
      }
    }
    return sample;
  }

  private settled(poll: Promise<MemorySample>): void {
    if (this.inFlight === poll) this.inFlight = null;
  }

  private tick(): void {
    if (this.inFlight) return;
    this.pollOnce().catch((err: unknown) => this.report(err));
  }

  private report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // An error handler that throws must not turn into an unhandled rejection that ends the agent.
    }
  }
}
