// GET /metrics: Prometheus text exposition (0.0.4) of the agent's registry. Behind the access guard
// like every route: with --token, scrape with `authorization: { credentials: TOKEN }`.
import { Hono } from 'hono';

export interface MetricsSource {
  /** `text/plain; version=0.0.4; charset=utf-8` */
  readonly contentType: string;
  metrics(): Promise<string>;
}

export function metricsRoute(source: MetricsSource): Hono {
  return new Hono().get('/', async (c) => {
    const body = await source.metrics();
    c.header('Cache-Control', 'no-store');
    return c.body(body, 200, { 'Content-Type': source.contentType });
  });
}
