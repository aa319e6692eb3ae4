import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AlertRecord, AlertState } from '../../../shared/alerts.js';
import type { IncidentKind } from '../../../shared/records.js';
import type { AlertQuery } from '../../store/AlertStore.js';
import { ApiError } from '../errors.js';
import { intParam, rejectUnknownParams, timeWindow } from '../query.js';

export interface AlertsRouteDeps {
  list: (q: AlertQuery) => AlertRecord[];
  /** Null when there is no such alert. */
  acknowledge: (id: number) => AlertRecord | null;
  kinds: readonly IncidentKind[];
  now?: () => number;
}

const STATES: readonly AlertState[] = ['firing', 'resolved'];

/** Ids one `ack-all` may name (a page of firing alerts is far smaller). */
const MAX_ACK_IDS = 1000;

/** `{"ids":[…]}` → those ids; an empty body (or `{}`) → null, meaning every firing alert. */
function ackAllIds(raw: string): number[] | null {
  if (raw.trim() === '') return null;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'bad_request', 'the body must be JSON: {} or {"ids":[1,2]}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(400, 'bad_request', 'the body must be a JSON object');
  const ids = (body as { ids?: unknown }).ids;
  if (ids === undefined) return null;
  if (!Array.isArray(ids) || ids.length > MAX_ACK_IDS || !ids.every((id) => Number.isSafeInteger(id) && (id as number) >= 1)) {
    throw new ApiError(400, 'bad_request', `ids must be an array of at most ${MAX_ACK_IDS} alert ids`);
  }
  return ids as number[];
}

/**
 * `GET /api/alerts?state=&kind=&range=|from=&to=&limit=&before=` newest first;
 * `POST /api/alerts/:id/ack` acknowledges one (no more reminders; it still resolves on its own);
 * `POST /api/alerts/ack-all` acknowledges every firing alert not acknowledged yet, or only those of
 * them named in `{"ids":[…]}` (what the person saw), and says how many it acknowledged.
 */
export function alertsRoute({ list, acknowledge, kinds, now = Date.now }: AlertsRouteDeps): Hono {
  return new Hono()
    .get('/', (c) => {
      const q = c.req.query();
      rejectUnknownParams(q, ['state', 'kind', 'range', 'from', 'to', 'limit', 'before']);
      if (q.state !== undefined && !STATES.includes(q.state as AlertState)) {
        throw new ApiError(400, 'bad_request', `state must be one of ${STATES.join(', ')}, got "${q.state.slice(0, 40)}"`);
      }
      if (q.kind !== undefined && !kinds.includes(q.kind as IncidentKind)) {
        throw new ApiError(400, 'bad_request', `kind must be one of ${kinds.join(', ')}, got "${q.kind.slice(0, 40)}"`);
      }
      const window = q.range !== undefined || q.from !== undefined || q.to !== undefined ? timeWindow(q, now()) : null;
      const query: AlertQuery = {
        limit: intParam(q.limit, 'limit', { min: 1, max: 1000, fallback: 100 })!,
        before: intParam(q.before, 'before', { min: 1, max: Number.MAX_SAFE_INTEGER }),
        state: q.state as AlertState | undefined,
        kind: q.kind as IncidentKind | undefined,
        from: window?.from,
        to: window?.to,
      };
      return c.json({ items: list(query) });
    })
    .post(
      '/ack-all',
      bodyLimit({
        maxSize: 16 * 1024,
        onError: () => {
          throw new ApiError(413, 'too_large', 'request body over 16 KiB');
        },
      }),
      async (c) => {
        const wanted = ackAllIds(await c.req.text());
        const only = wanted === null ? null : new Set(wanted);
        const acknowledged: AlertRecord[] = [];
        // Firing and not yet acknowledged, newest first, a page at a time.
        let before: number | undefined;
        for (;;) {
          const page = list({ state: 'firing', limit: 1000, before });
          for (const alert of page) {
            if (alert.acknowledgedAt !== null || (only !== null && !only.has(alert.id))) continue;
            const acked = acknowledge(alert.id);
            if (acked !== null) acknowledged.push(acked);
          }
          if (page.length < 1000) break;
          before = page[page.length - 1]!.id;
        }
        return c.json({ count: acknowledged.length, alerts: acknowledged });
      },
    )
    .post(
      '/:id/ack',
      bodyLimit({
        maxSize: 1024,
        onError: () => {
          throw new ApiError(413, 'too_large', 'request body over 1 KiB');
        },
      }),
      (c) => {
        const id = intParam(c.req.param('id'), 'id', { min: 1, max: Number.MAX_SAFE_INTEGER })!;
        const alert = acknowledge(id);
        if (!alert) throw new ApiError(404, 'not_found', `no alert ${id}`);
        return c.json({ alert });
      },
    );
}
