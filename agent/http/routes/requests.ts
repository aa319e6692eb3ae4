import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { RequestQuery } from '../../store/RequestQuery.js';
import type { Store } from '../../store/Store.js';
import { ApiError } from '../errors.js';
import { intParam, rejectUnknownParams } from '../query.js';
import { CSV_HEADER, csvRows } from '../requestCsv.js';
import { FILTER_PARAMS, requestFilter } from '../requestFilterParams.js';

const FORMATS = ['csv', 'json'] as const;

/**
 * `GET /api/requests?limit=&before=` newest first, optionally filtered by `from`/`to` (ISO-8601 or
 * epoch ms), `model`, `backend` (`(unknown)` for rows that do not know it) and `status` (2xx/4xx/5xx);
 * `GET /api/requests/export?format=csv|json&<same filters>` streams every matching row.
 */
export const requestsRoute = (store: Store, query: RequestQuery): Hono =>
  new Hono()
    .get('/', (c) => {
      const q = c.req.query();
      rejectUnknownParams(q, ['limit', 'before', ...FILTER_PARAMS]);
      const limit = intParam(q.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!;
      const before = intParam(q.before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER });
      const filter = requestFilter(q);
      const items = filter === null ? store.requests(limit, before) : query.list(filter, limit, before);
      return c.json({ items, total: store.requestCount() });
    })
    .get('/export', (c) => {
      const q = c.req.query();
      rejectUnknownParams(q, ['format', ...FILTER_PARAMS]);
      const format = q.format;
      if (!FORMATS.includes(format as (typeof FORMATS)[number])) {
        throw new ApiError(400, 'bad_request', `format must be one of ${FORMATS.join(', ')}, got "${(format ?? '').slice(0, 40)}"`);
      }
      const filter = requestFilter(q) ?? {};
      const csv = format === 'csv';
      c.header('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="ollama-lens-requests.${format}"`);
      c.header('Cache-Control', 'no-store');
      return stream(c, async (out) => {
        let first = true;
        await out.write(csv ? CSV_HEADER : '[');
        // A page is read whole, then written: the write awaits the client, never with a cursor open.
        for (const page of query.pages(filter)) {
          if (out.aborted) return;
          if (csv) await out.write(csvRows(page));
          else {
            await out.write(`${first ? '\n' : ',\n'}${page.map((r) => JSON.stringify(r)).join(',\n')}`);
            first = false;
          }
        }
        if (!csv) await out.write('\n]\n');
      });
    });
