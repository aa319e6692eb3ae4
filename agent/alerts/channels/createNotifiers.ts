// From the command line's notification flags to the channels that will run. macOS banners are asked
// for explicitly and only exist on macOS; asked for elsewhere, the flag is ignored with one clear line
// rather than failing the start (the rest of the agent is still useful) or staying silent (the user
// would wait for banners that never come).
import { execRunner, type CommandRunner } from '../../probes/commandRunner.js';
import { MacNotifier } from './MacNotifier.js';
import type { ChannelLog, Notifier } from './Notifier.js';
import type { WebhookFormat } from './webhookPayload.js';
import { WebhookNotifier } from './WebhookNotifier.js';

export interface NotifierConfig {
  webhooks: { url: string; format: WebhookFormat }[];
  /** `--notify-macos`. */
  macos: boolean;
  platform: NodeJS.Platform;
  dashboardUrl: string;
  run?: CommandRunner;
  fetch?: typeof fetch;
  log: ChannelLog;
}

export function createNotifiers(config: NotifierConfig): Notifier[] {
  const notifiers: Notifier[] = config.webhooks.map(
    (w) => new WebhookNotifier({ url: w.url, format: w.format, dashboardUrl: config.dashboardUrl, fetch: config.fetch, log: config.log }),
  );
  if (config.macos) {
    if (config.platform === 'darwin') notifiers.push(new MacNotifier({ run: config.run ?? execRunner, log: config.log }));
    else config.log('--notify-macos ignored: not macOS');
  }
  return notifiers;
}
