import { describe, expect, it } from 'vitest';
import { incidentKindText, incidentRows, inWindow, loadRows } from '../../../dashboard/src/lib/history/timeline.js';
import type { IncidentRecord } from '../../../shared/records.js';
import { loadRecord } from '../fixtures.js';

const window = { from: Date.parse('2025-11-26T10:00:00Z'), to: Date.parse('2025-11-26T12:00:00Z') };

describe('timelines', () => {
  it('keeps items in the window, newest first, and drops those without a time', () => {
    const items = [
      { id: 1, at: '2025-11-26T10:30:00Z' },
      { id: 2, at: '2025-11-26T09:59:59Z' },
      { id: 3, at: null },
      { id: 4, at: '2025-11-26T11:30:00Z' },
      { id: 5, at: '2025-11-26T12:00:00Z' },
    ];
    expect(inWindow(items, window).map((i) => i.id)).toEqual([4, 1]);
  });

  it('describes a load: model, engine/backend, outcome and its error', () => {
    const rows = loadRows(
      [
        loadRecord(1, {
          at: '2025-11-26T10:30:00Z',
          model: 'qwen',
          engine: 'mlx',
          backend: 'mlx',
          device: 'gpu',
          outcome: 'ready',
          error: null,
        }),
        loadRecord(2, {
          at: '2025-11-26T11:00:00Z',
          model: null,
          displayName: 'Llama 3',
          engine: 'llama.cpp',
          backend: 'metal',
          device: null,
          outcome: 'failed',
          error: 'out of memory',
        }),
      ],
      window,
    );
    expect(rows[0]).toMatchObject({
      id: 2,
      model: 'Llama 3',
      engine: 'llama.cpp / Metal',
      outcome: 'failed',
      tone: 'error',
      error: 'out of memory',
    });
    expect(rows[1]).toMatchObject({ id: 1, model: 'qwen', engine: 'mlx / MLX (gpu)', outcome: 'ready', tone: 'ok', error: null });
    expect(rows[1]!.time).toMatch(/^26 Nov \d{2}:\d{2}$/);
  });

  it('describes an incident: kind in words, model, detail', () => {
    const incident: IncidentRecord = {
      id: 7,
      at: '2025-11-26T11:00:00Z',
      kind: 'mlx_fallback',
      model: null,
      detail: 'served by llama.cpp',
      loadId: 2,
      requestId: 9,
    };
    expect(incidentRows([incident], window)).toEqual([
      expect.objectContaining({ id: 7, kind: 'MLX fallback', model: '—', detail: 'served by llama.cpp', at: '2025-11-26T11:00:00Z' }),
    ]);
    expect(incidentKindText('oom')).toBe('OOM');
    expect(incidentKindText('context_near_limit')).toBe('Context near limit');
    expect(incidentKindText('gpu_fallback')).toBe('GPU fallback');
  });
});
