// The recent decode speeds of each (model, backend), the short-term side of the throughput regression
// rule; the 7-day baseline comes from the store. Medians, not means: one request with a huge prompt or
// a cold cache must not move either side.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The last `size` decode tok/s per key; bounded in keys too, since model names come from the log. */
export class DecodeWindows {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly size: number,
    private readonly maxKeys = 1000,
  ) {}

  /** Adds one request's speed and returns the window (oldest first). */
  push(key: string, tps: number): readonly number[] {
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, (w = []));
    }
    w.push(tps);
    if (w.length > this.size) w.shift();
    return w;
  }

  clear(key: string): void {
    this.windows.delete(key);
  }
}
