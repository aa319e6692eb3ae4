// Histograms and counters for what the bus feeds, on prom-client's registry. prom-client's own check
// and hash the labels on every call (validateLabel, hashObject: about 0.3 µs each); at nine calls per
// request they were a fifth of the main thread's CPU on a first start (2.4 s of 12.3 s over 400,000
// backfilled requests, a profile of bench/firstStart.mjs). These find a label set by one map lookup
// per label value, and give the registry the values prom-client's would: test/unit/fastMetrics.test.ts
// compares both expositions, so an update of prom-client that changes them fails there.
import type { Metric, Registry } from 'prom-client';

/** A label left out is left out of the series' labels, as prom-client does (gen_ai's error_type on a success). */
type Labels<L extends string> = Readonly<Partial<Record<L, string>>>;

/** As prom-client's configurations name them. */
export interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

/** One label set's series: the labels as first passed (prom-client keeps their order too). */
interface Series {
  labels: Record<string, string>;
}

/** Registers on prom-client's registries as the metric object it expects (name, help, type, get, reset). */
abstract class FastMetric<L extends string, S extends Series> {
  readonly aggregator = 'sum';
  /** Every series, in the order first seen (the order prom-client exposes them in). */
  protected series: S[] = [];
  /** The series by label value, one level per label name; a label left out is the key `undefined`. */
  private index = new Map<string | undefined, unknown>();

  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly L[];

  constructor(c: MetricConfig<L>) {
    this.name = c.name;
    this.help = c.help;
    this.labelNames = c.labelNames;
    // prom-client exposes a metric without labels as 0 before its first call; these expose no series.
    if (c.labelNames.length === 0) throw new Error(`${c.name}: a metric without labels is prom-client's to keep`);
    for (const r of c.registers) r.registerMetric(this as unknown as Metric);
  }

  reset(): void {
    this.series = [];
    this.index = new Map();
  }

  /**
   * The series of `labels`, made by `make` the first time they are seen. One map lookup per label
   * value, with strings the caller already has: no key is built (joining the values cost more).
   */
  protected at(labels: Labels<L>, make: (labels: Record<string, string>) => S): S {
    let node = this.index;
    const last = this.labelNames.length - 1;
    for (let i = 0; i < last; i++) {
      const v = labels[this.labelNames[i]!];
      let next = node.get(v) as Map<string | undefined, unknown> | undefined;
      if (next === undefined) node.set(v, (next = new Map()));
      node = next;
    }
    const v = labels[this.labelNames[last]!];
    let s = node.get(v) as S | undefined;
    if (s === undefined) {
      s = make({ ...labels } as Record<string, string>);
      node.set(v, s);
      this.series.push(s);
    }
    return s;
  }
}

interface CounterSeries extends Series {
  value: number;
}

export class FastCounter<L extends string> extends FastMetric<L, CounterSeries> {
  readonly type = 'counter';

  inc(labels: Labels<L>, by = 1): void {
    if (!Number.isFinite(by) || by < 0) return;
    this.at(labels, (l) => ({ labels: l, value: 0 })).value += by;
  }

  /** As prom-client's Counter#get. */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'counter';
    values: { value: number; labels: Record<string, string> }[];
    aggregator: 'sum';
  }> {
    const values = this.series.map((s) => ({ value: s.value, labels: s.labels }));
    return Promise.resolve({ help: this.help, name: this.name, type: this.type, values, aggregator: this.aggregator });
  }
}

interface HistogramSeries extends Series {
  /** Observations per bucket, not cumulative; the last slot counts those above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

interface BucketValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
  exemplar?: null;
}

export class FastHistogram<L extends string> extends FastMetric<L, HistogramSeries> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  constructor(c: MetricConfig<L> & { buckets: readonly number[] }) {
    super(c);
    this.bounds = [...c.buckets].sort((a, b) => a - b);
  }

  /** A non-finite value is not observed (prom-client throws). */
  observe(labels: Labels<L>, value: number): void {
    if (!Number.isFinite(value)) return;
    const s = this.at(labels, (l) => ({ labels: l, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 }));
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  /** As prom-client's Histogram#getForPromString: each series' labels shared by its bucket, sum and count lines. */
  getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; values: BucketValue[]; aggregator: 'sum' }> {
    const values: BucketValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i]!;
        values.push({ labels: { le: this.bounds[i]! }, sharedLabels: s.labels, value: acc, metricName: bucket, exemplar: null });
      }
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** As prom-client's Histogram#get: the shared labels spread into each value's. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; values: Omit<BucketValue, 'sharedLabels'>[]; aggregator: 'sum' }> {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, labels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })) };
  }
}
