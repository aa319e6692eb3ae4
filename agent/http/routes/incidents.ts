import type { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { pageRoute } from './pageRoute.js';

/** Incidents with their evidence, newest first; `from`/`to` keep those of a time window. */
export const incidentsRoute = (store: Store): Hono =>
  pageRoute((limit, before, window) => store.incidents(limit, before, window), undefined, { windowed: true });
