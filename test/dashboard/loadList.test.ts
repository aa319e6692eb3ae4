import { describe, expect, it } from 'vitest';
import { mergeList } from '../../dashboard/src/lib/listSpec.js';
import { indexLoads, LOAD_LIST } from '../../dashboard/src/lib/loadList.js';
import { loadRecord } from './fixtures.js';

describe('mergeList(LOAD_LIST)', () => {
  it('replaces a load by id (a `load` delta), newest first', () => {
    const existing = [loadRecord(2, { outcome: null }), loadRecord(1)];
    const merged = mergeList(LOAD_LIST, existing, [loadRecord(3), loadRecord(2, { outcome: 'ready', gpuLayers: 31 })]);
    expect(merged.map((l) => l.id)).toEqual([3, 2, 1]);
    expect(merged[1]).toMatchObject({ outcome: 'ready', gpuLayers: 31 });
    expect(existing[0]?.outcome).toBeNull();
  });

  it('caps, dropping the oldest, and returns the same array when nothing changes', () => {
    const existing = [loadRecord(2), loadRecord(1)];
    expect(mergeList(LOAD_LIST, existing, [])).toBe(existing);
    expect(mergeList(LOAD_LIST, existing, [loadRecord(3)], 2).map((l) => l.id)).toEqual([3, 2]);
    expect(mergeList(LOAD_LIST, [], [loadRecord(1), loadRecord(2)], 0)).toEqual([]);
  });

  it('indexes by id for the join on LoadedModel.loadId', () => {
    const byId = indexLoads([loadRecord(2, { backend: 'mlx' }), loadRecord(1)]);
    expect(byId.get(2)?.backend).toBe('mlx');
    expect(byId.get(9)).toBeUndefined();
  });
});
