import { describe, expect, it } from 'vitest';
import { cellFor, compareBackends, compareRows, MLX_NO_TOKENS, tableNote } from '../../../dashboard/src/lib/history/compare.js';
import type { CompareResponse } from '../../../dashboard/src/lib/history/types.js';

const resp: CompareResponse = {
  from: '2025-11-19T12:00:00.000Z',
  to: '2025-11-26T12:00:00.000Z',
  source: 'hour',
  items: [
    {
      model: 'qwen3.5:35b-a3b',
      backends: {
        metal: { requests: 40, decodeP50: 41.2, decodeP95: 48, prefillP50: 700, latencyP50: 5200 },
        mlx: { requests: 1234, decodeP50: 82.1, decodeP95: 90.4, prefillP50: 1500.2, latencyP50: 2100 },
      },
      decodeSpeedup: 1.99,
    },
    {
      model: 'llama3.1:8b',
      backends: { cpu: { requests: 3, decodeP50: null, decodeP95: null, prefillP50: null, latencyP50: null } },
      decodeSpeedup: null,
    },
  ],
};

describe('compare table', () => {
  it('lists each backend of a model in display order with formatted numbers and the verdict', () => {
    const rows = compareRows(resp);
    expect(rows[0]!.model).toBe('qwen3.5:35b-a3b');
    expect(rows[0]!.cells.map((c) => c.label)).toEqual(['MLX', 'Metal']);
    expect(rows[0]!.cells[0]).toEqual({
      backend: 'mlx',
      label: 'MLX',
      requests: '1,234',
      decodeP50: '82',
      decodeP95: '90',
      prefillP50: '1,500',
      latencyP50: '2.10 s',
      decodeNote: null,
    });
    expect(rows[0]!.speedup).toBe('MLX 2.0× faster');
  });

  it('shows unknowns as "—"', () => {
    const row = compareRows(resp)[1]!;
    expect(row.cells[0]).toMatchObject({ label: 'CPU', requests: '3', decodeP50: '—', latencyP50: '—' });
    // An empty speed-up cell says why.
    expect(row.speedup).toBe('not comparable: no MLX or Metal decode speed');
    expect(cellFor(row, 'mlx')).toMatchObject({ label: 'MLX', requests: '—' });
  });

  it('says in place why an MLX row has no decode speed and how to get one (the proxy)', () => {
    const mlxOnlyLog: CompareResponse = {
      ...resp,
      items: [
        {
          model: 'qwen3.5:35b-a3b',
          backends: { mlx: { requests: 12, decodeP50: null, decodeP95: null, prefillP50: null, latencyP50: 3000 } },
          decodeSpeedup: null,
        },
      ],
    };
    const rows = compareRows(mlxOnlyLog);
    expect(rows[0]!.cells[0]!.decodeNote).toBe(MLX_NO_TOKENS);
    expect(tableNote(rows)).toContain('--proxy');
    expect(tableNote(rows)).toContain('logs no output-token count');
    // Known MLX speeds (the proxy's) and a CPU row without tokens need no such note.
    expect(tableNote(compareRows(resp))).toBeNull();
  });

  it('collects the backends in use', () => {
    expect(compareBackends(resp)).toEqual(['mlx', 'metal', 'cpu']);
  });
});
