import { Hono } from 'hono';
import type { TimeFilter } from '../../store/RecordReads.js';
import { ApiError } from '../errors.js';
import { intParam, rejectUnknownParams, timeParam } from '../query.js';

/**
 * A newest-first list resource paged by id: `?limit=1..1000&before=ID`. With `windowed`, also
 * `from`/`to` (ISO-8601 or epoch ms, either or both) on the rows' time, [from, to).
 */
export function pageRoute<T>(
  list: (limit: number, before?: number, window?: TimeFilter) => T[],
  extra: () => Record<string, unknown> = () => ({}),
  { windowed = false }: { windowed?: boolean } = {},
): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, windowed ? ['limit', 'before', 'from', 'to'] : ['limit', 'before']);
    const limit = intParam(q.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!;
    const before = intParam(q.before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
    let window: TimeFilter | undefined;
    if (q.from !== undefined || q.to !== undefined) {
      window = {};
      if (q.from !== undefined) window.from = timeParam(q.from, 'from');
      if (q.to !== undefined) window.to = timeParam(q.to, 'to');
      if (window.from !== undefined && window.to !== undefined && window.to <= window.from) {
        throw new ApiError(400, 'bad_request', 'to must be after from');
      }
    }
    return c.json({ items: list(limit, before, window), ...extra() });
  });
}
