import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRenderScheduler } from '../../../dashboard/src/lib/history/schedule.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('render scheduler', () => {
  it('redraws at most 4 times per second, the latest request per chart winning', () => {
    const scheduler = createRenderScheduler(250);
    const draws: string[] = [];
    // 100 updates per second for 2 s, to two charts.
    for (let i = 0; i < 200; i++) {
      scheduler.request('a', () => draws.push(`a${i}`));
      scheduler.request('b', () => draws.push(`b${i}`));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(250);
    const rounds = draws.filter((d) => d.startsWith('a')).length;
    expect(rounds).toBeGreaterThanOrEqual(8);
    expect(rounds).toBeLessThanOrEqual(9);
    expect(draws.at(-2)).toBe('a199');
    expect(draws.at(-1)).toBe('b199');
  });

  it('runs the first request at once and forgets cancelled ones', () => {
    const scheduler = createRenderScheduler(250);
    const draws: string[] = [];
    scheduler.request('a', () => draws.push('a'));
    vi.advanceTimersByTime(0);
    expect(draws).toEqual(['a']);
    scheduler.request('a', () => draws.push('a2'));
    scheduler.request('b', () => draws.push('b'));
    scheduler.cancel('a');
    vi.advanceTimersByTime(250);
    expect(draws).toEqual(['a', 'b']);
    scheduler.request('c', () => draws.push('c'));
    scheduler.cancel();
    vi.advanceTimersByTime(1000);
    expect(draws).toEqual(['a', 'b']);
  });
});
