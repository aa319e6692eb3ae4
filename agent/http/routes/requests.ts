import { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { intParam, rejectUnknownParams } from '../query.js';

export function requestsRoute(store: Store): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, ['limit', 'before']);
    const limit = intParam(q.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!;
    const before = intParam(q.before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
    return c.json({ items: store.requests(limit, before), total: store.requestCount() });
  });
}
