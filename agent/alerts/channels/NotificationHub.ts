// The one door the alert engine uses: every (alert, event) goes to every channel. Channels promise
// not to throw, but a broken one must still not take the engine (or the other channels) down with
// it, so each call is guarded and a throw is counted into that channel's status.
import type { AlertRecord, ChannelStatus } from '../../../shared/alerts.js';
import type { ChannelLog, Notifier, NotifyEvent } from './Notifier.js';

interface Guarded {
  notifier: Notifier;
  /** Sends that threw. */
  thrown: number;
  /** The message of the latest throw, while the latest send threw. */
  throwing: string | null;
}

export class NotificationHub {
  private readonly channels: Guarded[];

  constructor(
    notifiers: readonly Notifier[],
    private readonly log: ChannelLog = () => {},
  ) {
    this.channels = notifiers.map((notifier) => ({ notifier, thrown: 0, throwing: null }));
  }

  /** Hands the notification to every channel; returns how many took it. */
  send(alert: AlertRecord, event: NotifyEvent): number {
    let accepted = 0;
    for (const ch of this.channels) {
      try {
        ch.notifier.send(alert, event);
        ch.throwing = null;
        accepted++;
      } catch (err) {
        ch.thrown++;
        const message = `send threw: ${err instanceof Error ? err.message : String(err)}`;
        if (ch.throwing === null) this.log(`notifications: ${nameOf(ch.notifier)} ${message}`);
        ch.throwing = message;
      }
    }
    return accepted;
  }

  statuses(): ChannelStatus[] {
    return this.channels.map((ch) => {
      let s: ChannelStatus;
      try {
        s = ch.notifier.status();
      } catch (err) {
        s = {
          name: nameOf(ch.notifier),
          ok: false,
          sent: 0,
          failed: 0,
          lastError: `status threw: ${err instanceof Error ? err.message : String(err)}`,
          lastSentAt: null,
          pending: 0,
        };
      }
      if (ch.thrown === 0) return s;
      return {
        ...s,
        failed: s.failed + ch.thrown,
        ok: s.ok && ch.throwing === null,
        lastError: ch.throwing ?? s.lastError,
      };
    });
  }

  /** Closes every channel at once (each bounds its own wait); never rejects. */
  async close(): Promise<void> {
    await Promise.all(
      this.channels.map(async (ch) => {
        try {
          await ch.notifier.close();
        } catch (err) {
          this.log(`notifications: ${nameOf(ch.notifier)} did not close cleanly: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }
}

function nameOf(n: Notifier): string {
  try {
    return String(n.name);
  } catch {
    return '(unnamed channel)';
  }
}
