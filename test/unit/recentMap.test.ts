// A map bounded to its last keys: the oldest key goes first, a key set again keeps its place.
import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../agent/metrics/RecentMap.js';

describe('RecentMap', () => {
  it('keeps the last `capacity` keys across many turns of its ring', () => {
    const m = new RecentMap<number, string>(3);
    for (let k = 1; k <= 10; k++) m.set(k, `v${k}`);
    expect(m.size).toBe(3);
    expect([1, 7].map((k) => m.has(k))).toEqual([false, false]);
    expect([8, 9, 10].map((k) => m.get(k))).toEqual(['v8', 'v9', 'v10']);
  });

  it('updates a key it holds without making another go', () => {
    const m = new RecentMap<number, number>(2);
    m.set(1, 1);
    m.set(2, 2);
    m.set(1, 10);
    expect(m.size).toBe(2);
    expect(m.get(1)).toBe(10);
    // 1 is still the oldest by insertion: the next new key makes it go.
    m.set(3, 3);
    expect([m.has(1), m.get(2), m.get(3)]).toEqual([false, 2, 3]);
  });

  it('holds nothing with no room', () => {
    const m = new RecentMap<string, number>(0);
    m.set('a', 1);
    expect(m.size).toBe(0);
    expect(m.get('a')).toBeUndefined();
  });
});
