import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBatcher } from '../../dashboard/src/lib/batcher.js';

describe('createBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces items pushed in the same tick into one flush', () => {
    const flushes: number[][] = [];
    const batcher = createBatcher<number>((items) => flushes.push(items), 250);
    batcher.push(1);
    batcher.push(2);
    batcher.push(3);
    expect(flushes).toEqual([]); // never synchronous
    vi.advanceTimersByTime(0);
    expect(flushes).toEqual([[1, 2, 3]]);
    expect(batcher.pending).toBe(0);
  });

  it('flushes a burst of 1,000 items at most 4 times per second, losing none', () => {
    const flushTimes: number[] = [];
    const received: number[] = [];
    const start = Date.now();
    const batcher = createBatcher<number>((items) => {
      flushTimes.push(Date.now() - start);
      received.push(...items);
    }, 250);
    // 1,000 items spread over 2 s: one every 2 ms.
    for (let i = 0; i < 1000; i++) {
      batcher.push(i);
      vi.advanceTimersByTime(2);
    }
    vi.advanceTimersByTime(1000);
    expect(received).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (let i = 1; i < flushTimes.length; i++) {
      expect(flushTimes[i]! - flushTimes[i - 1]!).toBeGreaterThanOrEqual(250);
    }
    // ~2 s of traffic → about 8 or 9 flushes, not 1,000.
    expect(flushTimes.length).toBeLessThanOrEqual(10);
    expect(flushTimes.length).toBeGreaterThanOrEqual(8);
  });

  it('delivers an isolated item promptly once the previous flush is 250 ms old', () => {
    const flushes: number[][] = [];
    const batcher = createBatcher<number>((items) => flushes.push(items), 250);
    batcher.push(1);
    vi.advanceTimersByTime(0);
    batcher.push(2);
    vi.advanceTimersByTime(249);
    expect(flushes).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(flushes).toEqual([[1], [2]]);
    vi.advanceTimersByTime(5000);
    batcher.push(3);
    vi.advanceTimersByTime(0);
    expect(flushes).toEqual([[1], [2], [3]]);
  });

  it('flush() delivers now and clear() drops the queue', () => {
    const flushes: number[][] = [];
    const batcher = createBatcher<number>((items) => flushes.push(items), 250);
    batcher.push(1);
    batcher.flush();
    expect(flushes).toEqual([[1]]);
    batcher.push(2);
    batcher.clear();
    vi.advanceTimersByTime(1000);
    expect(flushes).toEqual([[1]]);
    batcher.flush();
    expect(flushes).toEqual([[1]]); // nothing queued → no empty flush
  });
});
