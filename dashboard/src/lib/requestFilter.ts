// The request table's filters (model, backend, status class): what they keep, the options of their
// <select>s and the summary of a filtered view. Pure.
import type { RequestRecord } from '../../../shared/records.js';
import { formatBackend, formatCount, UNKNOWN } from './format.js';

export type StatusClassFilter = '' | '2xx' | '4xx' | '5xx';

/** `''` shows everything; `NONE` selects rows where the field is unknown. */
export interface RequestFilter {
  model: string;
  backend: string;
  status: StatusClassFilter;
}

export const ALL = '';
/** The value of the "—" option (no model / backend known). Not a valid Ollama model name. */
export const NONE = '(unknown)';

export const NO_FILTER: RequestFilter = Object.freeze({ model: ALL, backend: ALL, status: ALL });

export function isFiltered(filter: RequestFilter): boolean {
  return filter.model !== ALL || filter.backend !== ALL || filter.status !== ALL;
}

function matches(value: string | null, wanted: string): boolean {
  return wanted === ALL || (wanted === NONE ? value === null : value === wanted);
}

function statusMatches(status: number, wanted: StatusClassFilter): boolean {
  if (wanted === ALL) return true;
  const base = Number(wanted[0]) * 100;
  return status >= base && status < base + 100;
}

/** The rows the filter keeps, in order; `rows` itself when nothing is filtered. */
export function filterRequests(rows: readonly RequestRecord[], filter: RequestFilter): readonly RequestRecord[] {
  if (!isFiltered(filter)) return rows;
  return rows.filter((r) => matches(r.model, filter.model) && matches(r.backend, filter.backend) && statusMatches(r.status, filter.status));
}

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * The options of the model or backend <select>: "All", then the values present in `rows`
 * (sorted), then "—" when some rows do not know it. The current selection is always kept, so
 * a value that scrolled out of the list does not silently reset the filter.
 */
export function filterOptions(rows: readonly RequestRecord[], field: 'model' | 'backend', selected: string = ALL): FilterOption[] {
  const values = new Set<string>();
  let unknown = false;
  for (const row of rows) {
    const v = row[field];
    if (v === null) unknown = true;
    else values.add(v);
  }
  if (selected !== ALL && selected !== NONE) values.add(selected);
  if (selected === NONE) unknown = true;
  const label = field === 'backend' ? (v: string) => formatBackend(v) : (v: string) => v;
  const options: FilterOption[] = [{ value: ALL, label: field === 'model' ? 'All models' : 'All backends' }];
  for (const v of [...values].sort((a, b) => a.localeCompare(b))) options.push({ value: v, label: label(v) });
  if (unknown) options.push({ value: NONE, label: `${UNKNOWN} (unknown)` });
  return options;
}

export const STATUS_OPTIONS: readonly FilterOption[] = [
  { value: ALL, label: 'All statuses' },
  { value: '2xx', label: '2xx success' },
  { value: '4xx', label: '4xx client error' },
  { value: '5xx', label: '5xx server error' },
];

/** "Showing 12 of 200 requests" when filtered. */
export function filterSummaryText(shown: number, kept: number): string {
  return `Showing ${formatCount(shown)} of ${formatCount(kept)} ${kept === 1 ? 'request' : 'requests'}`;
}
