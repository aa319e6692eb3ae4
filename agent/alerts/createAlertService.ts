// The alert service as the agent runs it: the engine's thresholds and muted kinds from the command
// line, and the notification channels (webhooks, ntfy, macOS banners), whose links open the dashboard.
import type { IncidentKind } from '../../shared/records.js';
import type { Bus } from '../bus.js';
import { log } from '../log.js';
import type { OpenStore } from '../store/openStore.js';
import { AlertEngine } from './AlertEngine.js';
import { AlertService } from './AlertService.js';
import { createNotifiers } from './channels/createNotifiers.js';
import { NotificationHub } from './channels/NotificationHub.js';

export interface AlertsConfig {
  contextAlertTokens: number;
  mute: string[];
  webhooks: string[];
  ntfy: string[];
  notifyMacos: boolean;
}

export interface AlertServiceOptions {
  stored: OpenStore;
  bus: Bus;
  now: () => Date;
  /** The link in notifications: known once the server listens. */
  dashboardUrl: string;
  /** A channel started or stopped failing (the status strip shows it). */
  onChannelChange: () => void;
}

export function createAlertService(config: AlertsConfig, o: AlertServiceOptions): AlertService {
  const now = (): number => o.now().getTime();
  const notifiers = createNotifiers({
    webhooks: [
      ...config.webhooks.map((url) => ({ url, format: 'json' as const })),
      ...config.ntfy.map((url) => ({ url, format: 'ntfy' as const })),
    ],
    macos: config.notifyMacos,
    platform: process.platform,
    dashboardUrl: o.dashboardUrl,
    // Channels log only when they start or stop failing.
    log: (line) => {
      log.warn(line);
      o.onChannelChange();
    },
  });
  return new AlertService({
    // --mute is validated against the incident kinds when parsed.
    engine: new AlertEngine({ contextAlertTokens: config.contextAlertTokens, mutedKinds: config.mute as IncidentKind[] }, now),
    store: o.stored.alerts,
    bus: o.bus,
    hub: new NotificationHub(notifiers),
    baselines: o.stored.baselines,
    now,
    guarded: o.stored.guard,
  });
}
