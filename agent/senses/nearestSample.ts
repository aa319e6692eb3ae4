// Which machine sample describes a moment: the nearest one, and only when it lies within two
// sampling intervals of it. A backfill of old lines finds none (null), not today's figures. Pure.

export interface TimedSample<T> {
  /** Epoch ms of the sample. */
  ts: number;
  sample: T;
}

/** Samples within two sampling intervals count: one may be late or lost without losing the request's figures. */
export const NEAREST_SAMPLE_INTERVALS = 2;

export function nearestSample<T>(samples: readonly TimedSample<T>[], atMs: number, intervalMs: number): T | null {
  if (!Number.isFinite(atMs) || !(intervalMs > 0)) return null;
  const limit = NEAREST_SAMPLE_INTERVALS * intervalMs;
  let best: TimedSample<T> | null = null;
  let bestGap = Infinity;
  for (const s of samples) {
    const gap = Math.abs(s.ts - atMs);
    if (gap <= limit && gap < bestGap) {
      best = s;
      bestGap = gap;
    }
  }
  return best?.sample ?? null;
}
