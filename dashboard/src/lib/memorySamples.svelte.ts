// Memory samples from the agent's probes: newest first, capped, batched like every list.
import type { MemorySample } from '../../../shared/memory.js';
import { BatchedList, type BatchedListOptions } from './batchedList.svelte.js';
import { MEMORY_LIST } from './memoryList.js';

export class MemorySamplesStore extends BatchedList<MemorySample> {
  /** The newest sample, `null` before the first one. */
  readonly latest: MemorySample | null = $derived(this.items[0] ?? null);

  constructor(options: BatchedListOptions = {}) {
    super(MEMORY_LIST, options);
  }
}
