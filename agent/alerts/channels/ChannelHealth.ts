// The counters behind a ChannelStatus, and the one place a channel speaks to the log. A webhook that is
// down stays down for a while and is retried often: logging every attempt would bury everything else in
// the log, so only the transitions are said (working → failing, failing → working). The status carries
// the rest (latest error, counts, pending) for whoever looks.
import type { ChannelStatus } from '../../../shared/alerts.js';
import { processSecrets } from '../../secrets/Redactor.js';
import type { ChannelLog } from './Notifier.js';

export class ChannelHealth {
  private ok = true;
  private sent = 0;
  private failed = 0;
  private lastError: string | null = null;
  private lastSentAt: string | null = null;

  constructor(
    readonly name: string,
    private readonly log: ChannelLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** One notification got through. */
  delivered(): void {
    this.sent++;
    this.lastSentAt = new Date(this.now()).toISOString();
    if (!this.ok) {
      this.ok = true;
      this.log(`notifications: ${this.name} delivers again`);
    }
  }

  /** An attempt failed and will be retried: visible in the status, not a state change yet. */
  retrying(error: string): void {
    this.lastError = processSecrets.redact(error);
  }

  /** One notification is lost (retries exhausted, rejected, dropped). */
  gaveUp(error: string): void {
    this.failed++;
    this.lastError = processSecrets.redact(error);
    if (this.ok) {
      this.ok = false;
      this.log(`notifications: ${this.name} is failing: ${this.lastError}`);
    }
  }

  status(pending: number): ChannelStatus {
    return {
      name: this.name,
      ok: this.ok,
      sent: this.sent,
      failed: this.failed,
      lastError: this.lastError,
      lastSentAt: this.lastSentAt,
      pending,
    };
  }
}
