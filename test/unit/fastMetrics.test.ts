// FastHistogram and FastCounter must expose exactly what prom-client's Histogram and Counter would for
// the same calls: the same text (what Prometheus scrapes) and the same JSON, byte for byte.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from '../../agent/metrics/fastMetrics.js';

const LABELS = ['model', 'backend', 'engine'] as const;
type L = (typeof LABELS)[number];
const BUCKETS = [1, 2, 5, 10, 50];

// Label values the exposition must escape, and the same set passed in another key order.
const SETS: Partial<Record<L, string>>[] = [
  { model: 'llama3.1:8b', backend: 'metal', engine: 'llama.cpp' },
  { backend: 'mlx', engine: 'mlx', model: 'qwen3.5:35b-a3b' },
  { model: 'odd "quoted" \\ name\nwith newline', backend: 'unknown', engine: 'unknown' },
  { engine: 'llama.cpp', model: 'llama3.1:8b', backend: 'metal' },
  // A label left out (prom-client leaves it out of the series).
  { model: 'llama3.1:8b', backend: 'metal' },
];
// On a bound, between bounds, above every bound, zero, negative, fractional.
const VALUES = [1, 1.5, 2, 4.999, 5, 10, 10.0001, 49, 50, 51, 1e9, 0, -3, 0.25];

function registries() {
  const theirs = new Registry();
  const ours = new Registry();
  return {
    theirs,
    ours,
    histograms: [
      new Histogram({ name: 'h', help: 'a histogram', labelNames: [...LABELS], buckets: BUCKETS, registers: [theirs] }),
      new FastHistogram<L>({ name: 'h', help: 'a histogram', labelNames: LABELS, buckets: BUCKETS, registers: [ours] }),
    ] as const,
    counters: [
      new Counter({ name: 'c_total', help: 'a counter', labelNames: [...LABELS], registers: [theirs] }),
      new FastCounter<L>({ name: 'c_total', help: 'a counter', labelNames: LABELS, registers: [ours] }),
    ] as const,
  };
}

describe('FastHistogram and FastCounter', () => {
  it("expose the text and JSON prom-client's Histogram and Counter expose for the same calls", async () => {
    const r = registries();
    let i = 0;
    for (const v of VALUES)
      for (const labels of SETS) {
        const at = { ...labels };
        r.histograms[0].observe(at, v + i);
        r.histograms[1].observe(at, v + i);
        r.counters[0].inc(at);
        r.counters[1].inc(at);
        i = (i + 1) % 3;
      }
    const text = await r.ours.metrics();
    expect(text).toBe(await r.theirs.metrics());
    // Five label sets, one of them twice in another key order: four series of each.
    expect(text.match(/^h_count\{/gm)).toHaveLength(4);
    expect(text).toContain('h_count{model="llama3.1:8b",backend="metal"} 14');
    expect(text).toContain('c_total{model="llama3.1:8b",backend="metal",engine="llama.cpp"} 28');
    expect(await r.ours.getMetricsAsJSON()).toEqual(await r.theirs.getMetricsAsJSON());
  });

  it('expose nothing before the first call and after a reset, as prom-client does', async () => {
    const r = registries();
    expect(await r.ours.metrics()).toBe(await r.theirs.metrics());
    r.histograms[0].observe(SETS[0]!, 3);
    r.histograms[1].observe(SETS[0]!, 3);
    r.theirs.resetMetrics();
    r.ours.resetMetrics();
    expect(await r.ours.metrics()).toBe(await r.theirs.metrics());
    expect(await r.ours.metrics()).not.toContain('h_bucket');
  });

  it('skip a value prom-client would throw on (not finite, a negative increment) instead of failing the bus', async () => {
    const r = registries();
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => r.histograms[0].observe(SETS[0]!, bad)).toThrow();
      r.histograms[1].observe(SETS[0]!, bad);
    }
    expect(() => r.counters[0].inc(SETS[0]!, -1)).toThrow();
    r.counters[1].inc(SETS[0]!, -1);
    expect(await r.ours.metrics()).toBe(await r.theirs.metrics());
  });

  it('refuse a metric without labels, which prom-client exposes as 0 before its first call', () => {
    expect(() => new FastCounter<never>({ name: 'bare_total', help: 'x', labelNames: [], registers: [new Registry()] })).toThrow(
      /without labels/,
    );
  });

  it('refuse a second metric of the same name on a registry, as prom-client does', () => {
    const reg = new Registry();
    new FastCounter<L>({ name: 'dup_total', help: 'x', labelNames: LABELS, registers: [reg] });
    expect(() => new Counter({ name: 'dup_total', help: 'x', registers: [reg] })).toThrow(/already been registered/);
  });
});
