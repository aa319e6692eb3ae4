import type { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { pageRoute } from './pageRoute.js';

/** Model loads, newest first: which engine and backend each runner really used; `from`/`to` keep those of a time window. */
export const loadsRoute = (store: Store): Hono =>
  pageRoute((limit, before, window) => store.loads(limit, before, window), undefined, { windowed: true });
