// A rollup aggregate's histogram as flat pairs (bins.ts), against histogram.ts's Map of the same values.
import { describe, expect, it } from 'vitest';
import { addValue, decodeBins, encodeBins, mergeBins, type Bins } from '../../../agent/store/bins.js';
import { add, decode, type Histogram } from '../../../agent/store/histogram.js';

const binsOf = (values: number[]): Bins => {
  const b: Bins = [];
  for (const v of values) addValue(b, v);
  return b;
};
const mapOf = (values: number[]): Histogram => {
  const h: Histogram = new Map();
  for (const v of values) add(h, v);
  return h;
};
const sortedEntries = (h: Histogram) => [...h.entries()].sort((a, b) => a[0] - b[0]);

describe('bins', () => {
  it.each([
    ['one value', [42]],
    ['the same bucket twice', [42, 42.1]],
    ['zero and a negative value (the zero bucket)', [0, -3, 0]],
    ['values far apart', [0.001, 1, 37.5, 37.5, 1e9]],
  ])('%s: stored as the Map of the same values is', (_name, values) => {
    expect(sortedEntries(decode(encodeBins(binsOf(values))))).toEqual(sortedEntries(mapOf(values)));
  });

  it('merges by adding counts, and reads back what it stored', () => {
    const a = binsOf([1, 2, 2, 100]);
    const b = binsOf([2, 100, 5000]);
    const merged = mergeBins(a, b);
    expect(merged).toBe(a);
    expect(sortedEntries(decode(encodeBins(merged)))).toEqual(sortedEntries(mapOf([1, 2, 2, 100, 2, 100, 5000])));
    expect(decodeBins(encodeBins(merged))).toEqual(merged);
    expect(decodeBins(null)).toEqual([]);
    // No value: the column's null, as for an empty Map.
    expect(encodeBins([])).toBeNull();
  });
});
