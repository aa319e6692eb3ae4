// The agent's status (Ollama reachability, log sources, request count). Status deltas are
// throttled like request deltas: only the latest one per flush is applied.
import type { AgentStatus } from '../../../shared/status.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';

export class StatusStore {
  /** `null` until the first `hello`. */
  current: AgentStatus | null = $state.raw(null);
  #batcher: Batcher<AgentStatus>;

  constructor(flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS) {
    this.#batcher = createBatcher((items) => {
      const latest = items.at(-1);
      if (latest !== undefined) this.current = latest;
    }, flushIntervalMs);
  }

  /** Apply immediately (a `hello` snapshot); pending updates are dropped. */
  set(status: AgentStatus): void {
    this.#batcher.clear();
    this.current = status;
  }

  /** Throttled update (a `status` delta). */
  update(status: AgentStatus): void {
    this.#batcher.push(status);
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
