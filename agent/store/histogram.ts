// Log-spaced histograms for the rollups' p50/p95 (tok/s, latency). Bucket i holds values in
// (GAMMA^(i-1), GAMMA^i]; with GAMMA = 1.08 a quantile read back is within 8% of the exact one
// (interpolated inside its bucket). Histograms of any two rollup rows merge by adding counts, so a
// 6-hour point is the exact sum of its minutes. Stored sparse as JSON `{"index": count}`; values at or
// below MIN_VALUE (zero, negative) share the bucket ZERO and read back as 0.

export const GAMMA = 1.08;
const LOG_GAMMA = Math.log(GAMMA);
export const MIN_VALUE = 1e-6;
/** Below every real index (MIN_VALUE is index -180). */
export const ZERO = -1000;

/**
 * Bucket index and count pairs, flat: [index, count, index, count, …]. A minute's rollup mostly holds
 * one or two values; as a Map (about 150 bytes empty, three per aggregate) its histograms were a tenth
 * of the store's allocations in a backfill, as pairs a few dozen bytes.
 */
export type Histogram = number[];

export function bucketIndex(value: number): number {
  if (!(value > MIN_VALUE)) return ZERO;
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

function addCount(h: Histogram, index: number, count: number): void {
  for (let k = 0; k < h.length; k += 2) {
    if (h[k] === index) {
      h[k + 1]! += count;
      return;
    }
  }
  h.push(index, count);
}

export function add(h: Histogram, value: number, count = 1): void {
  addCount(h, bucketIndex(value), count);
}

/** Adds `from` into `into`. */
export function merge(into: Histogram, from: Histogram): Histogram {
  for (let k = 0; k < from.length; k += 2) addCount(into, from[k]!, from[k + 1]!);
  return into;
}

export function total(h: Histogram): number {
  let n = 0;
  for (let k = 1; k < h.length; k += 2) n += h[k]!;
  return n;
}

/**
 * The q-quantile (0..1) estimated from the histogram, or null when it is empty: the bucket holding
 * rank q·(n−1), interpolated geometrically by the rank's place among that bucket's values, and kept
 * within [lo, hi] when the exact extremes are known.
 */
export function quantile(h: Histogram, q: number, lo?: number | null, hi?: number | null): number | null {
  const d = new Dense();
  for (let k = 0; k < h.length; k += 2) d.add(h[k]!, h[k + 1]!);
  return d.quantile(q, lo, hi);
}

/** Indices kept apart in a Dense histogram (values ~1e-7 … 2e13); outside ones join the end slots. */
const LO = -200;
const HI = 400;

/**
 * A histogram as a flat array, for merging many stored ones fast (chart queries): slot 0 counts
 * zeros, slot i − LO + 1 counts index i.
 */
export class Dense {
  readonly counts = new Float64Array(HI - LO + 2);
  n = 0;

  add(index: number, count: number): void {
    this.counts[index === ZERO ? 0 : Math.min(Math.max(index, LO), HI) - LO + 1]! += count;
    this.n += count;
  }

  /**
   * Adds stored histograms (`encode`'s output, one or several concatenated as SQLite's group_concat
   * gives them), read without JSON.parse: each `"index":count` pair is added; everything else separates.
   */
  addEncoded(s: string | null | undefined): void {
    if (!s) return;
    const len = s.length;
    let i = 0;
    while (i < len) {
      if (s.charCodeAt(i) !== 34 /* " */) {
        i++;
        continue;
      }
      i++;
      const negative = s.charCodeAt(i) === 45; /* - */
      if (negative) i++;
      let index = 0;
      let c: number;
      while (i < len && (c = s.charCodeAt(i)) !== 34) {
        index = index * 10 + c - 48;
        i++;
      }
      i += 2; // ":
      let n = 0;
      while (i < len && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
        n = n * 10 + c - 48;
        i++;
      }
      this.add(negative ? -index : index, n);
    }
  }

  quantile(q: number, lo?: number | null, hi?: number | null): number | null {
    if (this.n === 0) return null;
    const rank = Math.min(Math.max(q, 0), 1) * (this.n - 1);
    let before = 0;
    let estimate = 0;
    for (let slot = 0; slot < this.counts.length; slot++) {
      const c = this.counts[slot]!;
      if (c === 0) continue;
      if (before + c > rank) {
        estimate = slot === 0 ? 0 : GAMMA ** (slot + LO - 2 + (rank - before + 0.5) / c);
        break;
      }
      before += c;
    }
    if (lo !== undefined && lo !== null) estimate = Math.max(estimate, lo);
    if (hi !== undefined && hi !== null) estimate = Math.min(estimate, hi);
    return estimate;
  }
}

export function encode(h: Histogram): string {
  let s = '';
  for (let k = 0; k < h.length; k += 2) s += `${k === 0 ? '{' : ','}"${h[k]}":${h[k + 1]}`;
  return s === '' ? '{}' : `${s}}`;
}

export function decode(s: string | null | undefined): Histogram {
  const h: Histogram = [];
  if (!s) return h;
  for (const [k, n] of Object.entries(JSON.parse(s) as Record<string, number>)) h.push(Number(k), n);
  return h;
}
