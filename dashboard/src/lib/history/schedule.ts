// Chart redraws, coalesced: whatever asks, each chart is redrawn at most once per interval
// (250 ms → at most 4 renders per second), with the latest request winning.
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, defaultTimers, type BatchTimers } from '../batcher.js';

export interface RenderScheduler {
  /** Run `fn` at the next allowed moment; a later request under the same key replaces it. */
  request(key: string, fn: () => void): void;
  /** Forget pending renders (on unmount). */
  cancel(key?: string): void;
}

export function createRenderScheduler(
  intervalMs: number = DEFAULT_FLUSH_INTERVAL_MS,
  timers: BatchTimers = defaultTimers,
): RenderScheduler {
  const pending = new Map<string, () => void>();
  const batcher = createBatcher<string>(
    () => {
      const jobs = [...pending.values()];
      pending.clear();
      for (const job of jobs) job();
    },
    intervalMs,
    timers,
  );
  return {
    request(key, fn) {
      pending.set(key, fn);
      batcher.push(key);
    },
    cancel(key) {
      if (key === undefined) {
        pending.clear();
        batcher.clear();
      } else pending.delete(key);
    },
  };
}
