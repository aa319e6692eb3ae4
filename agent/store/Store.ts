// All SQL of the agent. Statements are prepared once; each ingest batch is one transaction that
// writes the rows and moves the source checkpoint together.
import type { Database, Statement } from 'better-sqlite3';
import type { RequestRecord } from '../../shared/types.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { REQUEST_COLUMNS, requestParams, rowToRequest, type RequestRow } from './requestRows.js';

export interface Checkpoint {
  sourceId: number;
  path: string;
  identity: string | null;
  fingerprint: string | null;
  offset: number;
  linesRead: number;
  stateJson: string | null;
}

export interface BatchResult {
  requests: RequestRecord[];
}

export class Store {
  private readonly s: {
    sourceByPath: Statement;
    insertSource: Statement;
    saveCheckpoint: Statement;
    insertRequest: Statement;
    insertServer: Statement;
    requestById: Statement;
    requestsPage: Statement;
    requestsBefore: Statement;
    requestCount: Statement;
    latestVersion: Statement;
  };
  /** Kept in step with the table so status updates need no count(*) over a large table. */
  private count: number;

  constructor(readonly db: Database) {
    this.s = {
      sourceByPath: db.prepare('SELECT id, path, identity, fingerprint, offset, lines_read, state_json FROM sources WHERE path = ?'),
      insertSource: db.prepare('INSERT INTO sources (path) VALUES (?) ON CONFLICT (path) DO NOTHING'),
      saveCheckpoint: db.prepare(
        'UPDATE sources SET identity = ?, fingerprint = ?, offset = ?, lines_read = ?, state_json = ?, updated_at = ? WHERE id = ?',
      ),
      insertRequest: db.prepare(
        `INSERT INTO requests (source_id, at, ts, method, path, status, latency_ms, client, kind, model, backend,
           prompt_tokens, completion_tokens, prefill_tps, decode_tps, ctx_used, ctx_limit, truncated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${REQUEST_COLUMNS}`,
      ),
      insertServer: db.prepare('INSERT INTO server_runs (source_id, at, ts, address, version) VALUES (?, ?, ?, ?, ?)'),
      requestById: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE id = ?`),
      requestsPage: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests ORDER BY id DESC LIMIT ?`),
      requestsBefore: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE id < ? ORDER BY id DESC LIMIT ?`),
      requestCount: db.prepare('SELECT count(*) AS n FROM requests'),
      latestVersion: db.prepare('SELECT version FROM server_runs WHERE version IS NOT NULL ORDER BY id DESC LIMIT 1'),
    };
    this.count = (this.s.requestCount.get() as { n: number }).n;
  }

  /** The checkpoint of a source, creating the source on first sight. */
  checkpoint(path: string): Checkpoint {
    this.s.insertSource.run(path);
    const r = this.s.sourceByPath.get(path) as {
      id: number; path: string; identity: string | null; fingerprint: string | null; offset: number; lines_read: number; state_json: string | null;
    };
    return {
      sourceId: r.id, path: r.path, identity: r.identity, fingerprint: r.fingerprint,
      offset: r.offset, linesRead: r.lines_read, stateJson: r.state_json,
    };
  }

  /** Writes the records of one read burst and the checkpoint after them, atomically. */
  writeBatch(records: readonly CorrelatedRecord[], cp: Checkpoint, now: number): BatchResult {
    const requests: RequestRecord[] = [];
    this.db.transaction(() => {
      for (const rec of records) {
        if (rec.kind === 'request') {
          requests.push(rowToRequest(this.s.insertRequest.get(...requestParams(cp.sourceId, rec.record)) as RequestRow));
        } else {
          const r = rec.record;
          this.s.insertServer.run(cp.sourceId, r.at, r.ts, r.address, r.version);
        }
      }
      this.s.saveCheckpoint.run(cp.identity, cp.fingerprint, cp.offset, cp.linesRead, cp.stateJson, now, cp.sourceId);
    })();
    this.count += requests.length;
    return { requests };
  }

  /** Newest first; `before` is an id (exclusive) for paging back. */
  requests(limit: number, before?: number): RequestRecord[] {
    const rows = (before === undefined ? this.s.requestsPage.all(limit) : this.s.requestsBefore.all(before, limit)) as RequestRow[];
    return rows.map(rowToRequest);
  }

  requestCount(): number {
    return this.count;
  }

  /** The Ollama version of the latest server start seen in any log. */
  latestLoggedVersion(): string | null {
    return (this.s.latestVersion.get() as { version: string } | undefined)?.version ?? null;
  }
}
