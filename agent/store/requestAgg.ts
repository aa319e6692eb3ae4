// Requests aggregated in memory by minute and hour, model and backend: the figures a request_rollups
// row holds (counts, sums, extremes and histograms), and how requests and aggregates add up. Pure; the
// rows themselves are rollupRows.ts's, their reads and writes Rollups'.
import type { NewIncident, NewRequest } from '../correlate/records.js';
import * as hist from './histogram.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const ROLLUP_BUCKETS = [MINUTE, HOUR] as const;

/** What a rollup needs of a request. */
export type RollupRequest = Pick<
  NewRequest,
  | 'ts'
  | 'model'
  | 'backend'
  | 'kind'
  | 'status'
  | 'latencyMs'
  | 'decodeTps'
  | 'prefillTps'
  | 'promptTokens'
  | 'completionTokens'
  | 'ctxUsed'
  | 'ctxLimit'
  | 'truncated'
>;
export type RollupIncident = Pick<NewIncident, 'ts' | 'kind' | 'model'>;

/** One request_rollups row, in memory. */
export interface RequestAgg {
  requests: number;
  inference: number;
  errors: number;
  latencySum: number;
  latencyMax: number | null;
  decodeN: number;
  decodeSum: number;
  decodeMin: number | null;
  decodeMax: number | null;
  prefillN: number;
  prefillSum: number;
  prefillMax: number | null;
  promptTokens: number;
  completionTokens: number;
  ctxN: number;
  ctxRatioSum: number;
  ctxRatioMax: number | null;
  truncated: number;
  histDecode: hist.Histogram;
  histPrefill: hist.Histogram;
  histLatency: hist.Histogram;
}

export const emptyAgg = (): RequestAgg => ({
  requests: 0,
  inference: 0,
  errors: 0,
  latencySum: 0,
  latencyMax: null,
  decodeN: 0,
  decodeSum: 0,
  decodeMin: null,
  decodeMax: null,
  prefillN: 0,
  prefillSum: 0,
  prefillMax: null,
  promptTokens: 0,
  completionTokens: 0,
  ctxN: 0,
  ctxRatioSum: 0,
  ctxRatioMax: null,
  truncated: 0,
  histDecode: [],
  histPrefill: [],
  histLatency: [],
});

const max = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
const min = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** Adds one request to an aggregate. */
export function addRequest(a: RequestAgg, r: RollupRequest): void {
  a.requests++;
  if (r.status >= 400) a.errors++;
  if (r.kind === 'inference') {
    a.inference++;
    a.latencySum += r.latencyMs;
    a.latencyMax = max(a.latencyMax, r.latencyMs);
    hist.add(a.histLatency, r.latencyMs);
  }
  if (r.decodeTps !== null) {
    a.decodeN++;
    a.decodeSum += r.decodeTps;
    a.decodeMin = min(a.decodeMin, r.decodeTps);
    a.decodeMax = max(a.decodeMax, r.decodeTps);
    hist.add(a.histDecode, r.decodeTps);
  }
  if (r.prefillTps !== null) {
    a.prefillN++;
    a.prefillSum += r.prefillTps;
    a.prefillMax = max(a.prefillMax, r.prefillTps);
    hist.add(a.histPrefill, r.prefillTps);
  }
  a.promptTokens += r.promptTokens ?? 0;
  a.completionTokens += r.completionTokens ?? 0;
  if (r.ctxUsed !== null && r.ctxLimit !== null && r.ctxLimit > 0) {
    const ratio = r.ctxUsed / r.ctxLimit;
    a.ctxN++;
    a.ctxRatioSum += ratio;
    a.ctxRatioMax = max(a.ctxRatioMax, ratio);
  }
  if (r.truncated === true) a.truncated++;
}

/** Adds `b` into `a`. */
export function mergeAgg(a: RequestAgg, b: RequestAgg): RequestAgg {
  a.requests += b.requests;
  a.inference += b.inference;
  a.errors += b.errors;
  a.latencySum += b.latencySum;
  a.latencyMax = max(a.latencyMax, b.latencyMax);
  a.decodeN += b.decodeN;
  a.decodeSum += b.decodeSum;
  a.decodeMin = min(a.decodeMin, b.decodeMin);
  a.decodeMax = max(a.decodeMax, b.decodeMax);
  a.prefillN += b.prefillN;
  a.prefillSum += b.prefillSum;
  a.prefillMax = max(a.prefillMax, b.prefillMax);
  a.promptTokens += b.promptTokens;
  a.completionTokens += b.completionTokens;
  a.ctxN += b.ctxN;
  a.ctxRatioSum += b.ctxRatioSum;
  a.ctxRatioMax = max(a.ctxRatioMax, b.ctxRatioMax);
  a.truncated += b.truncated;
  hist.merge(a.histDecode, b.histDecode);
  hist.merge(a.histPrefill, b.histPrefill);
  hist.merge(a.histLatency, b.histLatency);
  return a;
}

export interface Group {
  bucketMs: number;
  ts: number;
  model: string;
  backend: string;
  agg: RequestAgg;
}

/**
 * Groups by bucket size and start, then by (model, backend) in a short list: a request finds its
 * group without a key string built for it (in a backfill, where most minutes hold a request or two,
 * building those keys and the aggregates thrown away made a third of the store's allocations).
 */
export class Groups {
  private readonly byBucket = new Map<number, Map<number, Group[]>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  find(bucketMs: number, ts: number, model: string, backend: string): Group | undefined {
    const list = this.byBucket.get(bucketMs)?.get(ts);
    if (list !== undefined) for (const g of list) if (g.model === model && g.backend === backend) return g;
    return undefined;
  }

  /** The group, made with an empty aggregate when there is none. */
  get(bucketMs: number, ts: number, model: string, backend: string): Group {
    return this.find(bucketMs, ts, model, backend) ?? this.add({ bucketMs, ts, model, backend, agg: emptyAgg() });
  }

  /** A group not in here yet. */
  add(group: Group): Group {
    let starts = this.byBucket.get(group.bucketMs);
    if (starts === undefined) this.byBucket.set(group.bucketMs, (starts = new Map<number, Group[]>()));
    const list = starts.get(group.ts);
    if (list === undefined) starts.set(group.ts, [group]);
    else list.push(group);
    this.count++;
    return group;
  }

  *values(): IterableIterator<Group> {
    for (const starts of this.byBucket.values()) for (const list of starts.values()) yield* list;
  }
}

/**
 * Requests aggregated by (bucket size, bucket start, model, backend). Each request is added to its
 * minute only; an hour is the sum of its minutes (a minute holds several requests, so this halves
 * the work of adding them one by one to both).
 */
export function groupRequests(requests: Iterable<RollupRequest>, groups = new Groups()): Groups {
  const minutes = new Groups();
  for (const r of requests) {
    const ts = Math.floor(r.ts / MINUTE) * MINUTE;
    addRequest(minutes.get(MINUTE, ts, r.model ?? '', r.backend ?? '').agg, r);
  }
  for (const m of minutes.values()) {
    // An hour's aggregate is a sum of its own, never one of its minutes' (which later minutes would change).
    mergeAgg(groups.get(HOUR, Math.floor(m.ts / HOUR) * HOUR, m.model, m.backend).agg, m.agg);
    const minute = groups.find(MINUTE, m.ts, m.model, m.backend);
    if (minute === undefined) groups.add(m);
    else mergeAgg(minute.agg, m.agg);
  }
  return groups;
}
