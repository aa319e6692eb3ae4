import { describe, expect, it } from 'vitest';
import { contextLines, contextSummary } from '../../../dashboard/src/lib/history/contextLines.js';
import { dataTable } from '../../../dashboard/src/lib/history/dataTable.js';
import { fillGaps, pointCount, requestRateLines, seriesLabel, seriesLines } from '../../../dashboard/src/lib/history/datasets.js';
import { styleAt } from '../../../dashboard/src/lib/history/lineSeries.js';
import { INCIDENT_Y, memoryLines, memorySummary } from '../../../dashboard/src/lib/history/memoryLines.js';
import { readTheme } from '../../../dashboard/src/lib/history/theme.js';
import type { SeriesResponse } from '../../../dashboard/src/lib/history/types.js';
import type { IncidentRecord } from '../../../shared/records.js';
import { memorySample, record } from '../fixtures.js';

const theme = readTheme((name) => ({ '--backend-mlx': '#111111', '--backend-metal': ' #222222 ', '--accent': '#0000ff' })[name] ?? '');
const MIN = 60_000;
const T0 = Date.UTC(2025, 10, 26, 10, 0);

function response(overrides: Partial<SeriesResponse> = {}): SeriesResponse {
  return {
    metric: 'decode_tps',
    stat: 'p50',
    step: '1m',
    stepMs: MIN,
    from: new Date(T0).toISOString(),
    to: new Date(T0 + 5 * MIN).toISOString(),
    source: 'minute',
    series: [
      {
        model: null,
        backend: 'metal',
        points: [
          [T0, 41],
          [T0 + MIN, 40],
        ],
      },
      {
        model: null,
        backend: 'mlx',
        points: [
          [T0, 80],
          [T0 + 3 * MIN, 84],
        ],
      },
    ],
    ...overrides,
  };
}

function incident(id: number, at: string | null, overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id,
    at,
    kind: 'memory_pressure',
    model: 'llama3.1:8b',
    detail: 'pressure critical',
    loadId: null,
    requestId: null,
    ...overrides,
  };
}

describe('theme', () => {
  it('reads CSS variables, trimmed, with fallbacks', () => {
    expect(theme.backends.mlx).toBe('#111111');
    expect(theme.backends.metal).toBe('#222222');
    expect(theme.backends.cpu).toBe('#57534e');
    expect(theme.accent).toBe('#0000ff');
    expect(theme.palette[0]).toBe('#0000ff');
  });
});

describe('series → lines', () => {
  it('orders by backend, labels them, gives each its own colour, point style and dash', () => {
    const lines = seriesLines(response(), 'backend', theme);
    expect(lines.map((l) => l.label)).toEqual(['MLX', 'Metal']);
    expect(lines[0]).toMatchObject({ color: '#111111', pointStyle: 'circle', dash: [] });
    expect(lines[1]).toMatchObject({ color: '#222222', pointStyle: 'rect', dash: [6, 4] });
    // A missing bucket is a gap, not a line across it.
    expect(lines[0]!.data).toEqual([
      { x: T0, y: 80 },
      { x: T0 + MIN, y: null },
      { x: T0 + 3 * MIN, y: 84 },
    ]);
  });

  it('styles models by position in name order', () => {
    const lines = seriesLines(
      response({
        series: [
          { model: 'qwen', backend: null, points: [[T0, 1]] },
          { model: 'llama', backend: null, points: [[T0, 2]] },
          { model: null, backend: null, points: [] },
        ],
      }),
      'model',
      theme,
    );
    expect(lines.map((l) => l.label)).toEqual(['llama', 'qwen', 'unknown model']);
    expect(new Set(lines.map((l) => l.pointStyle)).size).toBe(3);
    expect(new Set(lines.map((l) => l.dash.join(','))).size).toBe(3);
  });

  it('labels every grouping', () => {
    expect(seriesLabel('m', 'cpu', 'model_backend', 'x')).toBe('m · CPU');
    expect(seriesLabel(null, null, 'backend', 'x')).toBe('unknown backend');
    expect(seriesLabel(null, null, 'none', 'all')).toBe('all');
  });

  it('styles never repeat within the first eight', () => {
    const looks = new Set(Array.from({ length: 8 }, (_, i) => `${styleAt(i).pointStyle}|${styleAt(i).dash.join(',')}`));
    expect(looks.size).toBe(8);
  });

  it('fills absent count buckets with zeros over the window', () => {
    expect(fillGaps([[T0 + MIN, 3]], MIN, 0, { from: T0, to: T0 + 3 * MIN })).toEqual([
      [T0, 0],
      [T0 + MIN, 3],
      [T0 + 2 * MIN, 0],
    ]);
    expect(
      fillGaps(
        [
          [T0, 1],
          [T0 + MIN, 2],
        ],
        MIN,
        null,
      ),
    ).toEqual([
      [T0, 1],
      [T0 + MIN, 2],
    ]);
  });

  it('turns request counts per step into a per-minute rate', () => {
    const resp = response({
      metric: 'requests',
      stat: 'sum',
      step: '5m',
      stepMs: 5 * MIN,
      to: new Date(T0 + 15 * MIN).toISOString(),
      series: [
        {
          model: null,
          backend: null,
          points: [
            [T0, 10],
            [T0 + 10 * MIN, 25],
          ],
        },
      ],
    });
    const { lines, total, peak } = requestRateLines(resp, theme);
    expect(total).toBe(35);
    expect(peak).toBe(5);
    expect(lines[0]!.data.map((p) => p.y)).toEqual([2, 0, 5]);
    expect(lines[0]!.label).toBe('requests/min');
  });
});

describe('memory', () => {
  const samples = [
    memorySample({
      at: new Date(T0).toISOString(),
      usedBytes: 10 * 2 ** 30,
      totalBytes: 32 * 2 ** 30,
      swapUsedBytes: 0,
      pressure: 'normal',
    }),
    memorySample({
      at: new Date(T0 + MIN).toISOString(),
      usedBytes: 20 * 2 ** 30,
      totalBytes: 32 * 2 ** 30,
      swapUsedBytes: 2 ** 30,
      pressure: 'critical',
    }),
    memorySample({
      at: new Date(T0 + 2 * MIN).toISOString(),
      usedBytes: 12 * 2 ** 30,
      totalBytes: 32 * 2 ** 30,
      swapUsedBytes: 2 ** 30,
      pressure: 'warn',
    }),
  ];
  const incidents = [incident(1, new Date(T0 + MIN).toISOString()), incident(2, null)];

  it('draws used, total, swap, the pressure level and incident markers with their kind', () => {
    const lines = memoryLines(samples, incidents, theme);
    expect(lines.map((l) => l.key)).toEqual(['used', 'total', 'swap', 'pressure', 'incidents']);
    expect(lines[3]!.data.map((p) => p.y)).toEqual([0, 2, 1]);
    expect(lines[3]!.axis).toBe('y2');
    expect(lines[4]!.data).toEqual([{ x: T0 + MIN, y: INCIDENT_Y, note: 'memory_pressure · llama3.1:8b' }]);
    expect(lines[4]!.showLine).toBe(false);
  });

  it('summarises the latest, the peak, swap, pressure and incidents', () => {
    expect(memorySummary('last 1 h', samples, incidents.slice(0, 1))).toBe(
      'memory, last 1 h: 12.0 GiB used of 32.0 GiB (peak 20.0 GiB), swap 1.0 GiB, pressure warn (worst critical); 1 incident (memory_pressure)',
    );
    expect(memorySummary('last 1 h', [], [])).toBe('memory, last 1 h: no samples');
  });
});

describe('context', () => {
  const window = { from: T0, to: T0 + 10 * MIN };
  const requests = [
    record(1, { at: new Date(T0 + MIN).toISOString(), ctxUsed: 1000, ctxLimit: 8192 }),
    record(2, { at: new Date(T0 + 2 * MIN).toISOString(), ctxUsed: 8000, ctxLimit: 8192, model: 'qwen' }),
    record(3, { at: new Date(T0 + 3 * MIN).toISOString(), ctxUsed: null }),
    record(4, { at: new Date(T0 - MIN).toISOString(), ctxUsed: 5 }),
    record(5, { at: new Date(T0 + 4 * MIN).toISOString(), ctxUsed: 500, ctxLimit: null }),
  ];

  it('plots known context use in the window, the limit as a second series', () => {
    const { lines, count } = contextLines(requests, window, theme);
    expect(count).toBe(3);
    expect(lines[0]!.data.map((p) => p.y)).toEqual([1000, 8000, 500]);
    expect(lines[0]!.data[1]!.note).toBe('qwen');
    expect(lines[1]!.data.map((p) => p.y)).toEqual([8192, 8192]);
    expect(lines[1]!.pointStyle).toBe('line');
  });

  it('summarises the median against the limit and how many were near it', () => {
    expect(contextSummary('last 1 h', requests, window)).toBe(
      'context used per request, last 1 h: 3 requests, median 1,000 of 8,192 tokens, 1 at ≥ 90 % of the limit',
    );
    expect(contextSummary('last 1 h', [], window)).toBe('context used per request, last 1 h: no requests with a known context');
  });
});

describe('textual equivalent', () => {
  it('a row per time (newest first), a column per series, unknown "—"', () => {
    const lines = seriesLines(response(), 'backend', theme);
    const table = dataTable(
      lines,
      (x) => String((x - T0) / MIN),
      (_l, y) => `${y}`,
      2,
    );
    expect(table.columns).toEqual(['time', 'MLX', 'Metal']);
    expect(table.rows).toEqual([
      ['3', '84', '—'],
      ['1', '—', '40'],
    ]);
    expect(table.omitted).toBe(1);
  });

  it('shows an incident by its kind', () => {
    const lines = memoryLines([], [incident(1, new Date(T0).toISOString())], theme);
    expect(dataTable(lines, String, () => 'x').rows[0]!.at(-1)).toBe('memory_pressure · llama3.1:8b');
  });

  it('counts drawn points', () => {
    expect(pointCount(seriesLines(response(), 'backend', theme))).toBe(4);
  });
});
