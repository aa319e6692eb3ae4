// Collects items and hands them over in batches, at most once per `intervalMs`
// (250 ms → at most 4 flushes, i.e. renders, per second), however fast items arrive.

export interface BatchTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Look the globals up at call time so fake timers installed later (tests) are honoured.
export const defaultTimers: BatchTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Batcher<T> {
  /** Queue one item; a flush is scheduled as soon as the rate limit allows (0 ms if idle). */
  push(item: T): void;
  /** Deliver the queued items now (no-op when the queue is empty). */
  flush(): void;
  /** Drop the queued items and cancel the scheduled flush. */
  clear(): void;
  /** Number of queued items. */
  readonly pending: number;
}

export const DEFAULT_FLUSH_INTERVAL_MS = 250;

export function createBatcher<T>(
  onFlush: (items: T[]) => void,
  intervalMs: number = DEFAULT_FLUSH_INTERVAL_MS,
  timers: BatchTimers = defaultTimers,
): Batcher<T> {
  let queue: T[] = [];
  let timer: unknown = null;
  let lastFlush = Number.NEGATIVE_INFINITY;

  function cancel(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  function run(): void {
    cancel();
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    lastFlush = timers.now();
    onFlush(items);
  }

  return {
    push(item) {
      queue.push(item);
      if (timer === null) {
        const delay = Math.max(0, lastFlush + intervalMs - timers.now());
        timer = timers.setTimeout(run, delay);
      }
    },
    flush: run,
    clear() {
      queue = [];
      cancel();
    },
    get pending() {
      return queue.length;
    },
  };
}
