import type { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { pageRoute } from './pageRoute.js';

/** Model loads, newest first: which engine and backend each runner really used. */
export const loadsRoute = (store: Store): Hono => pageRoute((limit, before) => store.loads(limit, before));
