// The alert lifecycle shared by every rule: de-duplication (one alert per key with a count), firing →
// resolved, the quiet period (a quick recurrence reopens the same alert silently), escalation,
// acknowledgement, reminders and the notification policy. Pure: time comes from `now`.
//
// Notification policy (what `notify` says on each change):
// - `fire` when an alert fires, and when its severity rises (escalation also clears an acknowledgement:
//   the person acknowledged a warning, not a critical);
// - nothing when a resolved alert reopens within `quietMs` (it flapped; the person was already told);
// - `reminder` from `tick` while it fires, unacknowledged, if it occurred again since the last notification
//   and `renotifyMs` passed since then, at most `maxReminders` times over the alert's life;
// - `resolve` only when the person's latest news about it was `fire`/`reminder` and they did not acknowledge
//   it (an acknowledgement means they took it over; the dashboard still shows the resolution). So a
//   flapping alert sends one resolve, not one per flap.
// `notifications`/`lastNotifiedAt` count these decisions; delivery per channel is the channels' business.
import { ALERT_EVIDENCE_MAX, type AlertRecord, type AlertSeverity } from '../../shared/alerts.js';
import type { IncidentKind } from '../../shared/records.js';
import type { AlertRulesConfig } from './config.js';
import { alertKey, MACHINE_SUBJECT, SWAP_SUBJECT } from './rules.js';
import type { AlertChange, AlertChangeKind, AlertDraft, AlertNotify } from './types.js';

/**
 * `event` alerts come from occurrences (incidents, slow requests) and resolve after `eventResolveMs`
 * without one; `condition` alerts (pressure, swap) resolve by their own hysteresis in the engine.
 */
export type AlertDriver = 'event' | 'condition';

interface Entry {
  rec: AlertDraft;
  driver: AlertDriver;
  lastMs: number;
  resolvedMs: number | null;
  lastNotifiedMs: number | null;
  lastNotify: AlertNotify | null;
  reminders: number;
}

/** One occurrence of what an alert is about. */
export interface Occurrence {
  kind: IncidentKind;
  subject: string;
  model: string | null;
  severity: AlertSeverity;
  title: string;
  message: string;
  evidence: string | null;
  /** 1 for a new occurrence, 0 for a change of the same one (an escalation). */
  count: 0 | 1;
  driver: AlertDriver;
  incidentId?: number | null;
  loadId?: number | null;
  requestId?: number | null;
}

const RANK: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

const iso = (ms: number): string => new Date(ms).toISOString();

const parseMs = (s: string | null): number | null => {
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
};

export class AlertBook {
  /** Firing alerts, and resolved ones still inside their quiet period. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cfg: AlertRulesConfig,
    private readonly now: () => number,
  ) {}

  isFiring(key: string): boolean {
    return this.entries.get(key)?.rec.state === 'firing';
  }

  severityOf(key: string): AlertSeverity | null {
    const e = this.entries.get(key);
    return e && e.rec.state === 'firing' ? e.rec.severity : null;
  }

  /** Fire a new alert, count into the firing one, or reopen one resolved within the quiet period. */
  occur(o: Occurrence): AlertChange {
    const t = this.now();
    const key = alertKey(o.kind, o.subject);
    const e = this.live(key, t);
    if (e && e.rec.state === 'firing') {
      const rising = RANK[o.severity] > RANK[e.rec.severity];
      this.apply(e, o, t);
      // While it fires the severity only goes up: the person should see the worst it got.
      if (!rising) return this.change(key, e, 'updated', null);
      e.rec.severity = o.severity;
      e.rec.acknowledgedAt = null;
      return this.change(key, e, 'escalated', this.notify(e, 'fire', t));
    }
    if (e) {
      // Resolved moments ago: the same alert again, not a new one, and no new notification — unless worse.
      const rising = RANK[o.severity] > RANK[e.rec.severity];
      this.apply(e, o, t);
      e.rec.state = 'firing';
      e.rec.resolvedAt = null;
      e.resolvedMs = null;
      e.rec.severity = o.severity;
      if (!rising) return this.change(key, e, 'reopened', null);
      e.rec.acknowledgedAt = null;
      return this.change(key, e, 'escalated', this.notify(e, 'fire', t));
    }
    const fresh: Entry = {
      rec: {
        id: null,
        kind: o.kind,
        severity: o.severity,
        subject: o.subject,
        model: o.model,
        state: 'firing',
        title: o.title,
        message: o.message,
        evidence: [],
        count: 0,
        firstAt: iso(t),
        lastAt: iso(t),
        resolvedAt: null,
        acknowledgedAt: null,
        notifications: 0,
        lastNotifiedAt: null,
        incidentId: null,
        loadId: null,
        requestId: null,
      },
      driver: o.driver,
      lastMs: t,
      resolvedMs: null,
      lastNotifiedMs: null,
      lastNotify: null,
      reminders: 0,
    };
    this.apply(fresh, { ...o, count: 1 }, t);
    this.entries.set(key, fresh);
    return this.change(key, fresh, 'fired', this.notify(fresh, 'fire', t));
  }

  /** The condition is still there: it counts as a recurrence for reminders; nothing to store yet. */
  observe(key: string, evidence?: string): void {
    const e = this.entries.get(key);
    if (!e || e.rec.state !== 'firing') return;
    const t = this.now();
    e.lastMs = t;
    e.rec.lastAt = iso(t);
    if (evidence !== undefined) this.replaceLastEvidence(e, evidence);
  }

  resolve(key: string, evidence?: string): AlertChange | null {
    const e = this.entries.get(key);
    if (!e || e.rec.state !== 'firing') return null;
    const t = this.now();
    e.rec.state = 'resolved';
    e.rec.resolvedAt = iso(t);
    e.resolvedMs = t;
    if (evidence !== undefined) this.pushEvidence(e, evidence);
    const told = (e.lastNotify === 'fire' || e.lastNotify === 'reminder') && e.rec.acknowledgedAt === null;
    return this.change(key, e, 'resolved', told ? this.notify(e, 'resolve', t) : null);
  }

  acknowledge(key: string): AlertChange | null {
    const e = this.entries.get(key);
    if (!e || e.rec.acknowledgedAt !== null) return null;
    e.rec.acknowledgedAt = iso(this.now());
    return this.change(key, e, 'updated', null);
  }

  /** The I/O side inserted the alert; later changes carry this id. */
  assignId(key: string, id: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    e.rec.id = id;
    return true;
  }

  /** Time-based resolution of event alerts, reminders, and forgetting alerts past their quiet period. */
  tick(): AlertChange[] {
    const t = this.now();
    const out: AlertChange[] = [];
    for (const [key, e] of [...this.entries]) {
      if (e.rec.state === 'resolved') {
        if (e.resolvedMs === null || t - e.resolvedMs >= this.cfg.quietMs) this.entries.delete(key);
        continue;
      }
      if (e.driver === 'event' && t - e.lastMs >= this.cfg.eventResolveMs) {
        const c = this.resolve(key);
        if (c) out.push(c);
        continue;
      }
      if (this.reminderDue(e, t)) out.push(this.change(key, e, 'updated', this.notify(e, 'reminder', t)));
    }
    return out;
  }

  /** Keys of firing alerts, for the engine's own condition checks. */
  firingKeys(): string[] {
    return [...this.entries].filter(([, e]) => e.rec.state === 'firing').map(([k]) => k);
  }

  /** Copies of the alerts held: firing, and resolved within the quiet period; newest first. */
  list(): AlertDraft[] {
    return [...this.entries.values()].sort((a, b) => b.lastMs - a.lastMs).map((e) => copy(e.rec));
  }

  /**
   * After a restart: firing alerts go on counting, recently resolved ones keep their quiet period. What
   * the rows do not keep is estimated on the quiet side: reminders already sent = notifications − 1, and
   * a resolved alert is taken to have sent its resolve.
   */
  restore(alerts: AlertRecord[]): void {
    const t = this.now();
    for (const a of alerts) {
      const key = alertKey(a.kind, a.subject);
      const lastMs = parseMs(a.lastAt) ?? t;
      const resolvedMs = a.state === 'resolved' ? (parseMs(a.resolvedAt) ?? lastMs) : null;
      if (resolvedMs !== null && t - resolvedMs >= this.cfg.quietMs) continue;
      const held = this.entries.get(key);
      // A firing row wins over resolved ones; among resolved ones the latest.
      if (held && (held.rec.state === 'firing' || (resolvedMs !== null && (held.resolvedMs ?? 0) >= resolvedMs))) continue;
      const lastNotifiedMs = parseMs(a.lastNotifiedAt);
      this.entries.set(key, {
        rec: { ...a, evidence: a.evidence.slice(-ALERT_EVIDENCE_MAX) },
        driver: a.subject === MACHINE_SUBJECT || a.subject === SWAP_SUBJECT ? 'condition' : 'event',
        lastMs,
        resolvedMs,
        lastNotifiedMs: a.notifications > 0 ? (lastNotifiedMs ?? lastMs) : null,
        lastNotify: a.notifications === 0 ? null : a.state === 'firing' ? 'fire' : 'resolve',
        reminders: Math.max(0, a.notifications - 1),
      });
    }
  }

  private live(key: string, t: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.resolvedMs !== null && t - e.resolvedMs >= this.cfg.quietMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private reminderDue(e: Entry, t: number): boolean {
    return (
      e.rec.acknowledgedAt === null &&
      e.lastNotifiedMs !== null &&
      e.reminders < this.cfg.maxReminders &&
      t - e.lastNotifiedMs >= this.cfg.renotifyMs &&
      // Only if it kept happening since the person last heard of it.
      e.lastMs > e.lastNotifiedMs
    );
  }

  private apply(e: Entry, o: Occurrence, t: number): void {
    e.rec.count += o.count;
    e.lastMs = t;
    e.rec.lastAt = iso(t);
    e.rec.title = o.title;
    e.rec.message = o.message;
    if (o.model !== null) e.rec.model = o.model;
    if (o.evidence !== null) this.pushEvidence(e, o.evidence);
    if (o.incidentId !== undefined) e.rec.incidentId = o.incidentId;
    if (o.loadId !== undefined) e.rec.loadId = o.loadId;
    if (o.requestId !== undefined) e.rec.requestId = o.requestId;
  }

  private pushEvidence(e: Entry, line: string): void {
    e.rec.evidence.push(line);
    if (e.rec.evidence.length > ALERT_EVIDENCE_MAX) e.rec.evidence.splice(0, e.rec.evidence.length - ALERT_EVIDENCE_MAX);
  }

  /** A running condition's figures (how long, how much) change every sample: keep one line for them. */
  private replaceLastEvidence(e: Entry, line: string): void {
    if (e.rec.evidence.length > 0) e.rec.evidence[e.rec.evidence.length - 1] = line;
    else e.rec.evidence.push(line);
  }

  private notify(e: Entry, kind: AlertNotify, t: number): AlertNotify {
    e.rec.notifications += 1;
    e.rec.lastNotifiedAt = iso(t);
    e.lastNotifiedMs = t;
    e.lastNotify = kind;
    if (kind === 'reminder') e.reminders += 1;
    return kind;
  }

  private change(key: string, e: Entry, change: AlertChangeKind, notify: AlertNotify | null): AlertChange {
    return { key, change, notify, alert: copy(e.rec) };
  }
}

const copy = (rec: AlertDraft): AlertDraft => ({ ...rec, evidence: [...rec.evidence] });
