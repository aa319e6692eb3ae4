// Alerts: firing and recently resolved, newest first, one per id. The `hello` snapshot replaces
// them; `alert` deltas replace one by id and are batched (at most ~4 renders per second).
import type { AlertRecord } from '../../../shared/alerts.js';
import { acknowledgeAlert, type FetchLike } from './ackAlert.js';
import { acknowledgeAll } from './ackAll.js';
import { DEFAULT_ALERT_CAP, firingAlerts, mergeAlerts, recentlyResolved } from './alertList.js';
import { createBatcher, DEFAULT_FLUSH_INTERVAL_MS, type Batcher } from './batcher.js';

export interface AlertsStoreOptions {
  cap?: number;
  flushIntervalMs?: number;
  /** For `POST /api/alerts/:id/ack`; defaults to the global fetch. */
  fetch?: FetchLike;
}

export class AlertsStore {
  /** Newest first (highest id); replaced (never mutated) on every change. */
  items: readonly AlertRecord[] = $state.raw([]);
  /** What fires now: critical first, then newest. */
  readonly firing: readonly AlertRecord[] = $derived(firingAlerts(this.items));
  /** Resolved within the last day, most recently resolved first (re-evaluated when the list changes). */
  readonly resolved: readonly AlertRecord[] = $derived(recentlyResolved(this.items, Date.now()));
  readonly cap: number;
  #batcher: Batcher<AlertRecord>;
  #fetch: FetchLike | undefined;

  constructor({ cap = DEFAULT_ALERT_CAP, flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS, fetch }: AlertsStoreOptions = {}) {
    this.cap = cap;
    this.#fetch = fetch;
    this.#batcher = createBatcher((alerts) => {
      this.items = mergeAlerts(this.items, alerts, this.cap);
    }, flushIntervalMs);
  }

  /** Replace everything (a `hello` snapshot, newest first); pending deltas are dropped. */
  replace(alerts: readonly AlertRecord[]): void {
    this.#batcher.clear();
    this.items = mergeAlerts([], alerts, this.cap);
  }

  /** Queue one `alert` delta; it shows up at the next flush. */
  add(alert: AlertRecord): void {
    this.#batcher.push(alert);
  }

  /** Apply one record now, after any queued deltas (which arrived earlier, so are older). */
  apply(alert: AlertRecord): void {
    this.#batcher.flush();
    this.items = mergeAlerts(this.items, [alert], this.cap);
  }

  /**
   * Acknowledge alert `id` on the agent and show the stored result at once (no optimistic update).
   * Rejects with an Error whose message reads after "Could not acknowledge: " (see `acknowledgeAlert`).
   */
  async acknowledge(id: number): Promise<AlertRecord> {
    const alert = await acknowledgeAlert(id, this.#fetch);
    this.apply(alert);
    return alert;
  }

  /** Acknowledge these alerts in one request; the stored results are shown at once. */
  async acknowledgeAll(ids: readonly number[]): Promise<number> {
    const alerts = await acknowledgeAll(ids, this.#fetch);
    this.#batcher.flush();
    this.items = mergeAlerts(this.items, alerts, this.cap);
    return alerts.length;
  }

  /** Apply queued deltas now. */
  flush(): void {
    this.#batcher.flush();
  }

  dispose(): void {
    this.#batcher.clear();
  }
}
