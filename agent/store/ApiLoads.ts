// Loads as /api/ps sees them, merged into the log's loads. A model the API lists is matched to the
// newest live load of the same name or blob; only when no log load exists does it get a row of its
// own (origin `api`). When the API stops listing it, the load gets `unloaded_at`.
import type { Database, Statement } from 'better-sqlite3';
import type { Backend, Engine, LoadRecord } from '../../shared/records.js';
import { LOAD_COLUMNS, rowToLoad, type LoadRow } from './recordRows.js';

export interface ApiLoadFacts {
  at: string;
  ts: number;
  model: string;
  blob: string | null;
  engine: Engine | null;
  backend: Backend | null;
  ctx: number | null;
  sizeBytes: number | null;
  vramBytes: number | null;
}

export class ApiLoads {
  private readonly s: Record<'findOpen' | 'seen' | 'insert' | 'nextKey' | 'unload' | 'openSeen' | 'byId', Statement>;

  constructor(
    db: Database,
    private readonly sourceId: number,
  ) {
    const one = (sql: string): Statement => db.prepare(sql);
    this.s = {
      // Loads that failed or stopped are over; anything else may be the one listed. One the API
      // stopped listing is still a candidate: a poll that timed out while Ollama was busy (or a
      // restart of the agent) must not split one load in two; markSeen reopens it.
      findOpen: one(
        `SELECT ${LOAD_COLUMNS} FROM loads
         WHERE (model = ? OR (blob IS NOT NULL AND blob = ?)) AND (outcome IS NULL OR outcome = 'ready')
         ORDER BY id DESC LIMIT 1`,
      ),
      seen: one(
        `UPDATE loads SET size_bytes = ?, vram_bytes = ?, api_seen = 1, unloaded_at = NULL, model = COALESCE(model, ?), blob = COALESCE(blob, ?)
         WHERE id = ? RETURNING ${LOAD_COLUMNS}`,
      ),
      nextKey: one('SELECT COALESCE(MAX(key), 0) + 1 AS k FROM loads WHERE source_id = ?'),
      insert: one(
        `INSERT INTO loads (source_id, key, at, ts, model, blob, engine, backend, ctx, outcome, size_bytes, vram_bytes, api_seen, origin)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, 1, 'api') RETURNING ${LOAD_COLUMNS}`,
      ),
      unload: one(
        `UPDATE loads SET unloaded_at = ?, outcome = CASE WHEN origin = 'api' AND outcome = 'ready' THEN 'stopped' ELSE outcome END
         WHERE id = ? AND unloaded_at IS NULL RETURNING ${LOAD_COLUMNS}`,
      ),
      openSeen: one(`SELECT ${LOAD_COLUMNS} FROM loads WHERE api_seen = 1 AND unloaded_at IS NULL ORDER BY id`),
      byId: one(`SELECT ${LOAD_COLUMNS} FROM loads WHERE id = ?`),
    };
  }

  /** The newest load that may be the one the API lists under this name or blob. */
  findOpen(model: string, blob: string | null): LoadRecord | null {
    const row = this.s.findOpen.get(model, blob) as LoadRow | undefined;
    return row ? rowToLoad(row) : null;
  }

  /** The API lists this load: record its sizes, and its name or blob when the log lacked them. */
  markSeen(id: number, f: Pick<ApiLoadFacts, 'sizeBytes' | 'vramBytes' | 'model' | 'blob'>): LoadRecord {
    return rowToLoad(this.s.seen.get(f.sizeBytes, f.vramBytes, f.model, f.blob, id) as LoadRow);
  }

  /** A load no log line describes (the log is not read, or started after the load). */
  create(f: ApiLoadFacts): LoadRecord {
    const key = (this.s.nextKey.get(this.sourceId) as { k: number }).k;
    return rowToLoad(
      this.s.insert.get(this.sourceId, key, f.at, f.ts, f.model, f.blob, f.engine, f.backend, f.ctx, f.sizeBytes, f.vramBytes) as LoadRow,
    );
  }

  /** The API no longer lists it; null when it was already marked. */
  markUnloaded(id: number, at: string): LoadRecord | null {
    const row = this.s.unload.get(at, id) as LoadRow | undefined;
    return row ? rowToLoad(row) : null;
  }

  /** Loads the API listed and has not seen go, e.g. before the agent restarted. */
  openSeen(): LoadRecord[] {
    return (this.s.openSeen.all() as LoadRow[]).map(rowToLoad);
  }

  byId(id: number): LoadRecord | null {
    const row = this.s.byId.get(id) as LoadRow | undefined;
    return row ? rowToLoad(row) : null;
  }
}
