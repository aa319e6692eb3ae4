// `POST /api/alerts/ack-all` acknowledges the firing alerts not yet acknowledged (all, or
// those named), pages past 1,000, counts what it did, and rejects a bad body with the envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../agent/http/createApp.js';
import { MemorySampleStore } from '../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { AlertRecord } from '../../shared/alerts.js';
import { INCIDENT_KINDS } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';
import type { AlertQuery } from '../../agent/store/AlertStore.js';
import { MIGRATIONS_DIR } from '../helpers/tmp.js';

const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function setup(count: number, { acknowledgedEvery = 0, resolvedEvery = 0 } = {}) {
  const db = openDatabase(join(dir, `data${++n}`), MIGRATIONS_DIR);
  const alerts = new Map<number, AlertRecord>();
  for (let id = 1; id <= count; id++) {
    alerts.set(id, {
      id,
      kind: 'context_truncated',
      severity: 'warning',
      subject: `model:m${id}`,
      model: `m${id}`,
      state: resolvedEvery && id % resolvedEvery === 0 ? 'resolved' : 'firing',
      title: `alert ${id}`,
      message: '',
      evidence: [],
      count: 1,
      firstAt: '2026-11-27T10:00:00Z',
      lastAt: '2026-11-27T10:00:00Z',
      resolvedAt: null,
      acknowledgedAt: acknowledgedEvery && id % acknowledgedEvery === 0 ? '2026-11-27T10:01:00Z' : null,
      notifications: 0,
      lastNotifiedAt: null,
      incidentId: null,
      loadId: null,
      requestId: null,
    });
  }
  const list = (q: AlertQuery) =>
    [...alerts.values()]
      .filter((a) => (q.state === undefined || a.state === q.state) && (q.before === undefined || a.id < q.before))
      .sort((a, b) => b.id - a.id)
      .slice(0, q.limit);
  const acknowledge = (id: number) => {
    const a = alerts.get(id);
    if (!a) return null;
    const acked = { ...a, acknowledgedAt: a.acknowledgedAt ?? '2026-11-27T11:00:00Z' };
    alerts.set(id, acked);
    return acked;
  };
  const app = createApp({
    store: new Store(db),
    status: () => ({}) as AgentStatus,
    dashboardDir: join(dir, 'none'),
    memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
    models: () => ({ items: [], checkedAt: null }),
    alerts: { list, acknowledge, kinds: INCIDENT_KINDS },
  });
  const post = (body?: string) =>
    app.request('/api/alerts/ack-all', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  return { alerts, post };
}

describe('POST /api/alerts/ack-all', () => {
  it('acknowledges every firing alert not acknowledged yet, and counts them', async () => {
    const { alerts, post } = setup(30, { acknowledgedEvery: 5, resolvedEvery: 7 });
    const res = await post('{}');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; alerts: AlertRecord[] };
    // 30 alerts: 4 resolved (7, 14, 21, 28), 6 already acknowledged (5…30): 20 left.
    expect(body.count).toBe(20);
    expect(body.alerts.map((a) => a.id)).not.toContain(7);
    expect([...alerts.values()].filter((a) => a.state === 'firing' && a.acknowledgedAt === null)).toEqual([]);
    expect(alerts.get(7)!.acknowledgedAt).toBeNull();
    expect(((await (await post()).json()) as { count: number }).count).toBe(0);
  });

  it('pages past 1,000 firing alerts', async () => {
    const { post } = setup(2345);
    expect(((await (await post()).json()) as { count: number }).count).toBe(2345);
  });

  it('acknowledges only the ids it is given, when given', async () => {
    const { alerts, post } = setup(10, { resolvedEvery: 4 });
    const body = (await (await post('{"ids":[2,3,4,99]}')).json()) as { count: number; alerts: AlertRecord[] };
    expect(body.count).toBe(2);
    expect(body.alerts.map((a) => a.id).sort()).toEqual([2, 3]);
    expect(alerts.get(1)!.acknowledgedAt).toBeNull();
  });

  it.each([
    ['not json', 'the body must be JSON'],
    ['[1,2]', 'the body must be a JSON object'],
    ['{"ids":"all"}', 'ids must be an array'],
    ['{"ids":[1.5]}', 'ids must be an array'],
    ['{"ids":[0]}', 'ids must be an array'],
  ])('rejects the body %s', async (body, message) => {
    const res = await setup(3).post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.stringContaining(message) } });
  });
});
