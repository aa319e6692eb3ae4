// The request list: newest first, de-duplicated by id, capped. Deltas are batched so the table
// re-renders at most ~4 times per second, whatever the message rate.
import type { RequestRecord } from '../../../shared/records.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';
import { DEFAULT_REQUEST_CAP, mergeRequests } from './requestList.js';

export interface RequestStoreOptions {
  cap?: number;
  flushIntervalMs?: number;
}

export class RequestStore {
  /** Replaced (never mutated) on every change. */
  rows: readonly RequestRecord[] = $state.raw([]);
  readonly cap: number;
  #batcher: Batcher<RequestRecord>;

  constructor({ cap = DEFAULT_REQUEST_CAP, flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS }: RequestStoreOptions = {}) {
    this.cap = cap;
    this.#batcher = createBatcher((items) => {
      this.rows = mergeRequests(this.rows, items, this.cap);
    }, flushIntervalMs);
  }

  /** Replace the whole list (a `hello` snapshot); pending deltas are dropped. */
  replace(records: readonly RequestRecord[]): void {
    this.#batcher.clear();
    this.rows = mergeRequests([], records, this.cap);
  }

  /** Queue one delta; it shows up at the next flush. */
  add(record: RequestRecord): void {
    this.#batcher.push(record);
  }

  /** Apply queued deltas now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
