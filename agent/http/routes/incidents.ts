import type { Hono } from 'hono';
import type { Store } from '../../store/Store.js';
import { pageRoute } from './pageRoute.js';

/** Incidents with their evidence, newest first. */
export const incidentsRoute = (store: Store): Hono => pageRoute((limit, before) => store.incidents(limit, before));
