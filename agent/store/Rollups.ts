// Per-minute and per-hour aggregates of requests (by model and backend) and incidents (by kind and
// model). The Store calls `add` inside its ingest transaction, so the rollups commit or roll back with
// the rows and the resume point. A batch is first aggregated in memory by (bucket, model, backend); then
// each group is one read-merge-write of its row.
import type { Database, Statement } from 'better-sqlite3';
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
  histDecode: new Map(),
  histPrefill: new Map(),
  histLatency: new Map(),
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

const COLUMNS =
  'requests, inference, errors, latency_sum, latency_max, decode_n, decode_sum, decode_min, decode_max, prefill_n, prefill_sum, prefill_max, ' +
  'prompt_tokens, completion_tokens, ctx_n, ctx_ratio_sum, ctx_ratio_max, truncated, hist_decode, hist_prefill, hist_latency';

interface AggRow {
  requests: number;
  inference: number;
  errors: number;
  latency_sum: number;
  latency_max: number | null;
  decode_n: number;
  decode_sum: number;
  decode_min: number | null;
  decode_max: number | null;
  prefill_n: number;
  prefill_sum: number;
  prefill_max: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  ctx_n: number;
  ctx_ratio_sum: number;
  ctx_ratio_max: number | null;
  truncated: number;
  hist_decode: string | null;
  hist_prefill: string | null;
  hist_latency: string | null;
}

function rowToAgg(r: AggRow): RequestAgg {
  return {
    requests: r.requests,
    inference: r.inference,
    errors: r.errors,
    latencySum: r.latency_sum,
    latencyMax: r.latency_max,
    decodeN: r.decode_n,
    decodeSum: r.decode_sum,
    decodeMin: r.decode_min,
    decodeMax: r.decode_max,
    prefillN: r.prefill_n,
    prefillSum: r.prefill_sum,
    prefillMax: r.prefill_max,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    ctxN: r.ctx_n,
    ctxRatioSum: r.ctx_ratio_sum,
    ctxRatioMax: r.ctx_ratio_max,
    truncated: r.truncated,
    histDecode: hist.decode(r.hist_decode),
    histPrefill: hist.decode(r.hist_prefill),
    histLatency: hist.decode(r.hist_latency),
  };
}

const encoded = (h: hist.Histogram): string | null => (h.size === 0 ? null : hist.encode(h));

function aggParams(a: RequestAgg): unknown[] {
  return [
    a.requests,
    a.inference,
    a.errors,
    a.latencySum,
    a.latencyMax,
    a.decodeN,
    a.decodeSum,
    a.decodeMin,
    a.decodeMax,
    a.prefillN,
    a.prefillSum,
    a.prefillMax,
    a.promptTokens,
    a.completionTokens,
    a.ctxN,
    a.ctxRatioSum,
    a.ctxRatioMax,
    a.truncated,
    encoded(a.histDecode),
    encoded(a.histPrefill),
    encoded(a.histLatency),
  ];
}

interface Group {
  bucketMs: number;
  ts: number;
  model: string;
  backend: string;
  agg: RequestAgg;
}

const groupOf = (groups: Map<string, Group>, bucketMs: number, ts: number, model: string, backend: string): Group => {
  const key = `${bucketMs}\u0000${ts}\u0000${model}\u0000${backend}`;
  let g = groups.get(key);
  if (g === undefined) groups.set(key, (g = { bucketMs, ts, model, backend, agg: emptyAgg() }));
  return g;
};

/**
 * Requests aggregated by (bucket size, bucket start, model, backend). Each request is added to its
 * minute only; an hour is the sum of its minutes (a minute holds several requests, so this halves
 * the work of adding them one by one to both).
 */
export function groupRequests(requests: Iterable<RollupRequest>, groups = new Map<string, Group>()): Map<string, Group> {
  const minutes = new Map<string, Group>();
  for (const r of requests) {
    const ts = Math.floor(r.ts / MINUTE) * MINUTE;
    addRequest(groupOf(minutes, MINUTE, ts, r.model ?? '', r.backend ?? '').agg, r);
  }
  for (const m of minutes.values()) {
    const minute = groupOf(groups, MINUTE, m.ts, m.model, m.backend);
    if (minute.agg.requests === 0) minute.agg = m.agg;
    else mergeAgg(minute.agg, m.agg);
    mergeAgg(groupOf(groups, HOUR, Math.floor(m.ts / HOUR) * HOUR, m.model, m.backend).agg, m.agg);
  }
  return groups;
}

/** The columns of a stored request a rollup is made from (rollupRequestFrom reads them). */
export const ROLLUP_REQUEST_COLUMNS =
  'ts, model, backend, kind, status, latency_ms, decode_tps, prefill_tps, prompt_tokens, completion_tokens, ctx_used, ctx_limit, truncated';

/** A `requests` row as ROLLUP_REQUEST_COLUMNS selects it. */
export interface RollupRequestRow {
  ts: number;
  model: string | null;
  backend: string | null;
  kind: string;
  status: number;
  latency_ms: number;
  decode_tps: number | null;
  prefill_tps: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  ctx_used: number | null;
  ctx_limit: number | null;
  truncated: number | null;
}

const BACKFILL_PAGE = 20_000;
/** Groups held in memory before they are written. */
const BACKFILL_GROUPS = 100_000;

export const rollupRequestFrom = (row: RollupRequestRow): RollupRequest => ({
  ts: row.ts,
  model: row.model,
  backend: row.backend as RollupRequest['backend'],
  kind: row.kind as RollupRequest['kind'],
  status: row.status,
  latencyMs: row.latency_ms,
  decodeTps: row.decode_tps,
  prefillTps: row.prefill_tps,
  promptTokens: row.prompt_tokens,
  completionTokens: row.completion_tokens,
  ctxUsed: row.ctx_used,
  ctxLimit: row.ctx_limit,
  truncated: row.truncated === null ? null : row.truncated === 1,
});

/**
 * Per database and bucket size, a time no request_rollups row lies beyond. A group newer than it
 * cannot have a row yet, so its read is skipped: in a backfill most minute groups are new, and the
 * read (with three histograms to decode) cost as much as the write. Shared by every Rollups on the
 * connection, since each of them writes rows. Deletions and rollbacks leave it an upper bound.
 */
const newestByDb = new WeakMap<Database, Map<number, number>>();

export class Rollups {
  private readonly s: Record<
    | 'get'
    | 'put'
    | 'addIncident'
    | 'anyRollup'
    | 'anyRequest'
    | 'anyIncident'
    | 'requestsAfter'
    | 'allIncidents'
    | 'dropHourRequests'
    | 'dropHourIncidents'
    | 'hourRequests'
    | 'hourIncidents'
    | 'newest',
    Statement
  >;
  private readonly newest: Map<number, number>;

  constructor(private readonly db: Database) {
    this.s = {
      get: db.prepare(`SELECT ${COLUMNS} FROM request_rollups WHERE bucket_ms = ? AND ts = ? AND model = ? AND backend = ?`),
      put: db.prepare(
        `INSERT OR REPLACE INTO request_rollups (bucket_ms, ts, model, backend, ${COLUMNS}) VALUES (${Array(25).fill('?').join(', ')})`,
      ),
      addIncident: db.prepare(
        `INSERT INTO incident_rollups (bucket_ms, ts, kind, model, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (bucket_ms, ts, kind, model) DO UPDATE SET count = count + excluded.count`,
      ),
      anyRollup: db.prepare('SELECT (SELECT 1 FROM request_rollups LIMIT 1) AS r, (SELECT 1 FROM incident_rollups LIMIT 1) AS i'),
      anyRequest: db.prepare('SELECT 1 FROM requests LIMIT 1'),
      anyIncident: db.prepare('SELECT 1 FROM incidents WHERE ts IS NOT NULL LIMIT 1'),
      requestsAfter: db.prepare(`SELECT id, ${ROLLUP_REQUEST_COLUMNS} FROM requests WHERE id > ? ORDER BY id LIMIT ?`),
      allIncidents: db.prepare('SELECT ts, kind, model FROM incidents WHERE ts IS NOT NULL ORDER BY id'),
      // An hour's row and its minutes' rows.
      dropHourRequests: db.prepare(
        `DELETE FROM request_rollups WHERE (bucket_ms = ${HOUR} AND ts = @h) OR (bucket_ms = ${MINUTE} AND ts >= @h AND ts < @h + ${HOUR})`,
      ),
      dropHourIncidents: db.prepare(
        `DELETE FROM incident_rollups WHERE (bucket_ms = ${HOUR} AND ts = @h) OR (bucket_ms = ${MINUTE} AND ts >= @h AND ts < @h + ${HOUR})`,
      ),
      hourRequests: db.prepare(`SELECT ${ROLLUP_REQUEST_COLUMNS} FROM requests WHERE ts >= @h AND ts < @h + ${HOUR}`),
      hourIncidents: db.prepare(`SELECT ts, kind, model FROM incidents WHERE ts >= @h AND ts < @h + ${HOUR}`),
      newest: db.prepare('SELECT max(ts) AS ts FROM request_rollups WHERE bucket_ms = ?'),
    };
    let newest = newestByDb.get(db);
    if (newest === undefined) newestByDb.set(db, (newest = new Map<number, number>()));
    this.newest = newest;
  }

  private newestRow(bucketMs: number): number {
    let ts = this.newest.get(bucketMs);
    if (ts === undefined) {
      ts = (this.s.newest.get(bucketMs) as { ts: number | null }).ts ?? -Infinity;
      this.newest.set(bucketMs, ts);
    }
    return ts;
  }

  /** Folds requests and incidents into the rollups. Call inside the transaction that stores them. */
  add(requests: readonly RollupRequest[], incidents: readonly RollupIncident[]): void {
    if (requests.length > 0) this.writeGroups(groupRequests(requests));
    if (incidents.length > 0) this.writeIncidents(incidents);
  }

  private writeGroups(groups: Map<string, Group>): void {
    for (const g of groups.values()) {
      const newest = this.newestRow(g.bucketMs);
      const row = g.ts > newest ? undefined : (this.s.get.get(g.bucketMs, g.ts, g.model, g.backend) as AggRow | undefined);
      const agg = row === undefined ? g.agg : mergeAgg(rowToAgg(row), g.agg);
      this.s.put.run(g.bucketMs, g.ts, g.model, g.backend, ...aggParams(agg));
      if (g.ts > newest) this.newest.set(g.bucketMs, g.ts);
    }
  }

  private writeIncidents(incidents: readonly RollupIncident[]): void {
    const counts = new Map<string, [number, number, string, string, number]>();
    for (const i of incidents) {
      if (i.ts === null) continue;
      for (const bucketMs of ROLLUP_BUCKETS) {
        const ts = Math.floor(i.ts / bucketMs) * bucketMs;
        const model = i.model ?? '';
        const key = `${bucketMs}\u0000${ts}\u0000${i.kind}\u0000${model}`;
        const c = counts.get(key);
        if (c === undefined) counts.set(key, [bucketMs, ts, i.kind, model, 1]);
        else c[4]++;
      }
    }
    for (const c of counts.values()) this.s.addIncident.run(...c);
  }

  /**
   * Recomputes, from the raw rows, the rollups of every hour (and its minutes) holding one of `times`:
   * for rows changed in place (a model name learnt later). Call inside the transaction that changed them.
   */
  rebuild(times: Iterable<number>): void {
    const hours = new Set<number>();
    for (const ts of times) hours.add(Math.floor(ts / HOUR) * HOUR);
    for (const h of hours) {
      this.s.dropHourRequests.run({ h });
      this.s.dropHourIncidents.run({ h });
      this.writeGroups(groupRequests((this.s.hourRequests.all({ h }) as RollupRequestRow[]).map(rollupRequestFrom)));
      this.writeIncidents(this.s.hourIncidents.all({ h }) as RollupIncident[]);
    }
  }

  /**
   * A database that had requests before the rollup tables existed gets its history once: when both
   * rollup tables are empty but there are rows to summarise. One transaction; returns whether it ran.
   */
  backfillIfEmpty(): boolean {
    const any = this.s.anyRollup.get() as { r: number | null; i: number | null };
    if (any.r !== null || any.i !== null) return false;
    if (this.s.anyRequest.get() === undefined && this.s.anyIncident.get() === undefined) return false;
    this.db.transaction(() => {
      // Paged by id: better-sqlite3 allows no writes while a statement is being iterated.
      let after = 0;
      let groups = new Map<string, Group>();
      for (;;) {
        const rows = this.s.requestsAfter.all(after, BACKFILL_PAGE) as (RollupRequestRow & { id: number })[];
        if (rows.length === 0) break;
        after = rows.at(-1)!.id;
        groupRequests(rows.map(rollupRequestFrom), groups);
        if (groups.size > BACKFILL_GROUPS) {
          this.writeGroups(groups);
          groups = new Map();
        }
      }
      this.writeGroups(groups);
      this.writeIncidents(this.s.allIncidents.all() as RollupIncident[]);
    })();
    return true;
  }
}
