import { describe, expect, it } from 'vitest';
import type { CorrelatedRecord, NewRequest } from '../../agent/correlate/records.js';
import { createApp } from '../../agent/http/createApp.js';
import { MemorySampleStore } from '../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { CompareResponse, SeriesResponse } from '../../shared/series.js';
import { INCIDENT_KINDS } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (hhmmss: string, day = '2026-11-26'): number => Date.parse(`${day}T${hhmmss}Z`);
const M = 60_000;
const H = 3_600_000;

let nextKey = 1;
function req(ts: number, over: Partial<NewRequest> = {}): CorrelatedRecord {
  return {
    kind: 'request',
    record: {
      key: nextKey++,
      loadKey: null,
      at: new Date(ts).toISOString(),
      ts,
      method: 'POST',
      path: '/api/chat',
      status: 200,
      latencyMs: 1000,
      client: '127.0.0.1',
      kind: 'inference',
      model: 'qwen3:8b',
      backend: 'metal',
      promptTokens: 100,
      completionTokens: 10,
      prefillTps: null,
      decodeTps: null,
      ctxUsed: null,
      ctxLimit: null,
      truncated: null,
      peakMemoryBytes: null,
      modelMemoryBytes: null,
      kvBytes: null,
      kvUsedBytes: null,
      kvFill: null,
      ...over,
    },
  };
}

function setup(batches: CorrelatedRecord[][]) {
  const db = openDatabase(tmp(), MIGRATIONS_DIR);
  const store = new Store(db);
  const cp = store.resumePoint('/logs/server.log');
  for (const b of batches) store.writeBatch(b, cp, 0);
  const status = {} as AgentStatus;
  const app = createApp({
    store,
    status: () => status,
    dashboardDir: tmp(),
    memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
    models: () => ({ items: [], checkedAt: null }),
    alerts: { list: () => [], acknowledge: () => null, kinds: INCIDENT_KINDS },
    now: () => NOW,
  });
  return { app, store, db };
}

const get = async <T>(app: ReturnType<typeof setup>['app'], url: string): Promise<T> => {
  const res = await app.request(url);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

// The last hour: three batches, so minute rows are merged across batches.
const LAST_HOUR = [
  [
    req(at('11:01:10'), { decodeTps: 40, prefillTps: 500, latencyMs: 2000 }),
    req(at('10:58:00'), { decodeTps: 1000 }), // before the window
  ],
  [
    req(at('11:01:50'), { decodeTps: 50, prefillTps: 700, latencyMs: 4000, ctxUsed: 1024, ctxLimit: 4096 }),
    req(at('11:04:59'), { backend: 'mlx', decodeTps: 70, ctxUsed: 3072, ctxLimit: 4096 }),
  ],
  [
    req(at('11:07:00'), { model: 'llama3.2:3b', backend: 'mlx', decodeTps: 90, status: 500, promptTokens: 5, completionTokens: null }),
    req(at('11:07:30'), {
      kind: 'other',
      path: '/api/ps',
      method: 'GET',
      model: null,
      backend: null,
      latencyMs: 1,
      promptTokens: null,
      completionTokens: null,
    }),
  ],
];

describe('GET /api/series', () => {
  it('averages decode tok/s per backend in 5-minute steps from minute rollups', async () => {
    const { app } = setup(LAST_HOUR);
    const body = await get<SeriesResponse>(app, '/api/series?metric=decode_tps&range=1h&step=5m&group=backend&stat=avg');
    expect(body).toEqual({
      metric: 'decode_tps',
      stat: 'avg',
      step: '5m',
      stepMs: 5 * M,
      from: '2026-11-26T11:00:00.000Z',
      to: new Date(NOW + 1).toISOString(),
      source: 'minute',
      series: [
        { model: null, backend: 'metal', points: [[at('11:00:00'), 45]] },
        {
          model: null,
          backend: 'mlx',
          points: [
            [at('11:00:00'), 70],
            [at('11:05:00'), 90],
          ],
        },
      ],
    });
  });

  it('defaults to decode_tps, avg, 24h, auto step and group=backend', async () => {
    const { app } = setup(LAST_HOUR);
    const body = await get<SeriesResponse>(app, '/api/series');
    expect(body).toMatchObject({ metric: 'decode_tps', stat: 'avg', step: '5m', stepMs: 5 * M, source: 'minute' });
    // 10:58 is inside 24h now.
    expect(body.series.map((s) => [s.backend, s.points])).toEqual([
      [
        'metal',
        [
          [at('10:55:00'), 1000],
          [at('11:00:00'), 45],
        ],
      ],
      [
        'mlx',
        [
          [at('11:00:00'), 70],
          [at('11:05:00'), 90],
        ],
      ],
    ]);
  });

  it('groups by model and backend, by model, and not at all; counts, errors, tokens', async () => {
    const { app } = setup(LAST_HOUR);
    const q = (s: string) => get<SeriesResponse>(app, `/api/series?range=1h&step=15m&${s}`);
    expect((await q('metric=decode_tps&group=model_backend&stat=max')).series).toEqual([
      { model: 'llama3.2:3b', backend: 'mlx', points: [[at('11:00:00'), 90]] },
      { model: 'qwen3:8b', backend: 'metal', points: [[at('11:00:00'), 50]] },
      { model: 'qwen3:8b', backend: 'mlx', points: [[at('11:00:00'), 70]] },
    ]);
    expect((await q('metric=decode_tps&group=model&stat=count')).series).toEqual([
      { model: 'llama3.2:3b', backend: null, points: [[at('11:00:00'), 1]] },
      { model: 'qwen3:8b', backend: null, points: [[at('11:00:00'), 3]] },
    ]);
    const oneMinute = (metric: string, stat: string) =>
      get<SeriesResponse>(app, `/api/series?range=1h&step=1m&group=none&metric=${metric}&stat=${stat}`);
    expect((await oneMinute('requests', 'count')).series).toEqual([
      {
        model: null,
        backend: null,
        points: [
          [at('11:01:00'), 2],
          [at('11:04:00'), 1],
          [at('11:07:00'), 2],
        ],
      },
    ]);
    expect((await oneMinute('errors', 'sum')).series[0]!.points).toEqual([
      [at('11:01:00'), 0],
      [at('11:04:00'), 0],
      [at('11:07:00'), 1],
    ]);
    expect((await oneMinute('tokens', 'sum')).series[0]!.points).toEqual([
      [at('11:01:00'), 220],
      [at('11:04:00'), 110],
      [at('11:07:00'), 5],
    ]);
    // Latency of inference requests only (the /api/ps poll is left out).
    expect((await oneMinute('latency_ms', 'avg')).series[0]!.points).toEqual([
      [at('11:01:00'), 3000],
      [at('11:04:00'), 1000],
      [at('11:07:00'), 1000],
    ]);
    expect((await oneMinute('latency_ms', 'sum')).series[0]!.points).toEqual([
      [at('11:01:00'), 6000],
      [at('11:04:00'), 1000],
      [at('11:07:00'), 1000],
    ]);
    expect((await oneMinute('ctx_ratio', 'max')).series[0]!.points).toEqual([
      [at('11:01:00'), 0.25],
      [at('11:04:00'), 0.75],
    ]);
    expect((await oneMinute('prefill_tps', 'avg')).series[0]!.points).toEqual([[at('11:01:00'), 600]]);
  });

  it('filters by model and backend', async () => {
    const { app } = setup(LAST_HOUR);
    const body = await get<SeriesResponse>(app, '/api/series?range=1h&step=15m&group=model_backend&model=qwen3:8b&backend=mlx');
    expect(body.series).toEqual([{ model: 'qwen3:8b', backend: 'mlx', points: [[at('11:00:00'), 70]] }]);
  });

  it('p50/p95 merge histograms across rollup rows (exact for one value, within 8% otherwise)', async () => {
    const values = [20, 22, 25, 30, 31, 33, 40, 41, 45, 60];
    const { app } = setup([values.map((v, i) => req(at('11:00:00') + i * 6 * M, { decodeTps: v }))]);
    const p = async (stat: string, step: string) =>
      (await get<SeriesResponse>(app, `/api/series?range=1h&step=${step}&group=none&stat=${stat}`)).series[0]!.points;
    // One value per minute: the estimate is clamped to the exact min/max.
    expect((await p('p50', '1m')).map(([, v]) => v)).toEqual(values);
    const [[ts, p50]] = (await p('p50', '1h')) as [[number, number]];
    expect(ts).toBe(at('11:00:00'));
    expect(Math.abs(p50 - 31) / 31).toBeLessThanOrEqual(0.08); // rank 4.5 of 10 → the 5th value, 31
    const [[, p95]] = (await p('p95', '1h')) as [[number, number]];
    expect(Math.abs(p95 - 45) / 45).toBeLessThanOrEqual(0.08); // rank 8.55 → the 9th value, 45
    expect(p95).toBeLessThanOrEqual(60);
  });

  it('reads hour rollups beyond 24h and re-aggregates them into coarser steps', async () => {
    const day = (d: number, hh: string) => at(`${hh}:30:00`, `2026-11-${String(d).padStart(2, '0')}`);
    const { app } = setup([
      [
        req(day(20, '01'), { decodeTps: 10 }),
        req(day(20, '07'), { decodeTps: 20 }),
        req(day(25, '23'), { decodeTps: 30 }),
        req(day(26, '11'), { decodeTps: 60 }),
        req(day(26, '11'), { decodeTps: 40 }),
        req(day(1, '00'), { decodeTps: 999 }), // 26 days earlier than 7d (in November too): outside
      ],
    ]);
    const week = await get<SeriesResponse>(app, '/api/series?range=7d&group=none');
    expect(week).toMatchObject({ source: 'hour', step: '1h', stepMs: H });
    expect(week.series[0]!.points).toEqual([
      [at('01:00:00', '2026-11-20'), 10],
      [at('07:00:00', '2026-11-20'), 20],
      [at('23:00:00', '2026-11-25'), 30],
      [at('11:00:00'), 50],
    ]);
    const daily = await get<SeriesResponse>(app, '/api/series?range=7d&group=none&step=1d');
    expect(daily.series[0]!.points).toEqual([
      [at('00:00:00', '2026-11-20'), 15],
      [at('00:00:00', '2026-11-25'), 30],
      [at('00:00:00'), 50],
    ]);
    expect(daily.from).toBe('2026-11-19T00:00:00.000Z');
    const month = await get<SeriesResponse>(app, '/api/series?range=30d&group=none&stat=count');
    expect(month).toMatchObject({ source: 'hour', step: '6h', stepMs: 6 * H });
    expect(month.series[0]!.points).toEqual([
      [at('00:00:00', '2026-11-01'), 1],
      [at('00:00:00', '2026-11-20'), 1],
      [at('06:00:00', '2026-11-20'), 1],
      [at('18:00:00', '2026-11-25'), 1],
      [at('06:00:00'), 2],
    ]);
    // from/to: exactly a day reads minutes.
    const custom = await get<SeriesResponse>(app, `/api/series?from=${at('00:00:00')}&to=2026-11-27T00:00:00Z&group=none&step=1h`);
    expect(custom).toMatchObject({ source: 'minute', from: '2026-11-26T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' });
    expect(custom.series[0]!.points).toEqual([[at('11:00:00'), 50]]);
  });

  it('counts incidents by model', async () => {
    const incident = (ts: number, kind: 'oom' | 'runner_crash', model: string | null): CorrelatedRecord => ({
      kind: 'incident',
      record: { key: nextKey++, ts, at: new Date(ts).toISOString(), kind, model, detail: 'x', loadKey: null, requestKey: null },
    });
    const { app } = setup([
      [
        incident(at('11:10:00'), 'oom', 'qwen3:8b'),
        incident(at('11:12:00'), 'runner_crash', 'qwen3:8b'),
        incident(at('11:40:00'), 'oom', null),
      ],
    ]);
    const byModel = await get<SeriesResponse>(app, '/api/series?metric=incidents&range=1h&step=15m&group=model');
    expect(byModel.stat).toBe('sum');
    expect(byModel.series).toEqual([
      { model: 'qwen3:8b', backend: null, points: [[at('11:00:00'), 2]] },
      { model: null, backend: null, points: [[at('11:30:00'), 1]] },
    ]);
    const ooms = await get<SeriesResponse>(app, '/api/series?metric=incidents&range=1h&step=1h&kind=oom');
    expect(ooms.series).toEqual([{ model: null, backend: null, points: [[at('11:00:00'), 2]] }]);
  });

  it.each([
    ['metric=speed', 'metric must be one of decode_tps, prefill_tps, latency_ms'],
    ['stat=median', 'stat must be one of avg, p50, p95, max, sum, count'],
    ['metric=requests&stat=p95', 'stat for metric requests must be one of sum, count'],
    ['metric=ctx_ratio&stat=p50', 'stat for metric ctx_ratio must be one of avg, max, count'],
    ['group=client', 'group must be one of none, model, backend, model_backend'],
    ['step=2m', 'step must be one of auto, 1m, 5m, 15m, 1h, 6h, 1d'],
    ['range=7d&step=5m', 'step must be at least 1h for windows longer than 24h'],
    ['range=2y', 'range must be one of'],
    ['range=1h&from=0', 'either range or from/to'],
    ['from=yesterday', 'from must be an ISO-8601 time or epoch milliseconds'],
    ['from=1000&to=10', 'to must be after from'],
    [`from=0&to=${400 * 86_400_000}&step=1h`, 'more than 2000 points'],
    ['order=desc', 'unknown query parameter "order"'],
    ['kind=oom', 'kind applies to metric=incidents only'],
    ['metric=incidents&kind=fire', 'kind must be one of'],
    ['metric=incidents&backend=mlx', 'incidents have no backend'],
    [`model=${'x'.repeat(201)}`, 'model must be 1 to 200 characters'],
  ])('?%s → 400', async (query, message) => {
    const res = await setup([]).app.request(`/api/series?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(message);
  });

  it('answers an empty database with no series', async () => {
    const body = await get<SeriesResponse>(setup([]).app, '/api/series?range=30d');
    expect(body.series).toEqual([]);
  });
});

describe('GET /api/compare', () => {
  it('sets each backend side by side per model with the MLX speed-up over Metal', async () => {
    const t = at('09:00:00');
    const { app } = setup([
      [
        ...[60, 60, 60].map((v, i) => req(t + i * M, { backend: 'mlx', decodeTps: v, prefillTps: 900, latencyMs: 1500 })),
        ...[40, 40].map((v, i) => req(t - 2 * 86_400_000 + i * M, { backend: 'metal', decodeTps: v })),
        req(t, { model: 'llama3.2:3b', backend: 'metal', decodeTps: 80 }),
        req(t, { model: null, backend: 'mlx', decodeTps: 10 }), // unknown model: not compared
        req(t - 8 * 86_400_000, { backend: 'metal', decodeTps: 5 }), // older than 7 days
      ],
    ]);
    const body = await get<CompareResponse>(app, '/api/compare');
    expect(body).toEqual({
      from: new Date(Math.floor((NOW - 7 * 86_400_000) / H) * H).toISOString(),
      to: new Date(NOW + 1).toISOString(),
      source: 'hour',
      items: [
        {
          model: 'qwen3:8b',
          backends: {
            metal: { requests: 2, decodeP50: 40, decodeP95: 40, prefillP50: null, latencyP50: expect.closeTo(1000, -2) },
            mlx: { requests: 3, decodeP50: 60, decodeP95: 60, prefillP50: expect.closeTo(900, -2), latencyP50: expect.closeTo(1500, -2) },
          },
          decodeSpeedup: 1.5,
        },
        {
          model: 'llama3.2:3b',
          backends: { metal: { requests: 1, decodeP50: 80, decodeP95: 80, prefillP50: null, latencyP50: expect.closeTo(1000, -2) } },
          decodeSpeedup: null,
        },
      ],
    });
    const res = await app.request('/api/compare?range=7d&step=1h');
    expect(res.status).toBe(400);
  });
});

describe('time windows on /api/incidents and /api/loads', () => {
  it('keep the rows of [from, to), still paged newest first', async () => {
    const incident = (ts: number): CorrelatedRecord => ({
      kind: 'incident',
      record: {
        key: nextKey++,
        ts,
        at: new Date(ts).toISOString(),
        kind: 'oom',
        model: null,
        detail: 'x',
        loadKey: null,
        requestKey: null,
      },
    });
    const { app } = setup([[incident(at('08:00:00')), incident(at('09:00:00')), incident(at('10:00:00')), incident(at('11:00:00'))]]);
    const ids = async (url: string) => (await get<{ items: { id: number }[] }>(app, url)).items.map((i) => i.id);
    expect(await ids('/api/incidents')).toEqual([4, 3, 2, 1]);
    expect(await ids(`/api/incidents?from=2026-11-26T09:00:00Z&to=${at('11:00:00')}`)).toEqual([3, 2]);
    expect(await ids('/api/incidents?from=2026-11-26T09:00:00Z&limit=1')).toEqual([4]);
    expect(await ids('/api/incidents?from=2026-11-26T09:00:00Z&limit=2&before=4')).toEqual([3, 2]);
    expect(await ids('/api/incidents?to=2026-11-26T09:00:00Z')).toEqual([1]);
    expect(await ids('/api/loads?from=2026-11-26T09:00:00Z')).toEqual([]);
    const bad = await app.request('/api/loads?from=2026-11-26T09:00:00Z&to=2026-11-26T08:00:00Z');
    expect(bad.status).toBe(400);
    // /api/requests takes the same window (and a filter export shares), bounded the same way.
    expect((await app.request('/api/requests?from=2026-11-26T09:00:00Z&to=2026-11-26T08:00:00Z')).status).toBe(400);
    expect((await app.request('/api/requests?from=yesterday')).status).toBe(400);
  });
});
