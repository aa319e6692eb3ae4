// What the engine hands the I/O side: one change per alert it touched, with the whole alert to store
// and push, and whether a person should be told.
import type { AlertRecord } from '../../shared/alerts.js';

/** An alert as the engine holds it: `id` is null until the I/O side has inserted it and called `assignId`. */
export type AlertDraft = Omit<AlertRecord, 'id'> & { id: number | null };

export type AlertChangeKind = 'fired' | 'updated' | 'escalated' | 'resolved' | 'reopened';
export type AlertNotify = 'fire' | 'reminder' | 'resolve';

export interface AlertChange {
  /** `${kind}|${subject}`: at most one firing alert per key. */
  key: string;
  change: AlertChangeKind;
  /** What to send over the notification channels, if anything (the dashboard always gets the change). */
  notify: AlertNotify | null;
  /** A copy: insert it when `id` is null, else update the row with that id. */
  alert: AlertDraft;
}
