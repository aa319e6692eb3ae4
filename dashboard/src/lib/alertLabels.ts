// Words for the alert banners and the notification-channel pill. Pure: severity is always spelled
// out (colour is never the only signal) and unknown times are shown as UNKNOWN ("—").
import type { AlertRecord, AlertSeverity, ChannelStatus } from '../../../shared/alerts.js';
import { formatCount, formatDateTime, formatShortTime, UNKNOWN } from './format.js';
import type { StatusView, Tone } from './statusView.js';

export interface SeverityView {
  /** "Critical" / "Warning": shown next to the colour, never left out. */
  word: string;
  /** Decorative glyph. */
  icon: string;
  tone: Tone;
}

// U+FE0E asks for the text (not emoji) presentation of the warning sign.
const WARN_ICON = '⚠\uFE0E';

const SEVERITY: Record<AlertSeverity, SeverityView> = {
  critical: { word: 'Critical', icon: '‼', tone: 'error' },
  warning: { word: 'Warning', icon: WARN_ICON, tone: 'warn' },
};

export function severityView(severity: AlertSeverity): SeverityView {
  return SEVERITY[severity] ?? { word: String(severity), icon: WARN_ICON, tone: 'warn' };
}

/** "seen once", "seen 12 times", "seen 1,204 times". */
export function seenText(count: number): string {
  return count === 1 ? 'seen once' : `seen ${formatCount(count)} times`;
}

/** "seen 12 times · first 13:02 · last 13:40"; a single occurrence is "seen once · at 13:02". */
export function occurrenceText(alert: Pick<AlertRecord, 'count' | 'firstAt' | 'lastAt'>, now: number): string {
  if (alert.count <= 1 && alert.firstAt === alert.lastAt) return `${seenText(alert.count)} · at ${formatShortTime(alert.firstAt, now)}`;
  return `${seenText(alert.count)} · first ${formatShortTime(alert.firstAt, now)} · last ${formatShortTime(alert.lastAt, now)}`;
}

/** Full times for the tooltip of the occurrence line. */
export function occurrenceTitle(alert: Pick<AlertRecord, 'firstAt' | 'lastAt'>): string {
  return `First seen ${formatDateTime(alert.firstAt)}\nLast seen ${formatDateTime(alert.lastAt)}`;
}

/** The newest evidence line (evidence is stored newest last), or null when there is none. */
export function latestEvidence(alert: Pick<AlertRecord, 'evidence'>): string | null {
  const line = alert.evidence.at(-1);
  return line === undefined || line.trim() === '' ? null : line;
}

/** "Acknowledged 13:45" (or just "Acknowledged" when the time is unreadable). */
export function acknowledgedText(acknowledgedAt: string | null, now: number): string {
  const at = formatShortTime(acknowledgedAt, now);
  return at === UNKNOWN ? 'Acknowledged' : `Acknowledged ${at}`;
}

/** The Acknowledge button's accessible name: its visible word, then which alert it is about. */
export function ackButtonLabel(title: string, pending: boolean): string {
  return `${pending ? 'Acknowledging' : 'Acknowledge'} alert: ${title}`;
}

/** "resolved 13:45", "resolved (time unknown)". */
export function resolvedText(resolvedAt: string | null, now: number): string {
  const at = formatShortTime(resolvedAt, now);
  return at === UNKNOWN ? 'resolved (time unknown)' : `resolved ${at}`;
}

/** "1 alert resolved recently", "3 alerts resolved recently". */
export function resolvedSummaryText(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'alert' : 'alerts'} resolved recently`;
}

/**
 * One warning pill per notification channel that is failing (`ok: false`):
 * "Notifications failing: webhook:https://ntfy.sh/… — HTTP 502". Working channels add nothing.
 */
export function channelWarnings(channels: readonly ChannelStatus[] | null | undefined): StatusView[] {
  return (channels ?? [])
    .filter((c) => !c.ok)
    .map((c) => {
      const reason = c.lastError ?? `${formatCount(c.failed)} not delivered`;
      const title = [`${formatCount(c.sent)} sent, ${formatCount(c.failed)} not delivered`];
      if (c.pending > 0) title.push(`${formatCount(c.pending)} waiting to be retried`);
      title.push(c.lastSentAt === null ? 'Nothing delivered yet' : `Last delivered ${formatDateTime(c.lastSentAt)}`);
      return { tone: 'warn', icon: WARN_ICON, text: `Notifications failing: ${c.name} — ${reason}`, title: title.join('\n') };
    });
}
