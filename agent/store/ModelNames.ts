// The weights-blob → model-name map learnt from /api/show's modelfile. Older Ollama logs name a
// runner only by `…/blobs/sha256-…`; once the API tells us whose blob that is, every load, request
// and incident that carried only the blob gets the name, and later ones get it as they are stored.
import type { Database, Statement } from 'better-sqlite3';
import type { LoadRecord, RequestRecord } from '../../shared/records.js';
import { LOAD_COLUMNS, rowToLoad, type LoadRow } from './recordRows.js';
import { REQUEST_COLUMNS, rowToRequest, type RequestRow } from './requestRows.js';
import { Rollups } from './Rollups.js';

export interface BlobName {
  blob: string;
  model: string;
  architecture: string | null;
  format: string | null;
}

export interface Renamed {
  loads: LoadRecord[];
  /** The newest renamed requests (at most `RENAMED_REQUESTS_PUSHED`), to refresh open dashboards. */
  requests: RequestRecord[];
}

/** A backfilled log may hold thousands of such requests; a dashboard shows a few hundred. */
export const RENAMED_REQUESTS_PUSHED = 500;

export class ModelNames {
  private readonly map = new Map<string, string>();
  private readonly s: Record<'upsert' | 'renameLoads' | 'renameRequests' | 'renameIncidents' | 'renamedRequests', Statement>;
  /** Renamed requests and incidents move to their model's rollups. */
  private readonly rollups: Rollups;

  constructor(private readonly db: Database) {
    for (const r of db.prepare('SELECT blob, model FROM model_blobs').all() as { blob: string; model: string }[])
      this.map.set(r.blob, r.model);
    this.s = {
      upsert: db.prepare(
        `INSERT INTO model_blobs (blob, model, architecture, format, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (blob) DO UPDATE SET model = excluded.model, architecture = excluded.architecture,
           format = excluded.format, updated_at = excluded.updated_at`,
      ),
      renameLoads: db.prepare(`UPDATE loads SET model = ? WHERE blob = ? AND model IS NULL RETURNING ${LOAD_COLUMNS}`),
      renameRequests: db.prepare(
        'UPDATE requests SET model = ? WHERE model IS NULL AND load_id IN (SELECT id FROM loads WHERE blob = ?) RETURNING ts',
      ),
      renameIncidents: db.prepare(
        'UPDATE incidents SET model = ? WHERE model IS NULL AND load_id IN (SELECT id FROM loads WHERE blob = ?) RETURNING ts',
      ),
      renamedRequests: db.prepare(
        `SELECT ${REQUEST_COLUMNS} FROM requests WHERE model = ? AND load_id IN (SELECT id FROM loads WHERE blob = ?)
         ORDER BY id DESC LIMIT ${RENAMED_REQUESTS_PUSHED}`,
      ),
    };
    this.rollups = new Rollups(db);
  }

  get(blob: string): string | undefined {
    return this.map.get(blob);
  }

  /** Every blob's name, as [blob, name] pairs. */
  entries(): [string, string][] {
    return [...this.map];
  }

  get size(): number {
    return this.map.size;
  }

  /** Records who owns a blob and names what carried only the blob, in one transaction. */
  learn(b: BlobName, now: number): Renamed {
    if (this.map.get(b.blob) === b.model) return { loads: [], requests: [] };
    return this.db.transaction((): Renamed => {
      this.s.upsert.run(b.blob, b.model, b.architecture, b.format, now);
      const loads = (this.s.renameLoads.all(b.model, b.blob) as LoadRow[]).map(rowToLoad);
      let requests: RequestRecord[] = [];
      if (loads.length > 0) {
        const renamed = this.s.renameRequests.all(b.model, b.blob) as { ts: number }[];
        const incidents = this.s.renameIncidents.all(b.model, b.blob) as { ts: number | null }[];
        const changed = renamed.length;
        this.rollups.rebuild([...renamed, ...incidents].flatMap((r) => (r.ts === null ? [] : [r.ts])));
        if (changed > 0) requests = (this.s.renamedRequests.all(b.model, b.blob) as RequestRow[]).map(rowToRequest);
      }
      this.map.set(b.blob, b.model);
      return { loads, requests };
    })();
  }
}
