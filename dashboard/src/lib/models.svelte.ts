// What Ollama has loaded now (`/api/ps` + KV sizing). Every `models` message replaces the list;
// like status deltas they are throttled and only the latest one per flush is applied.
import type { LoadedModel } from '../../../shared/models.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';

export class LoadedModelsStore {
  /** Replaced (never mutated) on every change. */
  items: readonly LoadedModel[] = $state.raw([]);
  /** Whether Ollama has answered /api/ps yet: until then an empty list means "not known". */
  checked: boolean = $state(false);
  #batcher: Batcher<readonly LoadedModel[]>;

  constructor(flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS) {
    this.#batcher = createBatcher((lists) => {
      const latest = lists.at(-1);
      if (latest !== undefined) {
        this.items = latest;
        this.checked = true;
      }
    }, flushIntervalMs);
  }

  /** Apply immediately (a `hello` snapshot); pending updates are dropped. */
  set(models: readonly LoadedModel[], checkedAt: string | null): void {
    this.#batcher.clear();
    this.items = models;
    this.checked = checkedAt !== null;
  }

  /** Throttled update (a `models` delta). */
  update(models: readonly LoadedModel[]): void {
    this.#batcher.push(models);
  }

  /** Apply the queued update now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
