// Model loads (runner processes): the snapshot's list plus `load` deltas, replaced by id. Joined to
// the loaded models on `LoadedModel.loadId` for the backend and GPU layers. Deltas are batched
// (at most ~4 renders per second).
import type { LoadRecord } from '../../../shared/records.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';
import { DEFAULT_LOAD_CAP, indexLoads, mergeLoads } from './loadList.js';

export interface LoadsStoreOptions {
  cap?: number;
  flushIntervalMs?: number;
}

export class LoadsStore {
  /** Newest first (highest id); replaced (never mutated) on every change. */
  items: readonly LoadRecord[] = $state.raw([]);
  /** The same loads by id. */
  readonly byId: ReadonlyMap<number, LoadRecord> = $derived(indexLoads(this.items));
  readonly cap: number;
  #batcher: Batcher<LoadRecord>;

  constructor({ cap = DEFAULT_LOAD_CAP, flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS }: LoadsStoreOptions = {}) {
    this.cap = cap;
    this.#batcher = createBatcher((loads) => {
      this.items = mergeLoads(this.items, loads, this.cap);
    }, flushIntervalMs);
  }

  /** Replace everything (a `hello` snapshot, newest first); pending deltas are dropped. */
  replace(loads: readonly LoadRecord[]): void {
    this.#batcher.clear();
    this.items = mergeLoads([], loads, this.cap);
  }

  /** Queue one `load` delta; it shows up at the next flush. */
  add(load: LoadRecord): void {
    this.#batcher.push(load);
  }

  /** Apply queued deltas now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
