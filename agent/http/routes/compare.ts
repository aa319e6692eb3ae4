import { Hono } from 'hono';
import type { CompareResponse } from '../../../shared/series.js';
import type { SeriesQuery } from '../../store/SeriesQuery.js';
import { rejectUnknownParams, timeWindow } from '../query.js';
import { rollupSource } from './series.js';

/**
 * Per model, each backend's inference count and decode/prefill/latency quantiles over `range`
 * (default 7d) or `from`/`to`, with MLX's decode speed-up over Metal: "MLX vs Metal" at a glance.
 */
export function compareRoute(query: SeriesQuery, now: () => number = Date.now): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, ['range', 'from', 'to']);
    const { from, to } = timeWindow(q, now(), '7d');
    const { source, bucketMs } = rollupSource(from, to);
    const body: CompareResponse = {
      from: new Date(Math.floor(from / bucketMs) * bucketMs).toISOString(),
      to: new Date(to).toISOString(),
      source,
      items: query.compare(from, to, bucketMs),
    };
    return c.json(body);
  });
}
