// What the alert engine talks to: one notification channel (a webhook, macOS Notification Center).
// The dashboard is not one of these: it reads alerts from the store and the /ws push, so it cannot fall
// behind or fail the way a remote endpoint can.
import type { AlertRecord, ChannelStatus } from '../../../shared/alerts.js';

/** Why a notification goes out: the alert opened, is still firing after a while, or cleared. */
export type NotifyEvent = 'fire' | 'reminder' | 'resolve';

/** Where a channel says that it broke or recovered; one line per state change, never per attempt. */
export type ChannelLog = (line: string) => void;

export interface Notifier {
  /** Shown in statuses and logs; never holds credentials or tokens. */
  readonly name: string;
  /**
   * Queues one notification and returns at once. Never throws and never rejects: a slow or broken
   * endpoint must not hold up the pipeline that raises alerts. The alert is read now (the engine goes
   * on mutating its record), so what is delivered is the alert as it was when this was called.
   */
  send(alert: AlertRecord, event: NotifyEvent): void;
  /** Counters and the latest error, for /api and the dashboard. */
  status(): ChannelStatus;
  /**
   * Stops taking notifications, tries to deliver what is pending (no more backoff waits), and after a
   * bounded wait drops the rest, counted as failed. Resolves; never rejects.
   */
  close(): Promise<void>;
}
