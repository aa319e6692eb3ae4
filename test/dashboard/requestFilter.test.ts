import { describe, expect, it } from 'vitest';
import {
  ALL,
  filterOptions,
  filterRequests,
  filterSummaryText,
  isFiltered,
  NO_FILTER,
  NONE,
} from '../../dashboard/src/lib/requestFilter.js';
import { record } from './fixtures.js';

describe('request feed', () => {
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
