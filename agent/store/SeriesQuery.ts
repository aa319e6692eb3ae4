// Chart data from the rollups: rows of one rollup size (minute or hour) in a window are re-aggregated
// into step buckets per group — counts and sums add, maxima take the max, histograms merge for p50/p95 —
// so a 30-day chart reads at most a few thousand rows, never the raw requests.
import type { Database, Statement } from 'better-sqlite3';
import type { CompareBackend, CompareItem, Series, SeriesGroup, SeriesMetric, SeriesPoint, SeriesStat } from '../../shared/series.js';
import * as hist from './histogram.js';

export interface SeriesParams {
  metric: SeriesMetric;
  stat: SeriesStat;
  /** Window [from, to), epoch ms; rows are taken from `from` aligned down to the step. */
  from: number;
  to: number;
  stepMs: number;
  /** Rollup size read: 60000 or 3600000; `stepMs` must be a multiple of it. */
  bucketMs: number;
  group: SeriesGroup;
  model?: string;
  backend?: string;
  /** Incident kind (metric `incidents` only). */
  kind?: string;
}

/** SQL expressions of a metric over one rollup row. */
interface MetricSql {
  table: 'request_rollups' | 'incident_rollups';
  /** How many values. */
  n: string;
  sum: string;
  max?: string;
  min?: string;
  hist?: string;
  /** Count metrics have a value (maybe 0) in every bucket with a row; others only where n > 0. */
  counts: boolean;
}

const count = (expr: string): MetricSql => ({ table: 'request_rollups', n: expr, sum: expr, counts: true });

const METRIC_SQL: Record<SeriesMetric, MetricSql> = {
  decode_tps: {
    table: 'request_rollups',
    n: 'decode_n',
    sum: 'decode_sum',
    max: 'decode_max',
    min: 'decode_min',
    hist: 'hist_decode',
    counts: false,
  },
  prefill_tps: { table: 'request_rollups', n: 'prefill_n', sum: 'prefill_sum', max: 'prefill_max', hist: 'hist_prefill', counts: false },
  latency_ms: { table: 'request_rollups', n: 'inference', sum: 'latency_sum', max: 'latency_max', hist: 'hist_latency', counts: false },
  ctx_ratio: { table: 'request_rollups', n: 'ctx_n', sum: 'ctx_ratio_sum', max: 'ctx_ratio_max', counts: false },
  requests: count('requests'),
  inference: count('inference'),
  errors: count('errors'),
  tokens: count('prompt_tokens + completion_tokens'),
  truncated: count('truncated'),
  incidents: { table: 'incident_rollups', n: 'count', sum: 'count', counts: true },
};

/** [step start, model, backend, n, sum, max, min, histogram]; model/backend '' when not grouped by them. */
type RawRow = [number, string, string, number, number, number | null, number | null, string | null];

interface Acc {
  n: number;
  sum: number;
  max: number | null;
  min: number | null;
  hist: hist.Dense | null;
}

const QUANTILES: Partial<Record<SeriesStat, number>> = { p50: 0.5, p95: 0.95 };

function value(a: Acc, stat: SeriesStat): number | null {
  switch (stat) {
    case 'avg':
      return a.n === 0 ? null : a.sum / a.n;
    case 'max':
      return a.max;
    case 'sum':
      return a.sum;
    case 'count':
      return a.n;
    case 'p50':
    case 'p95':
      return a.hist === null ? null : a.hist.quantile(QUANTILES[stat]!, a.min, a.max);
  }
}

/** Unknown ('') last, then by name. */
const byName = (a: string, b: string): number => (a === '' ? 1 : 0) - (b === '' ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0);

export class SeriesQuery {
  private readonly statements = new Map<string, Statement>();
  private readonly compareRows: Statement;

  constructor(private readonly db: Database) {
    this.compareRows = db.prepare(
      `SELECT model, backend, SUM(inference) AS inference, MIN(decode_min) AS decode_min, MAX(decode_max) AS decode_max,
         MAX(prefill_max) AS prefill_max, MAX(latency_max) AS latency_max, group_concat(hist_decode, '') AS hist_decode,
         group_concat(hist_prefill, '') AS hist_prefill, group_concat(hist_latency, '') AS hist_latency
       FROM request_rollups WHERE bucket_ms = ? AND ts >= ? AND ts < ? AND model != '' AND inference > 0 GROUP BY model, backend`,
    );
  }

  /**
   * SQLite aggregates the rollup rows into one row per group and step: counts and sums add, maxima
   * take the max, and for p50/p95 the rows' histograms come concatenated, to be merged here. Rows are
   * arrays: [step start, model, backend, n, sum, max, min, histograms].
   */
  private statement(p: SeriesParams, quantile: boolean, byModel: boolean, byBackend: boolean): Statement {
    const key = `${p.metric}|${quantile}|${byModel}|${byBackend}|${p.model !== undefined}|${p.backend !== undefined}|${p.kind !== undefined}`;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const m = METRIC_SQL[p.metric];
      const incidents = m.table === 'incident_rollups';
      const where = [
        'bucket_ms = ?',
        'ts >= ?',
        'ts < ?',
        ...(p.model !== undefined ? ['model = ?'] : []),
        ...(p.backend !== undefined && !incidents ? ['backend = ?'] : []),
        ...(p.kind !== undefined && incidents ? ['kind = ?'] : []),
      ].join(' AND ');
      stmt = this.db
        .prepare(
          `SELECT (ts / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS b, ${byModel ? 'model' : "''"} AS gm,
           ${byBackend && !incidents ? 'backend' : "''"} AS gb, SUM(${m.n}), SUM(${m.sum}), MAX(${m.max ?? 'NULL'}),
           MIN(${m.min ?? 'NULL'}), ${quantile && m.hist ? `group_concat(${m.hist}, '')` : 'NULL'}
         FROM ${m.table} WHERE ${where} GROUP BY b, gm, gb`,
        )
        .raw(true);
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  /** The window's series, one per group, each with at least one point. */
  series(p: SeriesParams): Series[] {
    const m = METRIC_SQL[p.metric];
    const start = Math.floor(p.from / p.stepMs) * p.stepMs;
    const args: unknown[] = [p.stepMs, p.stepMs, p.bucketMs, start, p.to];
    if (p.model !== undefined) args.push(p.model);
    if (p.backend !== undefined && m.table === 'request_rollups') args.push(p.backend);
    if (p.kind !== undefined && m.table === 'incident_rollups') args.push(p.kind);
    const byModel = p.group === 'model' || p.group === 'model_backend';
    const byBackend = p.group === 'backend' || p.group === 'model_backend';
    const quantile = QUANTILES[p.stat] !== undefined;

    // group → step bucket start → accumulator
    const groups = new Map<string, { model: string; backend: string; buckets: Map<number, Acc> }>();
    for (const [b, model, backend, n, sum, max, min, h] of this.statement(p, quantile, byModel, byBackend).all(...args) as RawRow[]) {
      const gk = `${model}\u0000${backend}`;
      let g = groups.get(gk);
      if (g === undefined) groups.set(gk, (g = { model, backend, buckets: new Map() }));
      let d: hist.Dense | null = null;
      if (quantile) {
        d = new hist.Dense();
        d.addEncoded(h);
      }
      g.buckets.set(b, { n, sum, max, min, hist: d });
    }

    const out: Series[] = [];
    const sorted = [...groups.values()].sort((x, y) => byName(x.model, y.model) || byName(x.backend, y.backend));
    for (const g of sorted) {
      const points: SeriesPoint[] = [];
      for (const b of [...g.buckets.keys()].sort((x, y) => x - y)) {
        const a = g.buckets.get(b)!;
        if (!m.counts && a.n === 0) continue;
        points.push([b, value(a, p.stat)]);
      }
      if (points.length === 0) continue;
      out.push({ model: byModel && g.model !== '' ? g.model : null, backend: byBackend && g.backend !== '' ? g.backend : null, points });
    }
    return out;
  }

  /** Per model (known models only), each backend's inference count and speed quantiles in [from, to). */
  compare(from: number, to: number, bucketMs: number): CompareItem[] {
    const start = Math.floor(from / bucketMs) * bucketMs;
    type Acc2 = {
      requests: number;
      decodeMin: number | null;
      decodeMax: number | null;
      prefillMax: number | null;
      latencyMax: number | null;
      decode: hist.Dense;
      prefill: hist.Dense;
      latency: hist.Dense;
    };
    const models = new Map<string, Map<string, Acc2>>();
    const mx = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
    const mn = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
    for (const r of this.compareRows.all(bucketMs, start, to) as {
      model: string;
      backend: string;
      inference: number;
      decode_min: number | null;
      decode_max: number | null;
      prefill_max: number | null;
      latency_max: number | null;
      hist_decode: string | null;
      hist_prefill: string | null;
      hist_latency: string | null;
    }[]) {
      let backends = models.get(r.model);
      if (backends === undefined) models.set(r.model, (backends = new Map<string, Acc2>()));
      const name = r.backend === '' ? 'unknown' : r.backend;
      let a = backends.get(name);
      if (a === undefined) {
        backends.set(
          name,
          (a = {
            requests: 0,
            decodeMin: null,
            decodeMax: null,
            prefillMax: null,
            latencyMax: null,
            decode: new hist.Dense(),
            prefill: new hist.Dense(),
            latency: new hist.Dense(),
          }),
        );
      }
      a.requests += r.inference;
      a.decodeMin = mn(a.decodeMin, r.decode_min);
      a.decodeMax = mx(a.decodeMax, r.decode_max);
      a.prefillMax = mx(a.prefillMax, r.prefill_max);
      a.latencyMax = mx(a.latencyMax, r.latency_max);
      a.decode.addEncoded(r.hist_decode);
      a.prefill.addEncoded(r.hist_prefill);
      a.latency.addEncoded(r.hist_latency);
    }
    const items: (CompareItem & { total: number })[] = [];
    for (const [model, backends] of models) {
      // Backend names come from the log: a null prototype keeps one named `__proto__` an ordinary key.
      const out: Record<string, CompareBackend> = Object.create(null) as Record<string, CompareBackend>;
      let total = 0;
      for (const name of [...backends.keys()].sort(byName)) {
        const a = backends.get(name)!;
        total += a.requests;
        out[name] = {
          requests: a.requests,
          decodeP50: a.decode.quantile(0.5, a.decodeMin, a.decodeMax),
          decodeP95: a.decode.quantile(0.95, a.decodeMin, a.decodeMax),
          prefillP50: a.prefill.quantile(0.5, null, a.prefillMax),
          latencyP50: a.latency.quantile(0.5, null, a.latencyMax),
        };
      }
      const mlx = out.mlx?.decodeP50 ?? null;
      const metal = out.metal?.decodeP50 ?? null;
      items.push({ model, backends: out, decodeSpeedup: mlx !== null && metal !== null && metal > 0 ? mlx / metal : null, total });
    }
    items.sort((x, y) => y.total - x.total || byName(x.model, y.model));
    return items.map(({ total: _total, ...item }) => item);
  }
}
