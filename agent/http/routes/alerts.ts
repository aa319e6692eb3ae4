import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AlertRecord, AlertState } from '../../../shared/alerts.js';
import type { IncidentKind } from '../../../shared/types.js';
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

/**
 * `GET /api/alerts?state=&kind=&range=|from=&to=&limit=&before=` newest first;
 * `POST /api/alerts/:id/ack` acknowledges one (no more reminders; it still resolves on its own).
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
      '/:id/ack',
      bodyLimit({ maxSize: 1024, onError: () => { throw new ApiError(413, 'too_large', 'request body over 1 KiB'); } }),
      (c) => {
        const id = intParam(c.req.param('id'), 'id', { min: 1, max: Number.MAX_SAFE_INTEGER })!;
        const alert = acknowledge(id);
        if (!alert) throw new ApiError(404, 'not_found', `no alert ${id}`);
        return c.json({ alert });
      },
    );
}
