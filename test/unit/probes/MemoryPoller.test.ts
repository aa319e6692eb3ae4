import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemorySample } from '../../../shared/memory.js';
import { MemoryPoller } from '../../../agent/probes/MemoryPoller.js';
import { emptySample, type MemoryProbe } from '../../../agent/probes/MemoryProbe.js';

/** A probe whose samples finish only when the test says so. */
function manualProbe() {
  const pending: { resolve: (s: MemorySample) => void; reject: (e: unknown) => void; at: Date }[] = [];
  const probe: MemoryProbe = {
    machine: () => Promise.reject(new Error('unused')),
    statuses: () => [],
    sample: (now) =>
      new Promise<MemorySample>((resolve, reject) => {
        pending.push({ resolve, reject, at: now });
      }),
  };
  const finish = (i: number, totalBytes: number) => pending[i]?.resolve({ ...emptySample(pending[i].at), totalBytes });
  return { probe, pending, finish };
}

const flush = () => vi.advanceTimersByTimeAsync(0);
// Taken before any test fakes the timers.
const realSetImmediate = setImmediate;

describe('MemoryPoller', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-05-29T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('polls at start, skips ticks while a poll is running, and resumes after it', async () => {
    const { probe, pending, finish } = manualProbe();
    const samples: MemorySample[] = [];
    const poller = new MemoryPoller({ probe, intervalMs: 1000, onSample: (s) => samples.push(s) });
    poller.start();
    expect(pending).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(3500); // three ticks while the first poll hangs
    expect(pending).toHaveLength(1);
    expect(samples).toHaveLength(0);

    finish(0, 111);
    await flush();
    expect(samples.map((s) => s.totalBytes)).toEqual([111]);
    expect(samples[0]?.at).toBe('2026-05-29T00:00:00.000Z');

    await vi.advanceTimersByTimeAsync(500); // the next tick at 4000 ms starts poll 2
    expect(pending).toHaveLength(2);
    finish(1, 222);
    await flush();
    expect(samples.map((s) => s.totalBytes)).toEqual([111, 222]);
    expect(samples[1]?.at).toBe('2026-05-29T00:00:04.000Z');
    poller.stop();
  });

  it('pollOnce during a running poll joins it instead of starting another', async () => {
    const { probe, pending, finish } = manualProbe();
    const onSample = vi.fn();
    const poller = new MemoryPoller({ probe, intervalMs: 1000, onSample });
    const a = poller.pollOnce();
    const b = poller.pollOnce();
    expect(b).toBe(a);
    expect(pending).toHaveLength(1);
    finish(0, 5);
    await expect(a).resolves.toMatchObject({ totalBytes: 5 });
    expect(onSample).toHaveBeenCalledTimes(1);
    // Settled: the next call is a new poll.
    void poller.pollOnce();
    expect(pending).toHaveLength(2);
  });

  it('a throwing onSample and a failing probe go to onError; polling continues', async () => {
    const { probe, pending, finish } = manualProbe();
    const errors: unknown[] = [];
    const poller = new MemoryPoller({
      probe,
      intervalMs: 1000,
      onSample: () => {
        throw new Error('store closed');
      },
      onError: (err) => errors.push(err),
    });
    poller.start();
    pending[0]?.reject(new Error('probe broke'));
    await flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pending).toHaveLength(2);
    finish(1, 1);
    await flush();
    expect(errors.map((e) => (e as Error).message)).toEqual(['probe broke', 'store closed']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pending).toHaveLength(3);
    poller.stop();
  });

  it('an onError that throws does not escape either', async () => {
    const { probe, pending } = manualProbe();
    const onError = vi.fn(() => {
      throw new Error('logger broke');
    });
    const poller = new MemoryPoller({ probe, intervalMs: 1000, onSample: () => {}, onError });
    const unhandled: unknown[] = [];
    const noteUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', noteUnhandled);
    try {
      poller.start();
      pending[0]?.reject(new Error('probe broke'));
      await flush();
      // Node reports an unhandled rejection once the microtasks run out, before the next real macrotask.
      await new Promise((resolve) => realSetImmediate(resolve));
      expect(onError).toHaveBeenCalledTimes(1);
      expect(unhandled).toEqual([]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(pending).toHaveLength(2); // and it polls on
    } finally {
      process.off('unhandledRejection', noteUnhandled);
      poller.stop();
    }
  });

  it('stop: no more polls, and a sample that lands after stop is not delivered', async () => {
    const { probe, pending, finish } = manualProbe();
    const onSample = vi.fn();
    const poller = new MemoryPoller({ probe, intervalMs: 1000, onSample });
    poller.start();
    poller.stop();
    finish(0, 1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(pending).toHaveLength(1);
    expect(onSample).not.toHaveBeenCalled();
  });

  it('uses the injected clock', async () => {
    const { probe, pending, finish } = manualProbe();
    const onSample = vi.fn();
    const poller = new MemoryPoller({ probe, intervalMs: 1000, now: () => new Date('2030-01-02T03:04:05Z'), onSample });
    const p = poller.pollOnce();
    finish(0, 1);
    expect((await p).at).toBe('2030-01-02T03:04:05.000Z');
    expect(pending[0]?.at.toISOString()).toBe('2030-01-02T03:04:05.000Z');
  });
});

describe('MemoryPoller timer', () => {
  it('does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    const poller = new MemoryPoller({
      probe: { machine: () => Promise.reject(new Error('x')), statuses: () => [], sample: (now) => Promise.resolve(emptySample(now)) },
      intervalMs: 60_000,
      onSample: () => {},
    });
    poller.start();
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    poller.stop();
    spy.mockRestore();
  });
});
