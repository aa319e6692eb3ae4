import { describe, expect, it } from 'vitest';
import {
  Dense,
  GAMMA,
  ZERO,
  add,
  bucketIndex,
  decode,
  encode,
  merge,
  quantile,
  total,
  type Histogram,
} from '../../../agent/store/histogram.js';
import { mulberry32 } from '../../../agent/demo/rng.js';
import { sortedCounts } from '../../helpers/histogram.js';

/** The demo's seeded generator: the same cases on every run. */
const rng = (seed: number): (() => number) => mulberry32(seed).next;

/** Log-normal values around `median` (tok/s and latencies are skewed). */
function logNormal(r: () => number, median: number, sigma: number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return median * Math.exp(sigma * z);
  });
}

const exact = (sorted: number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;

function histOf(values: number[]): Histogram {
  const h: Histogram = [];
  for (const v of values) add(h, v);
  return h;
}

describe('histogram', () => {
  it('puts a value in the bucket (GAMMA^(i-1), GAMMA^i] and zero or less in ZERO', () => {
    for (const v of [0.001, 0.5, 1, 1.5, 42, 1234.5, 5_079_000]) {
      const i = bucketIndex(v);
      expect(GAMMA ** (i - 1)).toBeLessThan(v * (1 + 1e-12));
      expect(GAMMA ** i).toBeGreaterThanOrEqual(v * (1 - 1e-12));
    }
    expect(bucketIndex(0)).toBe(ZERO);
    expect(bucketIndex(-3)).toBe(ZERO);
    expect(bucketIndex(Number.NaN)).toBe(ZERO);
    expect(quantile(histOf([0, 0, 0]), 0.5)).toBe(0);
    expect(sortedCounts(decode(encode(histOf([0, 0.5, 2]))))[0]).toEqual([ZERO, 1]);
  });

  it.each([
    ['decode tok/s', 1, 45, 0.4, 5000],
    ['prefill tok/s', 2, 800, 0.8, 3000],
    ['latency ms', 3, 2500, 1.5, 20_000],
    ['few values', 4, 30, 0.3, 7],
  ])('estimates quantiles of %s within 8%% of the exact ones', (_name, seed, median, sigma, n) => {
    const values = logNormal(rng(seed), median, sigma, n);
    const sorted = [...values].sort((a, b) => a - b);
    const h = histOf(values);
    expect(total(h)).toBe(n);
    for (const q of [0, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) {
      const est = quantile(h, q)!;
      const want = exact(sorted, q);
      expect(Math.abs(est - want) / want, `q=${q}: ${est} vs ${want}`).toBeLessThanOrEqual(GAMMA - 1);
    }
  });

  it('adds a value of a bucket already there to its count', () => {
    const h = histOf([42, 42.1, 1, 42]);
    expect(h).toHaveLength(4);
    expect(sortedCounts(h)).toEqual([
      [bucketIndex(1), 1],
      [bucketIndex(42), 3],
    ]);
  });

  it('merges to the histogram of the union, through its stored form too', () => {
    const r = rng(9);
    const a = logNormal(r, 40, 0.5, 500);
    const b = logNormal(r, 70, 0.5, 300);
    const union = histOf([...a, ...b]);
    expect(sortedCounts(merge(histOf(a), histOf(b)))).toEqual(sortedCounts(union));
    // Stored histograms merged without parsing them into maps give the same quantiles.
    const dense = new Dense();
    // One at a time, and several concatenated (as SQLite's group_concat gives them).
    dense.addEncoded(encode(histOf(a.slice(0, 100))));
    dense.addEncoded(encode(histOf(a.slice(100))) + encode(histOf([])) + encode(histOf(b)));
    dense.addEncoded('{}');
    dense.addEncoded(null);
    expect(dense.n).toBe(800);
    for (const q of [0, 0.1, 0.5, 0.95, 1]) expect(dense.quantile(q)).toBe(quantile(union, q));
    expect(sortedCounts(decode(encode(union)))).toEqual(sortedCounts(union));
    expect(decode(null)).toEqual([]);
    expect(encode([])).toBe('{}');
  });

  it('is null when empty and keeps estimates within known extremes', () => {
    expect(quantile([], 0.5)).toBeNull();
    const h = histOf([50]);
    expect(quantile(h, 0.5)).not.toBe(50);
    expect(quantile(h, 0.5, 50, 50)).toBe(50);
  });
});
