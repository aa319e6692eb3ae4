// A list the dashboard keeps (requests, loads, memory samples, alerts): a `hello` snapshot replaces
// it, deltas are queued and merged at most ~4 times per second however fast they arrive, so each
// burst costs one render. `items` is `$state.raw`: a long array is replaced, never proxied.
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';
import { mergeList, type ListSpec } from './listSpec.js';

export interface BatchedListOptions {
  /** How many items to keep (default: the spec's). */
  cap?: number;
  flushIntervalMs?: number;
}

export class BatchedList<T> {
  /** Newest first (as the spec orders); replaced (never mutated) on every change. */
  items: readonly T[] = $state.raw([]);
  readonly cap: number;
  readonly #spec: ListSpec<T>;
  readonly #batcher: Batcher<T>;

  constructor(spec: ListSpec<T>, { cap = spec.cap, flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS }: BatchedListOptions = {}) {
    this.#spec = spec;
    this.cap = cap;
    this.#batcher = createBatcher((items) => this.#merge(items), flushIntervalMs);
  }

  #merge(incoming: readonly T[]): void {
    this.items = mergeList(this.#spec, this.items, incoming, this.cap);
  }

  /** Replace everything (a `hello` snapshot, newest first); pending deltas are dropped. */
  replace(items: readonly T[]): void {
    this.#batcher.clear();
    this.items = mergeList(this.#spec, [], items, this.cap);
  }

  /** Queue one delta; it shows up at the next flush. */
  add(item: T): void {
    this.#batcher.push(item);
  }

  /** Apply these records now, after any queued deltas (which arrived earlier, so are older). */
  apply(items: readonly T[]): void {
    this.#batcher.flush();
    this.#merge(items);
  }

  /** Apply queued deltas now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
