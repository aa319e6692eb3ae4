// The timing behind the machine's alerts: how long memory pressure has been elevated (or back to
// normal), and how fast swap grows. They only measure; the engine decides what fires.
import type { PressureLevel } from '../../shared/memory.js';

/** Runs of consecutive samples at a level, so "sustained ≥ 30 s" means every sample in between agreed. */
export class PressureRun {
  private elevatedSince: number | null = null;
  private criticalSince: number | null = null;
  private normalSince: number | null = null;
  private lastMs: number | null = null;

  constructor(private readonly gapMs: number) {}

  update(level: PressureLevel, t: number): void {
    // Samples far apart (sleep, a stalled agent) say nothing about the time between them.
    if (this.lastMs !== null && t - this.lastMs > this.gapMs) this.elevatedSince = this.criticalSince = this.normalSince = null;
    this.lastMs = t;
    if (level === 'normal') {
      this.elevatedSince = this.criticalSince = null;
      this.normalSince ??= t;
      return;
    }
    this.normalSince = null;
    this.elevatedSince ??= t;
    if (level === 'critical') this.criticalSince ??= t;
    else this.criticalSince = null;
  }

  /** How long warn-or-critical has lasted, 0 when the latest sample was normal. */
  elevatedFor(t: number): number {
    return this.elevatedSince === null ? 0 : t - this.elevatedSince;
  }

  criticalFor(t: number): number {
    return this.criticalSince === null ? 0 : t - this.criticalSince;
  }

  normalFor(t: number): number {
    return this.normalSince === null ? 0 : t - this.normalSince;
  }
}

export interface SwapGrowth {
  /** Bytes per minute over the trailing window (negative when swap shrank). */
  perMin: number;
  grownBytes: number;
  spanMs: number;
  usedBytes: number;
}

/**
 * Swap used, as a rate over a trailing window rather than sample to sample: swap grows in bursts, and a
 * rate over one 5 s interval would fire on a single burst and resolve on the next quiet sample.
 */
export class SwapRate {
  private samples: { t: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly gapMs: number,
  ) {}

  push(t: number, bytes: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (t - last.t > this.gapMs || t < last.t)) this.samples = [];
    this.samples.push({ t, bytes });
    // Keep the newest sample at least one window old as the baseline, and everything after it.
    let base = 0;
    for (let i = 0; i < this.samples.length; i++) if (this.samples[i]!.t <= t - this.windowMs) base = i;
    if (base > 0) this.samples.splice(0, base);
  }

  /** Null until the history covers a whole window. */
  growth(t: number): SwapGrowth | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || first.t > t - this.windowMs || last.t === first.t) return null;
    const spanMs = last.t - first.t;
    const grownBytes = last.bytes - first.bytes;
    return { perMin: (grownBytes / spanMs) * 60_000, grownBytes, spanMs, usedBytes: last.bytes };
  }
}
