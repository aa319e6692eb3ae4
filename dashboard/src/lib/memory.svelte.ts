// Memory samples from the agent's probes: newest first, capped. Deltas are batched like the
// request list, so a burst re-renders at most ~4 times per second.
import type { MemorySample } from '../../../shared/memory.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';
import { DEFAULT_MEMORY_CAP, mergeSamples } from './memoryList.js';

export interface MemoryStoreOptions {
  cap?: number;
  flushIntervalMs?: number;
}

export class MemoryStore {
  /** Newest first; replaced (never mutated) on every change. */
  samples: readonly MemorySample[] = $state.raw([]);
  /** The newest sample, `null` before the first one. */
  readonly latest: MemorySample | null = $derived(this.samples[0] ?? null);
  readonly cap: number;
  #batcher: Batcher<MemorySample>;

  constructor({ cap = DEFAULT_MEMORY_CAP, flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS }: MemoryStoreOptions = {}) {
    this.cap = cap;
    this.#batcher = createBatcher((items) => {
      this.samples = mergeSamples(this.samples, items, this.cap);
    }, flushIntervalMs);
  }

  /** Replace all samples (a `hello` snapshot, newest first); pending deltas are dropped. */
  replace(samples: readonly MemorySample[]): void {
    this.#batcher.clear();
    this.samples = mergeSamples([], samples, this.cap);
  }

  /** Queue one sample; it shows up at the next flush. */
  add(sample: MemorySample): void {
    this.#batcher.push(sample);
  }

  /** Apply queued samples now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
