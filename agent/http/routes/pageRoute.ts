import { Hono } from 'hono';
import { intParam, rejectUnknownParams } from '../query.js';

/** A newest-first list resource paged by id: `?limit=1..1000&before=ID`. */
export function pageRoute<T>(list: (limit: number, before?: number) => T[], extra: () => Record<string, unknown> = () => ({})): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, ['limit', 'before']);
    const limit = intParam(q.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!;
    const before = intParam(q.before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
    return c.json({ items: list(limit, before), ...extra() });
  });
}
