// A rollup aggregate's histogram while it is being built: flat [index, count, index, count, …]
// pairs of histogram.ts's buckets. A minute's rollup mostly holds one or two values, and three Maps
// per aggregate (about 150 bytes each, empty) were a tenth of the store's allocations in a backfill;
// an array of two pairs is a few dozen. Stored as histogram.ts's `encode` stores a Map.
import { bucketIndex } from './histogram.js';

export type Bins = number[];

function addCount(b: Bins, index: number, count: number): void {
  for (let k = 0; k < b.length; k += 2) {
    if (b[k] === index) {
      b[k + 1]! += count;
      return;
    }
  }
  b.push(index, count);
}

export function addValue(b: Bins, value: number): void {
  addCount(b, bucketIndex(value), 1);
}

/** Adds `from` into `into`. */
export function mergeBins(into: Bins, from: Bins): Bins {
  for (let k = 0; k < from.length; k += 2) addCount(into, from[k]!, from[k + 1]!);
  return into;
}

/** `{"index":count,…}`, as histogram.ts's encode writes a Map; null when empty (the column's null). */
export function encodeBins(b: Bins): string | null {
  if (b.length === 0) return null;
  let s = '{';
  for (let k = 0; k < b.length; k += 2) s += `${k === 0 ? '' : ','}"${b[k]}":${b[k + 1]}`;
  return `${s}}`;
}

export function decodeBins(s: string | null | undefined): Bins {
  const b: Bins = [];
  if (!s) return b;
  for (const [k, n] of Object.entries(JSON.parse(s) as Record<string, number>)) b.push(Number(k), n);
  return b;
}
