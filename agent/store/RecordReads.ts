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

export class RecordReads {
  private readonly r: Record<
    | 'requestsPage'
    | 'requestsBefore'
    | 'loadsPage'
    | 'loadsBefore'
    | 'loadsWindow'
    | 'incidentsPage'
    | 'incidentsBefore'
    | 'incidentsWindow'
    | 'latestConfig'
    | 'latestVersion',
    Statement
  >;

  constructor(readonly db: Database) {
    const page = (table: string, columns: string): [Statement, Statement, Statement] => [
      db.prepare(`SELECT ${columns} FROM ${table} ORDER BY id DESC LIMIT ?`),
      db.prepare(`SELECT ${columns} FROM ${table} WHERE id < ? ORDER BY id DESC LIMIT ?`),
      db.prepare(`SELECT ${columns} FROM ${table} WHERE id < ? AND ts >= ? AND ts < ? ORDER BY id DESC LIMIT ?`),
    ];
    const [requestsPage, requestsBefore] = page('requests', REQUEST_COLUMNS);
    const [loadsPage, loadsBefore, loadsWindow] = page('loads', LOAD_COLUMNS);
    const [incidentsPage, incidentsBefore, incidentsWindow] = page('incidents', INCIDENT_COLUMNS);
    this.r = {
      requestsPage,
      requestsBefore,
      loadsPage,
      loadsBefore,
      loadsWindow,
      incidentsPage,
      incidentsBefore,
      incidentsWindow,
      latestConfig: db.prepare(`SELECT config_json FROM server_runs WHERE config_json != '{}' ORDER BY id DESC LIMIT 1`),
      latestVersion: db.prepare('SELECT version FROM server_runs WHERE version IS NOT NULL ORDER BY id DESC LIMIT 1'),
    };
  }

  /** Newest first; `before` is an id (exclusive) for paging back. */
  requests(limit: number, before?: number): RequestRecord[] {
    const rows = (before === undefined ? this.r.requestsPage.all(limit) : this.r.requestsBefore.all(before, limit)) as RequestRow[];
    return rows.map(rowToRequest);
  }

  /** Newest first; with a window, only rows whose time is known and in [from, to). */
  loads(limit: number, before?: number, window?: TimeFilter): LoadRecord[] {
    const rows = (
      window !== undefined
        ? this.windowed(this.r.loadsWindow, limit, before, window)
        : before === undefined
          ? this.r.loadsPage.all(limit)
          : this.r.loadsBefore.all(before, limit)
    ) as LoadRow[];
    return rows.map(rowToLoad);
  }

  incidents(limit: number, before?: number, window?: TimeFilter): IncidentRecord[] {
    const rows = (
      window !== undefined
        ? this.windowed(this.r.incidentsWindow, limit, before, window)
        : before === undefined
          ? this.r.incidentsPage.all(limit)
          : this.r.incidentsBefore.all(before, limit)
    ) as IncidentRow[];
    return rows.map(rowToIncident);
  }

  private windowed(stmt: Statement, limit: number, before: number | undefined, { from, to }: TimeFilter): unknown[] {
    return stmt.all(before ?? Number.MAX_SAFE_INTEGER, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER, limit);
  }

  /** The `server config` env map of the latest server start seen in any log (empty when none). */
  latestServerConfig(): Record<string, string> {
    const row = this.r.latestConfig.get() as { config_json: string } | undefined;
    return row ? (JSON.parse(row.config_json) as Record<string, string>) : {};
  }

  /** The Ollama version of the latest server start seen in any log. */
  latestLoggedVersion(): string | null {
    return (this.r.latestVersion.get() as { version: string } | undefined)?.version ?? null;
  }
}
