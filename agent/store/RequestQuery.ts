// Requests filtered by time, model, backend and HTTP status class, newest first, paged by id: the
// dashboard's filters asked of the whole table, and the export that walks a month of rows a page
// at a time (so the one connection is never held by an open cursor between pages).
import type { Database, Statement } from 'better-sqlite3';
import type { RequestRecord } from '../../shared/records.js';
import { REQUEST_COLUMNS, rowToRequest, type RequestRow } from './requestRows.js';

/** A name filter: rows with this value, or (`null`) rows where it is unknown. */
export type NameFilter = string | null;

export interface RequestFilter {
  /** Epoch ms, [from, to) on the request's time; open when absent. */
  from?: number;
  to?: number;
  model?: NameFilter;
  backend?: NameFilter;
  /** 2, 4 or 5: that hundred of HTTP statuses. */
  statusClass?: number;
}

/** Rows read per statement run while exporting. */
export const EXPORT_PAGE = 500;

export class RequestQuery {
  private readonly page: Statement;

  constructor(db: Database) {
    // One statement for every combination: an absent filter binds values that match everything
    // (mode 0), so the plan is made once. The id bound keeps paging by the primary key.
    this.page = db.prepare(
      `SELECT ${REQUEST_COLUMNS} FROM requests
        WHERE id < @before
          AND (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts < @to)
          AND (@modelMode = 0 OR (@modelMode = 1 AND model IS NULL) OR (@modelMode = 2 AND model = @model))
          AND (@backendMode = 0 OR (@backendMode = 1 AND backend IS NULL) OR (@backendMode = 2 AND backend = @backend))
          AND status >= @statusFrom AND status < @statusTo
        ORDER BY id DESC LIMIT @limit`,
    );
  }

  private params(filter: RequestFilter, limit: number, before: number | undefined): Record<string, unknown> {
    const mode = (f: NameFilter | undefined) => (f === undefined ? 0 : f === null ? 1 : 2);
    return {
      before: before ?? Number.MAX_SAFE_INTEGER,
      from: filter.from ?? null,
      to: filter.to ?? null,
      modelMode: mode(filter.model),
      model: filter.model ?? null,
      backendMode: mode(filter.backend),
      backend: filter.backend ?? null,
      statusFrom: filter.statusClass === undefined ? -1 : filter.statusClass * 100,
      statusTo: filter.statusClass === undefined ? 1_000_000 : filter.statusClass * 100 + 100,
      limit,
    };
  }

  /** One page, newest first; `before` is an id (exclusive). */
  list(filter: RequestFilter, limit: number, before?: number): RequestRecord[] {
    return (this.page.all(this.params(filter, limit, before)) as RequestRow[]).map(rowToRequest);
  }

  /**
   * Every matching row, newest first, a page at a time: each page is read with `iterate()` to its
   * end before it is handed over, so the caller may await between pages (a slow download) while
   * the agent keeps writing.
   */
  *pages(filter: RequestFilter, pageSize = EXPORT_PAGE): Generator<RequestRecord[]> {
    let before: number | undefined;
    for (;;) {
      const page: RequestRecord[] = [];
      for (const row of this.page.iterate(this.params(filter, pageSize, before)) as IterableIterator<RequestRow>)
        page.push(rowToRequest(row));
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
      before = page[page.length - 1]!.id;
    }
  }
}
