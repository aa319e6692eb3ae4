// A histogram (flat [index, count, …] pairs, in the order its buckets were first filled) in a form two
// histograms of the same values compare equal in.
import type { Histogram } from '../../agent/store/histogram.js';

export function sortedCounts(h: Histogram): [number, number][] {
  const counts: [number, number][] = [];
  for (let k = 0; k < h.length; k += 2) counts.push([h[k]!, h[k + 1]!]);
  return counts.sort((a, b) => a[0] - b[0]);
}
