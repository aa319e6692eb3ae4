// The log's records as the dashboard and the API read them back: pages of requests, loads and
// incidents, newest first, and what the latest server start said. Store adds the writing to it.
import type { Database, Statement } from 'better-sqlite3';
import type { IncidentRecord, LoadRecord, RequestRecord } from '../../shared/records.js';
import { INCIDENT_COLUMNS, LOAD_COLUMNS, rowToIncident, rowToLoad, type IncidentRow, type LoadRow } from './recordRows.js';
import { REQUEST_COLUMNS, rowToRequest, type RequestRow } from './requestRows.js';

/** Epoch-ms bounds on `ts`, [from, to); either may be open. */
export interface TimeFilter {
  from?: number;
  to?: number;
}

/** A table's reads, newest first: its latest rows, those before an id, those before an id within a time window. */
interface Pages {
  latest: Statement;
  before: Statement;
  window: Statement;
}

function rowsOf(pages: Pages, limit: number, before: number | undefined, window: TimeFilter | undefined): unknown[] {
  if (window !== undefined) {
    const { from, to } = window;
    return pages.window.all(before ?? Number.MAX_SAFE_INTEGER, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER, limit);
  }
  return before === undefined ? pages.latest.all(limit) : pages.before.all(before, limit);
}

export class RecordReads {
  private readonly requestPages: Pages;
  private readonly loadPages: Pages;
  private readonly incidentPages: Pages;
  private readonly latestConfig: Statement;
  private readonly latestVersion: Statement;

  constructor(readonly db: Database) {
    const pages = (table: string, columns: string): Pages => ({
      latest: db.prepare(`SELECT ${columns} FROM ${table} ORDER BY id DESC LIMIT ?`),
      before: db.prepare(`SELECT ${columns} FROM ${table} WHERE id < ? ORDER BY id DESC LIMIT ?`),
      window: db.prepare(`SELECT ${columns} FROM ${table} WHERE id < ? AND ts >= ? AND ts < ? ORDER BY id DESC LIMIT ?`),
    });
    this.requestPages = pages('requests', REQUEST_COLUMNS);
    this.loadPages = pages('loads', LOAD_COLUMNS);
    this.incidentPages = pages('incidents', INCIDENT_COLUMNS);
    this.latestConfig = db.prepare(`SELECT config_json FROM server_runs WHERE config_json != '{}' ORDER BY id DESC LIMIT 1`);
    this.latestVersion = db.prepare('SELECT version FROM server_runs WHERE version IS NOT NULL ORDER BY id DESC LIMIT 1');
  }

  /** Newest first; `before` is an id (exclusive) for paging back. */
  requests(limit: number, before?: number): RequestRecord[] {
    return (rowsOf(this.requestPages, limit, before, undefined) as RequestRow[]).map(rowToRequest);
  }

  /** Newest first; with a window, only rows whose time is known and in [from, to). */
  loads(limit: number, before?: number, window?: TimeFilter): LoadRecord[] {
    return (rowsOf(this.loadPages, limit, before, window) as LoadRow[]).map(rowToLoad);
  }

  incidents(limit: number, before?: number, window?: TimeFilter): IncidentRecord[] {
    return (rowsOf(this.incidentPages, limit, before, window) as IncidentRow[]).map(rowToIncident);
  }

  /** The `server config` env map of the latest server start seen in any log (empty when none). */
  latestServerConfig(): Record<string, string> {
    const row = this.latestConfig.get() as { config_json: string } | undefined;
    return row ? (JSON.parse(row.config_json) as Record<string, string>) : {};
  }

  /** The Ollama version of the latest server start seen in any log. */
  latestLoggedVersion(): string | null {
    return (this.latestVersion.get() as { version: string } | undefined)?.version ?? null;
  }
}
