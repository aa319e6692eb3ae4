// Per-minute and per-hour aggregates of requests (by model and backend) and incidents (by kind and
// model). The Store calls `add` inside its ingest transaction, so the rollups commit or roll back with
// the rows and the resume point. A batch is first aggregated in memory by (bucket, model, backend); then
// each group is one read-merge-write of its row.
import type { Database, Statement } from 'better-sqlite3';
import { groupRequests, Groups, HOUR, mergeAgg, MINUTE, ROLLUP_BUCKETS, type RollupIncident, type RollupRequest } from './requestAgg.js';
import {
  aggParams,
  ROLLUP_COLUMNS,
  rollupRequestFrom,
  ROLLUP_REQUEST_COLUMNS,
  rowToAgg,
  type AggRow,
  type RollupRequestRow,
} from './rollupRows.js';

const BACKFILL_PAGE = 20_000;
/** Groups held in memory before they are written. */
const BACKFILL_GROUPS = 100_000;

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
      get: db.prepare(`SELECT ${ROLLUP_COLUMNS} FROM request_rollups WHERE bucket_ms = ? AND ts = ? AND model = ? AND backend = ?`),
      put: db.prepare(
        `INSERT OR REPLACE INTO request_rollups (bucket_ms, ts, model, backend, ${ROLLUP_COLUMNS}) VALUES (${Array(25).fill('?').join(', ')})`,
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

  private writeGroups(groups: Groups): void {
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
      let groups = new Groups();
      for (;;) {
        const rows = this.s.requestsAfter.all(after, BACKFILL_PAGE) as (RollupRequestRow & { id: number })[];
        if (rows.length === 0) break;
        after = rows.at(-1)!.id;
        groupRequests(rows.map(rollupRequestFrom), groups);
        if (groups.size > BACKFILL_GROUPS) {
          this.writeGroups(groups);
          groups = new Groups();
        }
      }
      this.writeGroups(groups);
      this.writeIncidents(this.s.allIncidents.all() as RollupIncident[]);
    })();
    return true;
  }
}
