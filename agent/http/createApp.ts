// The HTTP API and the built dashboard, composed from one router per resource.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { LoadedModel } from '../../shared/models.js';
import type { AgentStatus } from '../../shared/status.js';
import { RequestQuery } from '../store/RequestQuery.js';
import { SeriesQuery } from '../store/SeriesQuery.js';
import type { DatabaseHealth } from '../store/databaseDamage.js';
import type { Store } from '../store/Store.js';
import type { AccessPolicy } from './accessGuard.js';
import { accessMiddleware } from './accessMiddleware.js';
import { ApiError, errorResponse } from './errors.js';
import { alertsRoute, type AlertsRouteDeps } from './routes/alerts.js';
import { compareRoute } from './routes/compare.js';
import { healthRoute } from './routes/health.js';
import { incidentsRoute } from './routes/incidents.js';
import { loadsRoute } from './routes/loads.js';
import { memoryRoute, type MemoryRouteDeps } from './routes/memory.js';
import { metricsRoute, type MetricsSource } from './routes/metrics.js';
import { modelsRoute } from './routes/models.js';
import { requestsRoute } from './routes/requests.js';
import { seriesRoute } from './routes/series.js';
import { log } from '../log.js';

export interface AppDeps {
  store: Store;
  status: () => AgentStatus;
  /** Directory of the built dashboard (dist/dashboard). */
  dashboardDir: string;
  memory: MemoryRouteDeps;
  models: () => { items: LoadedModel[]; checkedAt: string | null };
  alerts: AlertsRouteDeps;
  /** Chart data from the rollups; made from the store's database when not given. */
  series?: SeriesQuery;
  /** The clock of the time-window routes (tests). */
  now?: () => number;
  /** Who may ask (Host, token); loopback without a token when absent. */
  access?: AccessPolicy;
  /** `/metrics` in Prometheus' text format; the route is absent without it. */
  metrics?: MetricsSource;
  /** Told of every failed request's error: a damaged database shows in /api/health. */
  database?: DatabaseHealth;
}

export function createApp({
  store,
  status,
  dashboardDir,
  memory,
  models,
  alerts,
  series,
  now = Date.now,
  access,
  metrics,
  database,
}: AppDeps): Hono {
  const seriesQuery = series ?? new SeriesQuery(store.db);
  const app = new Hono();
  // Before the guard, so its own 401/403/303 replies carry these too.
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  app.use('*', accessMiddleware(access ?? { boundHost: '127.0.0.1', port: () => 0, token: null }));
  app.route(
    '/api/health',
    healthRoute(status, () => database?.damage ?? null),
  );
  app.route('/api/requests', requestsRoute(store, new RequestQuery(store.db)));
  app.route('/api/loads', loadsRoute(store));
  app.route('/api/incidents', incidentsRoute(store));
  app.route('/api/memory', memoryRoute(memory));
  app.route('/api/models', modelsRoute(models));
  app.route('/api/alerts', alertsRoute(alerts));
  app.route('/api/series', seriesRoute(seriesQuery, now));
  app.route('/api/compare', compareRoute(seriesQuery, now));
  // After the access guard, like every route: a scraper needs the token too.
  if (metrics) app.route('/metrics', metricsRoute(metrics));
  app.all('/api/*', (c) => errorResponse(c, 404, 'not_found', `no API route ${c.req.method} ${c.req.path}`));

  if (existsSync(join(dashboardDir, 'index.html'))) {
    app.use('*', async (c, next) => {
      await next();
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    });
    // serveStatic resolves `root` against the working directory, so give it a relative path.
    app.use('*', serveStatic({ root: relative(process.cwd(), dashboardDir) || '.' }));
  } else {
    app.get('/', (c) =>
      c.text(`The dashboard is not built (${dashboardDir} is missing). Run: npm run build\nThe API is up: /api/health\n`, 503),
    );
  }

  app.notFound((c) => errorResponse(c, 404, 'not_found', `nothing at ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message);
    if (database?.note(err)) return errorResponse(c, 503, 'database_damaged', database.damage!);
    log.error(`HTTP ${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, 500, 'internal', 'internal error; see the agent log');
  });
  return app;
}
