import type { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { pageRoute } from './pageRoute.js';

export const requestsRoute = (store: Store): Hono =>
  pageRoute((limit, before) => store.requests(limit, before), () => ({ total: store.requestCount() }));
