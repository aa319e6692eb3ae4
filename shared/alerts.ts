// Alerts: incidents raised to a person, with a lifecycle. One alert per (kind, subject) while it
// fires, counting its occurrences, rather than one per log line.
import type { IncidentKind } from './records.js';

export type AlertSeverity = 'warning' | 'critical';
export type AlertState = 'firing' | 'resolved';

export interface AlertRecord {
  id: number;
  /** The incident kind it comes from (`mlx_fallback`, `context_truncated`, `memory_pressure`, …). */
  kind: IncidentKind;
  severity: AlertSeverity;
  /** What it is about: `model:llama3.3:70b`, `machine`, `machine:swap`… One firing alert per (kind, subject). */
  subject: string;
  /** The model concerned, when there is one. */
  model: string | null;
  state: AlertState;
  /** Plain words, one line: "llama3.3:70b ran on llama.cpp/Metal although MLX was expected". */
  title: string;
  /** Why it matters and what to do, one or two sentences. */
  message: string;
  /** The latest evidence (incident details, figures), newest last, at most `ALERT_EVIDENCE_MAX`. */
  evidence: string[];
  /** Occurrences folded into this alert. */
  count: number;
  firstAt: string;
  lastAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  /** Notifications sent for it (fire, reminders, resolve), over all channels. */
  notifications: number;
  lastNotifiedAt: string | null;
  /** The latest incident behind it, when it came from one. */
  incidentId: number | null;
  loadId: number | null;
  requestId: number | null;
}

export const ALERT_EVIDENCE_MAX = 5;

/** One notification channel (dashboard is implicit) and how it is doing. */
export interface ChannelStatus {
  /** `webhook:https://ntfy.sh/…` (the URL without credentials), `macos`. */
  name: string;
  ok: boolean;
  sent: number;
  failed: number;
  lastError: string | null;
  lastSentAt: string | null;
  /** Waiting to be (re)tried. */
  pending: number;
}
