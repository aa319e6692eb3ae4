// The request filters of `/api/requests` and `/api/requests/export`, validated at the edge.
import type { RequestFilter } from '../store/RequestQuery.js';
import { ApiError } from './errors.js';
import { timeParam } from './query.js';

export const FILTER_PARAMS = ['from', 'to', 'model', 'backend', 'status'] as const;
/** The value selecting rows where the model or backend is not known (the dashboard's "—"). */
export const UNKNOWN_VALUE = '(unknown)';
const STATUS_CLASSES: Readonly<Record<string, number>> = { '2xx': 2, '4xx': 4, '5xx': 5 };
const MAX_NAME = 200;

function name(raw: string | undefined, param: string): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === '' || raw.length > MAX_NAME) throw new ApiError(400, 'bad_request', `${param} must be 1 to ${MAX_NAME} characters`);
  return raw === UNKNOWN_VALUE ? null : raw;
}

/** The filter the query asks for; `null` when it asks for none (the plain newest-first list). */
export function requestFilter(q: Record<string, string>): RequestFilter | null {
  if (!FILTER_PARAMS.some((p) => q[p] !== undefined)) return null;
  const filter: RequestFilter = {};
  if (q.from !== undefined) filter.from = timeParam(q.from, 'from');
  if (q.to !== undefined) filter.to = timeParam(q.to, 'to');
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from) {
    throw new ApiError(400, 'bad_request', 'to must be after from');
  }
  const model = name(q.model, 'model');
  if (model !== undefined) filter.model = model;
  const backend = name(q.backend, 'backend');
  if (backend !== undefined) filter.backend = backend;
  if (q.status !== undefined) {
    const statusClass = STATUS_CLASSES[q.status];
    if (statusClass === undefined) {
      throw new ApiError(
        400,
        'bad_request',
        `status must be one of ${Object.keys(STATUS_CLASSES).join(', ')}, got "${q.status.slice(0, 40)}"`,
      );
    }
    filter.statusClass = statusClass;
  }
  return filter;
}
