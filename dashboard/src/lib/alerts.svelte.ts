// Alerts: firing and recently resolved, newest first, one per id. The `hello` snapshot replaces
// them; `alert` deltas replace one by id and are batched (at most ~4 renders per second).
import type { AlertRecord } from '../../../shared/alerts.js';
import { acknowledgeAlert, type FetchLike } from './ackAlert.js';
import { acknowledgeAll } from './ackAll.js';
import { ALERT_LIST, firingAlerts, recentlyResolved } from './alertList.js';
import { BatchedList, type BatchedListOptions } from './batchedList.svelte.js';

export interface AlertsStoreOptions extends BatchedListOptions {
  /** For `POST /api/alerts/:id/ack`; defaults to the global fetch. */
  fetch?: FetchLike;
}

export class AlertsStore extends BatchedList<AlertRecord> {
  /** What fires now: critical first, then newest. */
  readonly firing: readonly AlertRecord[] = $derived(firingAlerts(this.items));
  /** Resolved within the last day, most recently resolved first (re-evaluated when the list changes). */
  readonly resolved: readonly AlertRecord[] = $derived(recentlyResolved(this.items, Date.now()));
  #fetch: FetchLike | undefined;

  constructor({ fetch, ...options }: AlertsStoreOptions = {}) {
    super(ALERT_LIST, options);
    this.#fetch = fetch;
  }

  /**
   * Acknowledge alert `id` on the agent and show the stored result at once (no optimistic update).
   * Rejects with an Error whose message reads after "Could not acknowledge: " (see `acknowledgeAlert`).
   */
  async acknowledge(id: number): Promise<AlertRecord> {
    const alert = await acknowledgeAlert(id, this.#fetch);
    this.apply([alert]);
    return alert;
  }

  /** Acknowledge these alerts in one request; the stored results are shown at once. */
  async acknowledgeAll(ids: readonly number[]): Promise<number> {
    const alerts = await acknowledgeAll(ids, this.#fetch);
    this.apply(alerts);
    return alerts.length;
  }
}
