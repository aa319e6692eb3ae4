import { describe, expect, it } from 'vitest';
import type { NewRequest } from '../../../agent/correlate/records.js';
import { AlertStore, type AlertFields } from '../../../agent/store/AlertStore.js';
import { DecodeBaselines } from '../../../agent/store/DecodeBaselines.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { Store } from '../../../agent/store/Store.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();

const alert = (over: Partial<AlertFields> = {}): AlertFields => ({
  kind: 'context_truncated',
  severity: 'warning',
  subject: 'model:llama3.1:8b',
  model: 'llama3.1:8b',
  state: 'firing',
  title: 'llama3.1:8b hit its context window',
  message: 'Ollama cut the prompt.',
  evidence: ['truncated 9000 → 8192'],
  count: 1,
  firstAt: '2026-11-26T08:00:00.000Z',
  lastAt: '2026-11-26T08:00:00.000Z',
  resolvedAt: null,
  acknowledgedAt: null,
  notifications: 0,
  lastNotifiedAt: null,
  incidentId: null,
  loadId: null,
  requestId: null,
  ...over,
});

describe('AlertStore', () => {
  it('stores, updates and lists alerts by state, kind and time, newest first', () => {
    const a = new AlertStore(openDatabase(tmp(), MIGRATIONS_DIR));
    const first = a.insert(alert());
    expect(first).toEqual({ id: 1, ...alert() });
    const later = a.insert(
      alert({
        kind: 'oom',
        severity: 'critical',
        subject: 'server',
        model: null,
        firstAt: '2026-11-26T09:00:00.000Z',
        lastAt: '2026-11-26T09:00:00.000Z',
      }),
    );
    expect(
      a.update(
        first.id,
        alert({
          state: 'resolved',
          count: 3,
          resolvedAt: '2026-11-26T08:30:00.000Z',
          lastAt: '2026-11-26T08:10:00.000Z',
          evidence: ['a', 'b'],
        }),
      ),
    ).toMatchObject({ id: 1, state: 'resolved', count: 3, evidence: ['a', 'b'] });
    expect(a.list({ limit: 10 }).map((x) => x.id)).toEqual([later.id, first.id]);
    expect(a.list({ limit: 10, state: 'firing' }).map((x) => x.kind)).toEqual(['oom']);
    expect(a.list({ limit: 10, kind: 'context_truncated' }).map((x) => x.id)).toEqual([1]);
    expect(a.list({ limit: 10, from: Date.parse('2026-11-26T08:20:00Z') }).map((x) => x.id)).toEqual([later.id]);
    expect(a.list({ limit: 10, to: Date.parse('2026-11-26T08:20:00Z') }).map((x) => x.id)).toEqual([1]);
    expect(a.list({ limit: 10, before: later.id }).map((x) => x.id)).toEqual([1]);
  });

  it('allows one firing alert per kind and subject', () => {
    const a = new AlertStore(openDatabase(tmp(), MIGRATIONS_DIR));
    a.insert(alert());
    expect(() => a.insert(alert())).toThrow(/UNIQUE/);
    a.insert(alert({ state: 'resolved', resolvedAt: '2026-11-26T08:01:00.000Z' }));
  });

  it('acknowledges once, keeping the first time, and says when there is no such alert', () => {
    const a = new AlertStore(openDatabase(tmp(), MIGRATIONS_DIR));
    const { id } = a.insert(alert());
    expect(a.acknowledge(id, '2026-11-26T08:05:00.000Z')!.acknowledgedAt).toBe('2026-11-26T08:05:00.000Z');
    expect(a.acknowledge(id, '2026-11-26T08:06:00.000Z')!.acknowledgedAt).toBe('2026-11-26T08:05:00.000Z');
    expect(a.acknowledge(99, '2026-11-26T08:06:00.000Z')).toBeNull();
  });

  it('hands the engine the firing alerts and those seen recently', () => {
    const a = new AlertStore(openDatabase(tmp(), MIGRATIONS_DIR));
    a.insert(alert({ state: 'resolved', subject: 'old', lastAt: '2026-11-20T00:00:00.000Z', resolvedAt: '2026-11-20T00:00:00.000Z' }));
    a.insert(alert({ subject: 'firing-old', lastAt: '2026-11-20T00:00:00.000Z' }));
    a.insert(alert({ state: 'resolved', subject: 'recent', resolvedAt: '2026-11-26T08:00:00.000Z' }));
    expect(a.recent(Date.parse('2026-11-26T07:50:00Z')).map((x) => x.subject)).toEqual(['firing-old', 'recent']);
  });
});

describe('DecodeBaselines', () => {
  it('is the median decode tok/s of the last 7 days per model and backend, cached', () => {
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    const store = new Store(db);
    const now = Date.parse('2026-11-26T12:00:00Z');
    let key = 1;
    const req = (daysAgo: number, tps: number | null, backend = 'metal'): NewRequest => ({
      key: key++,
      loadKey: null,
      at: new Date(now - daysAgo * 86_400_000).toISOString(),
      ts: now - daysAgo * 86_400_000,
      method: 'POST',
      path: '/api/chat',
      status: 200,
      latencyMs: 1,
      client: 'x',
      kind: 'inference',
      model: 'llama3.1:8b',
      backend: backend as 'metal',
      promptTokens: null,
      completionTokens: null,
      prefillTps: null,
      decodeTps: tps,
      ctxUsed: null,
      ctxLimit: null,
      truncated: null,
      peakMemoryBytes: null,
      modelMemoryBytes: null,
      kvBytes: null,
      kvUsedBytes: null,
      kvFill: null,
    });
    const rows = [req(1, 50), req(2, 60), req(3, 40), req(4, 70), req(8, 1), req(1, null), req(1, 10, 'mlx')];
    store.writeBatch(
      rows.map((record) => ({ kind: 'request' as const, record })),
      store.resumePoint('/log'),
      0,
    );
    let t = now;
    const b = new DecodeBaselines(db, 7 * 86_400_000, 60_000, () => t);
    expect(b.get('llama3.1:8b', 'metal')).toEqual({ medianDecodeTps: 55, requests: 4 });
    expect(b.get('llama3.1:8b', 'mlx')).toEqual({ medianDecodeTps: 10, requests: 1 });
    expect(b.get('llama3.1:8b', 'cpu')).toBeNull();
    store.writeBatch([{ kind: 'request', record: req(0, 100) }], store.resumePoint('/log'), 0);
    expect(b.get('llama3.1:8b', 'metal')).toEqual({ medianDecodeTps: 55, requests: 4 }); // cached
    t += 61_000;
    expect(b.get('llama3.1:8b', 'metal')).toEqual({ medianDecodeTps: 60, requests: 5 });
  });
});
