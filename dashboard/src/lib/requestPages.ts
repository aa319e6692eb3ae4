// Paging the request table: the newest page is live (from the rows in memory); older pages are
// asked of `/api/requests` with the `before=` cursor and the same filters. Only one page is ever
// rendered. Pure, so vitest can import it.
import type { RequestRecord } from '../../../shared/records.js';
import { ALL, filterRequests, type RequestFilter } from './requestFilter.js';

export const PAGE_SIZE = 50;

/** The live page: the newest PAGE_SIZE rows in memory that match. */
export function livePage(rows: readonly RequestRecord[], filter: RequestFilter, size = PAGE_SIZE): readonly RequestRecord[] {
  const matching = filterRequests(rows, filter);
  return matching.length > size ? matching.slice(0, size) : matching;
}

/** `/api/requests?limit=…&before=…&model=…`: one more row than a page, to know whether older ones exist. */
export function pageUrl(before: number, filter: RequestFilter, size = PAGE_SIZE): string {
  const q = new URLSearchParams({ limit: String(size + 1), before: String(before) });
  if (filter.model !== ALL) q.set('model', filter.model);
  if (filter.backend !== ALL) q.set('backend', filter.backend);
  if (filter.status !== ALL) q.set('status', filter.status);
  return `/api/requests?${q.toString()}`;
}

/** The id to page back from: the oldest row shown; null when nothing is shown. */
export function olderCursor(page: readonly RequestRecord[]): number | null {
  return page.length === 0 ? null : page[page.length - 1]!.id;
}

/**
 * Whether the live page may have older rows: more matching rows in memory than a page, or rows
 * stored beyond those kept in memory (they may match).
 */
export function liveHasOlder(matchingInMemory: number, inMemory: number, stored: number | null, size = PAGE_SIZE): boolean {
  if (matchingInMemory > size) return true;
  return matchingInMemory > 0 && stored !== null && stored > inMemory;
}

/** "Requests 101–150, newest first" style position words. */
export function pageText(first: RequestRecord | undefined, last: RequestRecord | undefined, live: boolean): string {
  if (first === undefined || last === undefined) return live ? 'Newest requests' : 'No older requests';
  return live ? 'Newest requests, live' : `Older requests: #${first.id} to #${last.id}`;
}
