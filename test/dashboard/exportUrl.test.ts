import { describe, expect, it } from 'vitest';
import { exportUrl } from '../../dashboard/src/lib/exportUrl.js';
import { DEFAULT_VIEW } from '../../dashboard/src/lib/urlState.js';

describe('exportUrl', () => {
  const now = Date.UTC(2026, 10, 27, 12);
  it('counts a preset back from now and leaves unset filters out', () => {
    expect(exportUrl({ ...DEFAULT_VIEW, range: { kind: 'preset', preset: '1h' } }, 'csv', now)).toBe(
      '/api/requests/export?format=csv&from=2026-11-27T11%3A00%3A00.000Z&to=2026-11-27T12%3A00%3A00.001Z',
    );
  });
  it('carries a custom window and every filter', () => {
    const url = new URL(
      exportUrl(
        {
          range: { kind: 'custom', from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 2) },
          model: 'qwen3:8b',
          backend: '(unknown)',
          status: '5xx',
        },
        'json',
        now,
      ),
      'http://x',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'json',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
      model: 'qwen3:8b',
      backend: '(unknown)',
      status: '5xx',
    });
  });
});
