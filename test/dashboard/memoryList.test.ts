import { describe, expect, it } from 'vitest';
import { mergeList } from '../../dashboard/src/lib/listSpec.js';
import { MEMORY_LIST } from '../../dashboard/src/lib/memoryList.js';
import { memorySample } from './fixtures.js';

const at = (second: number) => new Date(Date.UTC(2025, 10, 26, 8, 0, second)).toISOString();
const sample = (second: number, usedBytes: number | null = 1) => memorySample({ at: at(second), usedBytes });
const seconds = (rows: readonly { at: string }[]) => rows.map((r) => new Date(r.at).getUTCSeconds());

describe('mergeList(MEMORY_LIST)', () => {
  it('puts deltas (arriving oldest first) in front of the snapshot, newest first', () => {
    const snapshot = [sample(10), sample(5), sample(0)];
    expect(seconds(mergeList(MEMORY_LIST, snapshot, [sample(15), sample(20)], 10))).toEqual([20, 15, 10, 5, 0]);
  });

  it('keeps one sample per time, the incoming copy winning (a replayed delta)', () => {
    const out = mergeList(MEMORY_LIST, [sample(10, 1), sample(5, 1)], [sample(10, 2)], 10);
    expect(seconds(out)).toEqual([10, 5]);
    expect(out[0]?.usedBytes).toBe(2);
  });

  it('caps the list, dropping the oldest samples; 720 by default', () => {
    expect(seconds(mergeList(MEMORY_LIST, [sample(3), sample(2), sample(1)], [sample(4)], 2))).toEqual([4, 3]);
    const burst = Array.from({ length: 1000 }, (_, i) => memorySample({ at: new Date(Date.UTC(2025, 0, 1) + i * 5000).toISOString() }));
    const out = mergeList(MEMORY_LIST, [], burst);
    expect(MEMORY_LIST.cap).toBe(720);
    expect(out).toHaveLength(720);
    expect(out[0]).toBe(burst[999]);
    expect(out[719]).toBe(burst[280]);
  });

  it('never mutates its inputs and returns the same array when there is nothing to merge', () => {
    const existing = [sample(2), sample(1)];
    const incoming = [sample(3)];
    const out = mergeList(MEMORY_LIST, existing, incoming, 10);
    expect(out).not.toBe(existing);
    expect(seconds(existing)).toEqual([2, 1]);
    expect(seconds(incoming)).toEqual([3]);
    expect(mergeList(MEMORY_LIST, existing, [], 10)).toBe(existing);
  });
});
