import { describe, expect, it } from 'vitest';
import {
  activityByModel,
  ALL,
  CONTEXT_ALERT_TOKENS,
  contextAlertThreshold,
  contextGauge,
  contextPercentText,
  filterOptions,
  filterRequests,
  filterSummaryText,
  gpuLayersText,
  isFiltered,
  kvCacheBytes,
  kvRoomText,
  gaugeWindowText,
  lagText,
  mlxEligibility,
  modelBackend,
  NO_FILTER,
  NONE,
  tpsText,
} from '../../dashboard/src/lib/live.js';
import { kvSizing, loadedModel, loadRecord, machine, record } from './fixtures.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('lagText', () => {
  it('says caught up below 64 KiB, else how far behind; unknown is not "caught up"', () => {
    expect(lagText(0)).toBe('caught up');
    expect(lagText(4096)).toBe('caught up');
    expect(lagText(12 * MiB)).toBe('12.0 MiB behind');
    expect(lagText(200 * 1024)).toBe('200 KiB behind');
    expect(lagText(null)).toBe('lag unknown');
  });
});

describe('mlxEligibility', () => {
  it('is eligible on Apple Silicon with 32 GiB or more', () => {
    const e = mlxEligibility(machine({ memoryBytes: 32 * GiB }));
    expect(e.eligible).toBe(true);
    expect(e.view.text).toBe('MLX eligible');
    expect(e.view.tone).toBe('ok');
  });
  it('says why not', () => {
    expect(mlxEligibility(machine({ appleSilicon: false, chip: 'AMD EPYC', arch: 'x64' })).view.text).toBe('MLX: not Apple Silicon');
    const small = mlxEligibility(machine({ memoryBytes: 16 * GiB }));
    expect(small.eligible).toBe(false);
    expect(small.view.text).toBe('MLX: under 32 GiB');
    expect(small.view.title).toContain('16 GiB');
    // 32 GB sold as "32 GB" is 32 GiB on a Mac; 31.9 GiB is under.
    expect(mlxEligibility(machine({ memoryBytes: 31.9 * GiB })).eligible).toBe(false);
  });
  it('does not guess when the machine or its memory is unknown', () => {
    expect(mlxEligibility(null)).toMatchObject({ eligible: null, view: { text: 'MLX: unknown' } });
    expect(mlxEligibility(machine({ memoryBytes: null })).eligible).toBeNull();
    // Not Apple Silicon decides it even with unknown memory.
    expect(mlxEligibility(machine({ appleSilicon: false, memoryBytes: null })).eligible).toBe(false);
  });
});

describe('model card facts', () => {
  it('takes the backend from the load record, falling back to safetensors → MLX', () => {
    expect(modelBackend(loadedModel({ format: 'gguf' }), loadRecord(1, { backend: 'metal' }))).toBe('metal');
    expect(modelBackend(loadedModel({ format: 'gguf' }), loadRecord(1, { backend: 'cpu' }))).toBe('cpu');
    expect(modelBackend(loadedModel({ format: 'safetensors' }), null)).toBe('mlx');
    expect(modelBackend(loadedModel({ format: 'safetensors' }), loadRecord(1, { backend: null }))).toBe('mlx');
    expect(modelBackend(loadedModel({ format: 'gguf' }), undefined)).toBeNull();
    expect(modelBackend(loadedModel({ format: null }), null)).toBeNull();
  });

  it('shows GPU layers x/y, "—" when unknown (never 0)', () => {
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 31, totalLayers: 33 }))).toBe('31/33');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 0, totalLayers: 33 }))).toBe('0/33');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 20, totalLayers: null }))).toBe('20/—');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: null, totalLayers: null }))).toBe('—');
    expect(gpuLayersText(null)).toBe('—');
  });

  it('sizes the KV cache from the estimate, else the log', () => {
    expect(kvCacheBytes(loadedModel({ kv: kvSizing({ estimatedBytes: 5 * GiB }) }), loadRecord(1, { kvBytes: GiB }))).toBe(5 * GiB);
    expect(kvCacheBytes(loadedModel({ kv: null }), loadRecord(1, { kvBytes: GiB }))).toBe(GiB);
    expect(kvCacheBytes(loadedModel({ kv: kvSizing({ estimatedBytes: null }) }), null)).toBeNull();
  });

  it('formats speeds and room', () => {
    expect(tpsText(54.333)).toBe('54.3 tok/s');
    expect(tpsText(865.09)).toBe('865 tok/s');
    expect(tpsText(null)).toBe('—');
    expect(kvRoomText(185196)).toBe('free memory fits ≈ 185,196 more KV tokens');
    expect(kvRoomText(1)).toBe('free memory fits ≈ 1 more KV token');
    expect(kvRoomText(-5)).toBe('free memory fits ≈ 0 more KV tokens');
    expect(kvRoomText(null)).toBe('—');
  });
});

describe('activityByModel', () => {
  it('finds per model the newest request with context figures and the newest speeds', () => {
    // Newest first, as the store keeps them.
    const rows = [
      record(6, { model: 'a', ctxUsed: null, prefillTps: null, decodeTps: null, status: 500 }),
      record(5, { model: 'b', ctxUsed: 100, ctxLimit: 8192 }),
      record(4, { model: 'a', ctxUsed: null, prefillTps: null, decodeTps: 40 }),
      record(3, { model: 'a', ctxUsed: 7000, ctxLimit: 8192, prefillTps: 800, decodeTps: 50 }),
      record(2, { model: 'a', ctxUsed: 6000, ctxLimit: 8192, prefillTps: 700 }),
      record(1, { model: null, ctxUsed: 10 }),
    ];
    const a = activityByModel(rows).get('a');
    expect(a?.context?.id).toBe(3);
    expect(a?.prefillTps).toBe(800);
    expect(a?.decodeTps).toBe(40);
    expect(activityByModel(rows).get('b')?.context?.id).toBe(5);
    expect(activityByModel(rows).get('b')?.prefillTps).toBeNull();
    expect(activityByModel([]).size).toBe(0);
  });
});

describe('contextGauge', () => {
  it('uses min(90,000 tokens, 0.85 × window) as the amber threshold, like the agent', () => {
    expect(contextAlertThreshold(8192)).toBeCloseTo(6963.2);
    expect(contextAlertThreshold(131_072)).toBe(CONTEXT_ALERT_TOKENS);
    expect(contextAlertThreshold(null)).toBe(CONTEXT_ALERT_TOKENS);
  });

  it('labels the numbers and the percentage', () => {
    const g = contextGauge({ ctxUsed: 71_234, ctxLimit: 131_072, truncated: false }, null);
    expect(g).toMatchObject({ used: 71_234, limit: 131_072, level: 'ok', levelWord: null, label: '71,234 / 131,072 tokens · 54%' });
    expect(g?.fraction).toBeCloseTo(0.5435, 3);
    expect(g?.valueText).toBe('71,234 / 131,072 tokens · 54%');
  });

  it('turns amber at the threshold and red when that request was truncated', () => {
    expect(contextGauge({ ctxUsed: 6962, ctxLimit: 8192, truncated: false }, null)?.level).toBe('ok');
    const near = contextGauge({ ctxUsed: 6964, ctxLimit: 8192, truncated: false }, null);
    expect(near?.level).toBe('warn');
    expect(near?.valueText).toBe('6,964 / 8,192 tokens · 85%, near limit');
    // A 262k window: amber from 90,000 tokens, far below 85%.
    expect(contextGauge({ ctxUsed: 95_000, ctxLimit: 262_144, truncated: null }, null)?.level).toBe('warn');
    const cut = contextGauge({ ctxUsed: 4221, ctxLimit: 8192, truncated: true }, null);
    expect(cut?.level).toBe('critical');
    expect(cut?.levelWord).toBe('truncated');
  });

  it("falls back to the model's window, and shows only the number when no window is known", () => {
    expect(contextGauge({ ctxUsed: 4096, ctxLimit: null, truncated: null }, 8192)?.label).toBe('4,096 / 8,192 tokens · 50%');
    const bare = contextGauge({ ctxUsed: 4096, ctxLimit: null, truncated: null }, null);
    expect(bare?.limit).toBeNull();
    expect(bare?.fraction).toBeNull();
    expect(bare?.label).toBe('4,096 tokens · window —');
  });

  it('never shows 100% for a window that is not full, and clamps an overfull one', () => {
    expect(contextGauge({ ctxUsed: 8190, ctxLimit: 8192, truncated: false }, null)?.label).toBe('8,190 / 8,192 tokens · 99%');
    const over = contextGauge({ ctxUsed: 9000, ctxLimit: 8192, truncated: true }, null);
    expect(over?.fraction).toBe(1);
    expect(over?.label).toContain('110%');
  });

  it('is null without a request with context figures', () => {
    expect(contextGauge(null, 8192)).toBeNull();
    expect(contextGauge({ ctxUsed: null, ctxLimit: 8192, truncated: null }, 8192)).toBeNull();
  });
});

describe('request feed', () => {
  it('shows context % from ctxUsed/ctxLimit, "—" when unknown (never 0%)', () => {
    expect(contextPercentText({ ctxUsed: 4221, ctxLimit: 8192 })).toBe('52%');
    expect(contextPercentText({ ctxUsed: 3, ctxLimit: 131_072 })).toBe('1%');
    expect(contextPercentText({ ctxUsed: null, ctxLimit: 8192 })).toBe('—');
    expect(contextPercentText({ ctxUsed: 100, ctxLimit: null })).toBe('—');
    expect(contextPercentText({ ctxUsed: 100, ctxLimit: 0 })).toBe('—');
  });

  const rows = [
    record(5, { model: 'qwen3.5:35b-a3b', backend: 'mlx', status: 200 }),
    record(4, { model: 'llama3.1:8b', backend: 'metal', status: 500 }),
    record(3, { model: null, backend: null, status: 200, path: '/api/tags' }),
    record(2, { model: 'llama3.1:8b', backend: 'metal', status: 404 }),
    record(1, { model: 'llama3.1:8b', backend: 'cpu', status: 200 }),
  ];
  const ids = (r: readonly { id: number }[]) => r.map((x) => x.id);

  it('filters by model, backend and status class, keeping the order', () => {
    expect(filterRequests(rows, NO_FILTER)).toBe(rows);
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(ids(filterRequests(rows, { ...NO_FILTER, model: 'llama3.1:8b' }))).toEqual([4, 2, 1]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, backend: 'metal' }))).toEqual([4, 2]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, status: '2xx' }))).toEqual([5, 3, 1]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, status: '4xx' }))).toEqual([2]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, status: '5xx' }))).toEqual([4]);
    expect(ids(filterRequests(rows, { model: 'llama3.1:8b', backend: 'metal', status: '5xx' }))).toEqual([4]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, model: NONE }))).toEqual([3]);
    expect(ids(filterRequests(rows, { ...NO_FILTER, backend: NONE }))).toEqual([3]);
    expect(filterRequests(rows, { ...NO_FILTER, model: 'gone:1b' })).toEqual([]);
  });

  it('offers the values present, sorted, with "—" for unknown, and keeps the current selection', () => {
    expect(filterOptions(rows, 'model')).toEqual([
      { value: ALL, label: 'All models' },
      { value: 'llama3.1:8b', label: 'llama3.1:8b' },
      { value: 'qwen3.5:35b-a3b', label: 'qwen3.5:35b-a3b' },
      { value: NONE, label: '— (unknown)' },
    ]);
    expect(filterOptions(rows, 'backend').map((o) => o.label)).toEqual(['All backends', 'CPU', 'Metal', 'MLX', '— (unknown)']);
    const known = rows.filter((r) => r.model !== null);
    expect(filterOptions(known, 'model', 'gone:1b').map((o) => o.value)).toContain('gone:1b');
    expect(filterOptions(known, 'model').map((o) => o.value)).not.toContain(NONE);
    expect(filterOptions(known, 'model', NONE).map((o) => o.value)).toContain(NONE);
    expect(filterOptions([], 'model')).toEqual([{ value: ALL, label: 'All models' }]);
  });

  it('summarises a filtered view', () => {
    expect(filterSummaryText(3, 200)).toBe('Showing 3 of 200 requests');
    expect(filterSummaryText(0, 1)).toBe('Showing 0 of 1 request');
  });
});

describe('gaugeWindowText', () => {
  it('names the window the bar measures against, and the runner window when it differs', () => {
    expect(gaugeWindowText({ limit: 8192 }, '8,192')).toBe('window 8,192');
    expect(gaugeWindowText({ limit: 8192 }, '131,072')).toBe('window 8,192 · runner 131,072');
    expect(gaugeWindowText(null, '131,072')).toBe('window 131,072');
    expect(gaugeWindowText({ limit: null }, '4,096')).toBe('window 4,096');
  });
});
