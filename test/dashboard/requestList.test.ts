import { describe, expect, it } from 'vitest';
import { mergeList } from '../../dashboard/src/lib/listSpec.js';
import { REQUEST_LIST } from '../../dashboard/src/lib/requestList.js';
import { record } from './fixtures.js';

const ids = (rows: readonly { id: number }[]) => rows.map((r) => r.id);

describe('mergeList(REQUEST_LIST)', () => {
  it('orders newest (highest id) first whatever the arrival order', () => {
    const out = mergeList(REQUEST_LIST, [record(5), record(3)], [record(4), record(9), record(1)], 10);
    expect(ids(out)).toEqual([9, 5, 4, 3, 1]);
  });

  it('shows a row that arrives twice (snapshot + delta) once, keeping the incoming copy', () => {
    const snapshot = [record(3), record(2, { model: 'old' }), record(1)];
    const out = mergeList(REQUEST_LIST, snapshot, [record(2, { model: 'new' }), record(2, { model: 'newest' }), record(4)], 10);
    expect(ids(out)).toEqual([4, 3, 2, 1]);
    expect(out.find((r) => r.id === 2)?.model).toBe('newest');
  });

  it('caps the list, dropping the oldest rows', () => {
    const existing = Array.from({ length: 5 }, (_, i) => record(5 - i)); // 5..1
    const out = mergeList(REQUEST_LIST, existing, [record(6), record(7)], 5);
    expect(ids(out)).toEqual([7, 6, 5, 4, 3]);
  });

  it('caps at 500 by default under a burst of 1,000 deltas', () => {
    const burst = Array.from({ length: 1000 }, (_, i) => record(i + 1));
    const out = mergeList(REQUEST_LIST, [], burst);
    expect(REQUEST_LIST.cap).toBe(500);
    expect(out).toHaveLength(500);
    expect(out[0]?.id).toBe(1000);
    expect(out[499]?.id).toBe(501);
  });

  it('returns a new array and never mutates its inputs', () => {
    const existing = [record(2), record(1)];
    const incoming = [record(3)];
    const out = mergeList(REQUEST_LIST, existing, incoming, 10);
    expect(out).not.toBe(existing);
    expect(ids(existing)).toEqual([2, 1]);
    expect(ids(incoming)).toEqual([3]);
  });

  it('returns the same array when there is nothing to merge (no re-render needed)', () => {
    const existing = [record(2), record(1)];
    expect(mergeList(REQUEST_LIST, existing, [], 10)).toBe(existing);
  });

  it('drops a late delta older than everything kept when the list is full', () => {
    const existing = [record(10), record(9)];
    expect(ids(mergeList(REQUEST_LIST, existing, [record(1)], 2))).toEqual([10, 9]);
  });
});
