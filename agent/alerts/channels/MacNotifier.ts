// Native macOS notifications through `osascript -e 'display notification …'`: no native addon, no
// helper app, nothing to sign. Opt-in (`--notify-macos`), because banners are intrusive and the first
// one makes macOS ask for permission (for Script Editor, which osascript's notifications are filed
// under). No retries: a banner that failed now would only be stale later, and the usual causes
// (notifications turned off, no GUI session over SSH) do not pass by themselves.
import type { AlertRecord, ChannelStatus } from '../../../shared/alerts.js';
import type { CommandRunner } from '../../probes/commandRunner.js';
import { displayNotificationScript } from './appleScript.js';
import { ChannelHealth } from './ChannelHealth.js';
import type { ChannelLog, Notifier, NotifyEvent } from './Notifier.js';
import { headline } from './notificationText.js';
import { SerialQueue } from './SerialQueue.js';

/** Absolute, like the memory probes' tools: launchd gives agents a minimal PATH. */
export const OSASCRIPT = '/usr/bin/osascript';

export interface MacNotifierOptions {
  run: CommandRunner;
  log: ChannelLog;
  now?: () => number;
  /** osascript usually answers in well under a second; a hung one must not stall the queue. */
  timeoutMs?: number;
  maxPending?: number;
  closeTimeoutMs?: number;
}

interface Job {
  args: string[];
  label: string;
}

/** The osascript arguments for one notification (no shell is involved: execFile passes them as is). */
export function osascriptArgs(alert: AlertRecord, event: NotifyEvent): string[] {
  return ['-e', displayNotificationScript(headline(alert, event), alert.message)];
}

export class MacNotifier implements Notifier {
  readonly name = 'macos';
  private readonly health: ChannelHealth;
  private readonly queue: SerialQueue<Job>;
  private readonly timeoutMs: number;
  private readonly closeTimeoutMs: number;

  constructor(private readonly opts: MacNotifierOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 2000;
    this.health = new ChannelHealth(this.name, opts.log, opts.now);
    this.queue = new SerialQueue<Job>({
      run: (job) => this.deliver(job),
      maxPending: opts.maxPending ?? 20,
      onDrop: (job, reason) => this.health.gaveUp(`${job.label} not shown: ${reason}`),
    });
  }

  send(alert: AlertRecord, event: NotifyEvent): void {
    try {
      this.queue.push({ args: osascriptArgs(alert, event), label: `${event} #${alert.id}` });
    } catch (err) {
      this.health.gaveUp(`could not build the notification: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  status(): ChannelStatus {
    return this.health.status(this.queue.pending);
  }

  whenIdle(): Promise<void> {
    return this.queue.idle();
  }

  close(): Promise<void> {
    return this.queue.close(this.closeTimeoutMs);
  }

  private async deliver(job: Job): Promise<void> {
    try {
      await this.opts.run(OSASCRIPT, job.args, { timeoutMs: this.timeoutMs });
      this.health.delivered();
    } catch (err) {
      // CommandError messages already name the command and its first stderr line.
      this.health.gaveUp(err instanceof Error ? err.message : String(err));
    }
  }
}
