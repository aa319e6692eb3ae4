// Retention's SQL: every statement a pass runs, prepared once, and the chunked deletes built on them.
// Each delete takes at most `chunkRows` rows in one short transaction and says whether another chunk may
// find more; when to run them, in what order, and the pauses between chunks are Retention's.
import type { Database, Statement } from 'better-sqlite3';

/** One chunk's result: rows affected, and whether another chunk may find more. */
export type Chunk = { rows: number; more: boolean };

export class RetentionDeletes {
  private readonly s: ReturnType<typeof prepare>;

  constructor(
    private readonly db: Database,
    private readonly chunkRows: number,
    /** Raw requests were deleted (the Store keeps a running count). */
    private readonly onRequestsDeleted?: (n: number) => void,
  ) {
    this.s = prepare(db);
  }

  deleteRequests(before: number): Chunk {
    const s = this.s;
    const n = this.db.transaction((): number => {
      const ids = (s.oldRequests.all(before, this.chunkRows) as { id: number }[]).map((r) => r.id);
      if (ids.length === 0) return 0;
      const json = JSON.stringify(ids);
      s.deleteProxy.run(json);
      s.unlinkIncidentRequests.run(json);
      s.unlinkAlertRequests.run(json);
      return s.deleteRequests.run(json).changes;
    })();
    if (n > 0) this.onRequestsDeleted?.(n);
    return { rows: n, more: n >= this.chunkRows };
  }

  deleteMemoryRollups(before: number): Chunk {
    return this.deleteRows(this.s.memoryRollups, before);
  }

  deleteMemorySamples(before: number): Chunk {
    return this.deleteRows(this.s.memorySamples, before);
  }

  /** Resolved alerts last seen before `before`. */
  deleteAlerts(before: number): Chunk {
    return this.deleteRows(this.s.alerts, before);
  }

  deleteIncidents(before: number): Chunk {
    return this.deleteLinked(this.s.oldIncidents, before, [this.s.unlinkAlertIncidents], this.s.deleteIncidents);
  }

  deleteLoads(before: number): Chunk {
    return this.deleteLinked(this.s.oldLoads, before, [this.s.unlinkAlertLoads], this.s.deleteLoads);
  }

  /** The time of the oldest raw request kept, null when there is none. */
  oldestRequestTs(): number | null {
    return (this.s.oldestRequest.get() as { ts: number | null }).ts;
  }

  /** Selected ids, their links cleared, then deleted; one transaction. */
  private deleteLinked(select: Statement, before: number, unlink: Statement[], del: Statement): Chunk {
    const n = this.db.transaction((): number => {
      const ids = (select.all(before, this.chunkRows) as { id: number }[]).map((r) => r.id);
      if (ids.length === 0) return 0;
      const json = JSON.stringify(ids);
      for (const u of unlink) u.run(json);
      return del.run(json).changes;
    })();
    return { rows: n, more: n >= this.chunkRows };
  }

  /** `DELETE … WHERE rowid IN (SELECT … LIMIT chunk)` statements taking (before, limit). */
  private deleteRows(stmt: Statement, before: number): Chunk {
    const n = stmt.run(before, this.chunkRows).changes;
    return { rows: n, more: n >= this.chunkRows };
  }

  /**
   * The rollup tables have no rowid: the chunk is every row up to the ts of the chunk-th oldest one
   * (a few more when several models share that bucket), else everything before the cut.
   */
  deleteRollups(kind: 'request' | 'incident', bucketMs: number, before: number): Chunk {
    const bound = this.s[`${kind}RollupBound`];
    const del = this.s[`${kind}RollupDelete`];
    const row = bound.get(bucketMs, before, this.chunkRows - 1) as { ts: number } | undefined;
    const n = del.run(bucketMs, row === undefined ? before : row.ts + 1).changes;
    return { rows: n, more: row !== undefined };
  }
}

/** Every statement a pass runs, prepared once per database. */
function prepare(db: Database) {
  const ids = 'SELECT value FROM json_each(?)';
  const rollupBound = (table: string): Statement =>
    db.prepare(`SELECT ts FROM ${table} WHERE bucket_ms = ? AND ts < ? ORDER BY ts LIMIT 1 OFFSET ?`);
  const rollupDelete = (table: string): Statement => db.prepare(`DELETE FROM ${table} WHERE bucket_ms = ? AND ts < ?`);
  return {
    // Oldest first; a request a firing alert points at stays.
    oldRequests: db.prepare(
      `SELECT id FROM requests WHERE ts < ? AND id NOT IN
         (SELECT request_id FROM alerts WHERE state = 'firing' AND request_id IS NOT NULL) ORDER BY ts LIMIT ?`,
    ),
    deleteProxy: db.prepare(`DELETE FROM proxy_requests WHERE request_id IN (${ids})`),
    unlinkIncidentRequests: db.prepare(`UPDATE incidents SET request_id = NULL WHERE request_id IN (${ids})`),
    unlinkAlertRequests: db.prepare(`UPDATE alerts SET request_id = NULL WHERE request_id IN (${ids})`),
    deleteRequests: db.prepare(`DELETE FROM requests WHERE id IN (${ids})`),
    requestRollupBound: rollupBound('request_rollups'),
    requestRollupDelete: rollupDelete('request_rollups'),
    incidentRollupBound: rollupBound('incident_rollups'),
    incidentRollupDelete: rollupDelete('incident_rollups'),
    memoryRollups: db.prepare('DELETE FROM memory_rollups WHERE ts IN (SELECT ts FROM memory_rollups WHERE ts < ? ORDER BY ts LIMIT ?)'),
    memorySamples: db.prepare('DELETE FROM memory_samples WHERE id IN (SELECT id FROM memory_samples WHERE ts < ? ORDER BY ts LIMIT ?)'),
    alerts: db.prepare(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE state = 'resolved' AND last_ts < ? ORDER BY id LIMIT ?)`,
    ),
    oldIncidents: db.prepare(
      `SELECT id FROM incidents WHERE ts < ? AND id NOT IN
         (SELECT incident_id FROM alerts WHERE state = 'firing' AND incident_id IS NOT NULL) ORDER BY ts LIMIT ?`,
    ),
    unlinkAlertIncidents: db.prepare(`UPDATE alerts SET incident_id = NULL WHERE incident_id IN (${ids})`),
    deleteIncidents: db.prepare(`DELETE FROM incidents WHERE id IN (${ids})`),
    // A load still pointed at, or one /api/ps listed and never saw go away, stays.
    oldLoads: db.prepare(
      `SELECT id FROM loads l WHERE ts < ? AND NOT (api_seen = 1 AND unloaded_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.load_id = l.id)
         AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.load_id = l.id)
         AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.load_id = l.id AND a.state = 'firing')
       ORDER BY ts LIMIT ?`,
    ),
    unlinkAlertLoads: db.prepare(`UPDATE alerts SET load_id = NULL WHERE load_id IN (${ids})`),
    deleteLoads: db.prepare(`DELETE FROM loads WHERE id IN (${ids})`),
    oldestRequest: db.prepare('SELECT MIN(ts) AS ts FROM requests'),
  };
}
