// What a webhook receives, as pure functions of (alert, event): one JSON document for receivers that
// parse (scripts, Home Assistant, n8n…), and ntfy's publish format (plain-text body, metadata in
// headers) so `--webhook https://ntfy.sh/<topic>` lands on a phone without glue in between.
import type { AlertRecord, AlertSeverity, AlertState } from '../../../shared/alerts.js';
import type { IncidentKind } from '../../../shared/records.js';
import type { NotifyEvent } from './Notifier.js';
import { clip, clipUtf8, headline, oneLine } from './notificationText.js';
import { headerText } from './rfc2047.js';

export type WebhookFormat = 'json' | 'ntfy';

export interface WebhookJsonBody {
  event: NotifyEvent;
  id: number;
  kind: IncidentKind;
  severity: AlertSeverity;
  state: AlertState;
  subject: string;
  model: string | null;
  title: string;
  message: string;
  evidence: string[];
  count: number;
  firstAt: string;
  lastAt: string;
  resolvedAt: string | null;
  /** The alert in the dashboard. */
  link: string;
}

/** A request body with the headers that go with it. */
export interface WebhookRequest {
  headers: Record<string, string>;
  body: string;
}

/** The dashboard URL opened on this alert (the dashboard scrolls to `#alert-<id>`). */
export function alertLink(dashboardUrl: string, id: number): string {
  return `${dashboardUrl.replace(/\/+$/, '')}/#alert-${id}`;
}

export function webhookJson(alert: AlertRecord, event: NotifyEvent, dashboardUrl: string): WebhookJsonBody {
  return {
    event,
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    state: alert.state,
    subject: alert.subject,
    model: alert.model,
    title: alert.title,
    message: alert.message,
    // A copy: the engine keeps appending to the record's array after this was queued.
    evidence: [...alert.evidence],
    count: alert.count,
    firstAt: alert.firstAt,
    lastAt: alert.lastAt,
    resolvedAt: alert.resolvedAt,
    link: alertLink(dashboardUrl, alert.id),
  };
}

export function jsonRequest(alert: AlertRecord, event: NotifyEvent, dashboardUrl: string): WebhookRequest {
  return {
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(webhookJson(alert, event, dashboardUrl)),
  };
}

// ntfy limits (docs.ntfy.sh/publish, "Limitations"): a message over 4,096 bytes is turned into an
// attachment, a title over 1 KB or tags over 512 bytes make the request fail with 400. The caps below
// stay well inside those, leaving room for RFC 2047's base64 growth (4/3) in the title.
const NTFY_BODY_MAX_BYTES = 4000;
const NTFY_TITLE_MAX_CHARS = 200;

/** ntfy priorities: 5 max/urgent, 4 high, 3 default, 2 low, 1 min. */
export type NtfyPriority = 1 | 2 | 3 | 4 | 5;

/** Critical pops over and vibrates long; a warning is an ordinary notification; a resolve is quiet. */
export function ntfyPriority(alert: AlertRecord, event: NotifyEvent): NtfyPriority {
  if (event === 'resolve') return 2;
  return alert.severity === 'critical' ? 5 : 3;
}

/**
 * The first tag is an emoji short code (ntfy prepends the emoji to the title); the alert kind follows
 * as a plain tag, listed under the notification, so a phone user can tell kinds apart at a glance.
 */
export function ntfyTags(alert: AlertRecord, event: NotifyEvent): string[] {
  const emoji = event === 'resolve' ? 'white_check_mark' : alert.severity === 'critical' ? 'rotating_light' : 'warning';
  // Kinds are snake_case identifiers; anything else is left out rather than risk a non-ASCII header.
  return /^[A-Za-z0-9_-]+$/.test(alert.kind) ? [emoji, alert.kind] : [emoji];
}

/** The plain-text body: the message, then the evidence as a list (ntfy shows the headline as the title). */
export function ntfyBody(alert: AlertRecord, _event: NotifyEvent): string {
  const lines = [alert.message.trim()];
  if (alert.evidence.length > 0) {
    lines.push('', 'Evidence:');
    for (const e of alert.evidence) lines.push(`- ${oneLine(e)}`);
  }
  return clipUtf8(lines.join('\n'), NTFY_BODY_MAX_BYTES);
}

/**
 * ntfy's publish request. The headers use ntfy's canonical `X-` names (`Title`, `Priority`, `Tags`
 * and `Click` are aliases): a bare `Priority` header is also RFC 9218's HTTP priority, which proxies
 * such as Cloudflare set or overwrite, and ntfy then ignores it (`maybeIgnoreSpecialHeader`) and the
 * notification arrives at default priority.
 */
export function ntfyRequest(alert: AlertRecord, event: NotifyEvent, dashboardUrl: string): WebhookRequest {
  return {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Title': headerText(clip(headline(alert, event), NTFY_TITLE_MAX_CHARS)),
      'X-Priority': String(ntfyPriority(alert, event)),
      'X-Tags': ntfyTags(alert, event).join(','),
      'X-Click': asciiUrl(alertLink(dashboardUrl, alert.id)),
    },
    body: ntfyBody(alert, event),
  };
}

export function webhookRequest(format: WebhookFormat, alert: AlertRecord, event: NotifyEvent, dashboardUrl: string): WebhookRequest {
  return format === 'ntfy' ? ntfyRequest(alert, event, dashboardUrl) : jsonRequest(alert, event, dashboardUrl);
}

/** A URL fit for a header: punycode host, percent-encoded path (the WHATWG serialiser does both). */
function asciiUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return headerText(oneLine(url));
  }
}
