import { describe, expect, it } from 'vitest';
import { kvFillLines, kvFillSummary } from '../../dashboard/src/lib/history/kvFill.js';
import { readTheme } from '../../dashboard/src/lib/history/theme.js';
import { loadRequestDetail } from '../../dashboard/src/lib/requestDetail.js';
import {
  alertRatio,
  DEFAULT_ALERT_RATIO,
  kvFillText,
  kvFillTone,
  loadDetailRows,
  memoryCellText,
  pressureDot,
  requestDetailRows,
  sparkPoints,
} from '../../dashboard/src/lib/requestMemory.js';
import type { LoadRecord } from '../../shared/records.js';
import { agentStatus, record } from './fixtures.js';

const GiB = 2 ** 30;
const theme = readTheme(() => '');

describe('request memory labels', () => {
  it('colours the KV fill at the alert ratio and rounds down, so "85%" has reached 85%', () => {
    expect(kvFillText(0.8476)).toBe('84%');
    expect(kvFillText(0.85)).toBe('85%');
    expect(kvFillText(null)).toBe('—');
    expect(kvFillTone(0.8476, 0.85)).toBe('ok');
    expect(kvFillTone(0.85, 0.85)).toBe('error');
    expect(kvFillTone(null, 0.85)).toBe('neutral');
  });

  it("takes the agent's ratio from its status, else the default", () => {
    expect(alertRatio(agentStatus({ contextAlertRatio: 0.7 }))).toBe(0.7);
    expect(alertRatio(agentStatus())).toBe(DEFAULT_ALERT_RATIO);
    expect(alertRatio(null)).toBe(DEFAULT_ALERT_RATIO);
  });

  it('says every figure of the Memory cell in words; unknown is "—", never 0', () => {
    const r = record(1, {
      modelMemoryBytes: 21 * GiB,
      kvFill: 0.8545,
      kvUsedBytes: 560 * 2 ** 20,
      kvBytes: 640 * 2 ** 20,
      peakMemoryBytes: 27.4 * GiB,
      memoryPressure: 'warn',
    });
    expect(memoryCellText(r, 0.85)).toBe(
      'model memory 21.0 GiB · KV cache 85% full (560 MiB of 640 MiB), at the alert ratio · peak 27.4 GiB · memory pressure warning',
    );
    expect(memoryCellText(record(2), 0.85)).toBe('model memory — · KV cache fill — · memory pressure unknown');
    expect(pressureDot('critical')).toEqual({ word: 'critical', tone: 'error' });
  });

  it("lists every field of a request, and a load's engine, backend and layers", () => {
    const rows = requestDetailRows(record(1, { memoryUsedBytes: 40 * GiB, swapUsedBytes: null }));
    const keys = rows.map((r) => r.key);
    for (const k of [
      'peakMemoryBytes',
      'modelMemoryBytes',
      'kvBytes',
      'kvUsedBytes',
      'kvFill',
      'memoryUsedBytes',
      'memoryPressure',
      'swapUsedBytes',
      'ollamaFootprintBytes',
      'ctxUsed',
      'backend',
    ]) {
      expect(keys).toContain(k);
    }
    expect(rows.find((r) => r.key === 'memoryUsedBytes')!.value).toBe('40.0 GiB');
    expect(rows.find((r) => r.key === 'swapUsedBytes')!.value).toBe('—');
    const load = loadDetailRows({
      id: 3,
      at: null,
      model: 'llama3.1:8b',
      blob: null,
      displayName: null,
      engine: 'llama.cpp',
      backend: 'metal',
      device: null,
      ctx: 8192,
      parallel: 1,
      kvBytes: GiB,
      gpuLayers: 31,
      totalLayers: 33,
      loadSeconds: null,
      outcome: 'ready',
      error: null,
      sizeBytes: null,
      vramBytes: null,
      unloadedAt: null,
      seenBy: 'log',
    });
    expect(load.find((r) => r.key === 'gpuLayers')!.value).toBe('31 of 33 on the GPU');
    expect(load.find((r) => r.key === 'backend')!.value).toBe('Metal');
  });

  it('draws the sparkline from the samples in the window, skipping unknown ones', () => {
    const t = Date.UTC(2026, 11, 6, 10, 0);
    const s = (dt: number, used: number | null) => ({ at: new Date(t + dt).toISOString(), usedBytes: used });
    const spark = sparkPoints([s(-600_000, 1), s(0, 10), s(60_000, null), s(120_000, 20)], t - 300_000, t + 300_000, 100, 20);
    expect(spark.max).toBe(20);
    expect(spark.points).toBe('50.0,10.0 70.0,1.0');
    expect(sparkPoints([], 0, 1, 100, 20)).toEqual({ points: '', max: null });
  });
});

describe('KV cache fill chart', () => {
  const T = Date.UTC(2026, 11, 6, 10, 0);
  const window = { from: T - 3_600_000, to: T + 1 };
  const rows = [
    record(1, { at: new Date(T - 60_000).toISOString(), model: 'qwen3.5:35b-a3b', kvFill: 0.9 }),
    record(2, { at: new Date(T - 120_000).toISOString(), model: 'llama3.1:8b', kvFill: 0.2 }),
    record(3, { at: new Date(T - 30_000).toISOString(), model: 'llama3.1:8b', kvFill: null }),
    record(4, { at: new Date(T - 7_200_000).toISOString(), model: 'llama3.1:8b', kvFill: 0.5 }),
  ];

  it('one series per model from the requests with a known fill in the window, and the ratio as a line', () => {
    const { lines, count } = kvFillLines(rows, window, theme, 0.85);
    expect(count).toBe(2);
    expect(lines.map((l) => [l.label, l.data.map((p) => p.y)])).toEqual([
      ['llama3.1:8b', [0.2]],
      ['qwen3.5:35b-a3b', [0.9]],
      ['alert ratio (85%)', [0.85, 0.85]],
    ]);
    expect(new Set(lines.slice(0, 2).map((l) => l.pointStyle)).size).toBe(2);
    expect(kvFillLines([], window, theme, 0.85)).toEqual({ lines: [], count: 0 });
  });

  it('summarises in words', () => {
    expect(kvFillSummary('last hour', rows, window, 0.85)).toBe(
      'KV cache fill per request, last hour: 2 requests, median 55%, 1 at ≥ 85% (the alert ratio)',
    );
    expect(kvFillSummary('last hour', [], window, 0.85)).toBe(
      'KV cache fill per request, last hour: no requests with a known KV cache fill',
    );
  });
});

describe('request detail fetches', () => {
  it('takes a known load from the live list, the incidents linked to the request and ±5 min of memory', async () => {
    const r = record(7, { at: '2026-12-06T10:00:00.000Z', loadId: 3 });
    const urls: string[] = [];
    const fetch = async (url: string): Promise<Response> => {
      urls.push(url);
      if (url.startsWith('/api/incidents')) {
        return Response.json({
          items: [
            { id: 1, requestId: 7, kind: 'context_near_limit', detail: 'x' },
            { id: 2, requestId: 8, kind: 'oom', detail: 'y' },
          ],
        });
      }
      return Response.json({ items: [{ at: '2026-12-06T10:00:02.000Z', usedBytes: 1 }], from: '', to: '', bucketMs: 0 });
    };
    const load = { id: 3, engine: 'mlx' } as LoadRecord;
    const d = await loadRequestDetail(r, new Map([[3, load]]), fetch);
    expect(d.load).toEqual({ state: 'ok', data: load });
    expect(d.incidents).toEqual({ state: 'ok', data: [expect.objectContaining({ id: 1 })] });
    expect(d.memory.state === 'ok' && d.memory.data.length).toBe(1);
    expect(urls).toEqual([
      '/api/incidents?limit=200&from=2026-12-06T09%3A59%3A00.000Z&to=2026-12-06T10%3A01%3A00.000Z',
      '/api/memory?points=120&from=2026-12-06T09%3A55%3A00.000Z&to=2026-12-06T10%3A05%3A00.000Z',
    ]);
  });

  it('fetches a load the live list no longer holds, by id', async () => {
    const r = record(7, { at: '2026-12-06T10:00:00.000Z', loadId: 3 });
    const urls: string[] = [];
    const fetch = async (url: string): Promise<Response> => {
      urls.push(url);
      return Response.json({ items: url.startsWith('/api/loads') ? [{ id: 3, engine: 'llama.cpp' }] : [] });
    };
    const d = await loadRequestDetail(r, new Map(), fetch);
    expect(d.load).toEqual({ state: 'ok', data: { id: 3, engine: 'llama.cpp' } });
    expect(urls[0]).toBe('/api/loads?limit=1&before=4');
  });
});
