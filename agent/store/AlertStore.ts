// Alerts as rows. The engine decides; this stores what it decided and reads it back for the API,
// the dashboard's snapshot and the engine's own restore after a restart.
import type { Database, Statement } from 'better-sqlite3';
import type { AlertRecord, AlertSeverity, AlertState } from '../../shared/alerts.js';
import type { IncidentKind } from '../../shared/records.js';

const COLUMNS =
  'id, key, kind, severity, subject, model, state, title, message, evidence_json, count, first_at, last_at, resolved_at, ' +
  'acknowledged_at, notifications, last_notified_at, incident_id, load_id, request_id';

interface Row {
  id: number;
  key: string;
  kind: string;
  severity: string;
  subject: string;
  model: string | null;
  state: string;
  title: string;
  message: string;
  evidence_json: string;
  count: number;
  first_at: string;
  last_at: string;
  resolved_at: string | null;
  acknowledged_at: string | null;
  notifications: number;
  last_notified_at: string | null;
  incident_id: number | null;
  load_id: number | null;
  request_id: number | null;
}

const toRecord = (r: Row): AlertRecord => ({
  id: r.id,
  kind: r.kind as IncidentKind,
  severity: r.severity as AlertSeverity,
  subject: r.subject,
  model: r.model,
  state: r.state as AlertState,
  title: r.title,
  message: r.message,
  evidence: JSON.parse(r.evidence_json) as string[],
  count: r.count,
  firstAt: r.first_at,
  lastAt: r.last_at,
  resolvedAt: r.resolved_at,
  acknowledgedAt: r.acknowledged_at,
  notifications: r.notifications,
  lastNotifiedAt: r.last_notified_at,
  incidentId: r.incident_id,
  loadId: r.load_id,
  requestId: r.request_id,
});

export type AlertFields = Omit<AlertRecord, 'id'>;

export interface AlertQuery {
  state?: AlertState;
  kind?: IncidentKind;
  /** Alerts active in [from, to): last seen at or after `from`, first seen before `to` (epoch ms). */
  from?: number;
  to?: number;
  limit: number;
  /** Id (exclusive) for paging back. */
  before?: number;
}

export const alertKey = (a: Pick<AlertRecord, 'kind' | 'subject'>): string => `${a.kind}|${a.subject}`;

export class AlertStore {
  private readonly s: Record<'insert' | 'update' | 'byId' | 'ack' | 'recent', Statement>;
  private readonly lists = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO alerts (key, kind, severity, subject, model, state, title, message, evidence_json, count, first_at, first_ts,
           last_at, last_ts, resolved_at, acknowledged_at, notifications, last_notified_at, incident_id, load_id, request_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      ),
      update: db.prepare(
        `UPDATE alerts SET severity = ?, model = ?, state = ?, title = ?, message = ?, evidence_json = ?, count = ?, last_at = ?, last_ts = ?,
           resolved_at = ?, acknowledged_at = ?, notifications = ?, last_notified_at = ?, incident_id = ?, load_id = ?, request_id = ?
         WHERE id = ? RETURNING ${COLUMNS}`,
      ),
      byId: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`),
      ack: db.prepare(`UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ? RETURNING ${COLUMNS}`),
      recent: db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE state = 'firing' OR last_ts >= ? ORDER BY id`),
    };
  }

  insert(a: AlertFields): AlertRecord {
    return toRecord(
      this.s.insert.get(
        alertKey(a),
        a.kind,
        a.severity,
        a.subject,
        a.model,
        a.state,
        a.title,
        a.message,
        JSON.stringify(a.evidence),
        a.count,
        a.firstAt,
        Date.parse(a.firstAt),
        a.lastAt,
        Date.parse(a.lastAt),
        a.resolvedAt,
        a.acknowledgedAt,
        a.notifications,
        a.lastNotifiedAt,
        a.incidentId,
        a.loadId,
        a.requestId,
      ) as Row,
    );
  }

  update(id: number, a: AlertFields): AlertRecord | null {
    const row = this.s.update.get(
      a.severity,
      a.model,
      a.state,
      a.title,
      a.message,
      JSON.stringify(a.evidence),
      a.count,
      a.lastAt,
      Date.parse(a.lastAt),
      a.resolvedAt,
      a.acknowledgedAt,
      a.notifications,
      a.lastNotifiedAt,
      a.incidentId,
      a.loadId,
      a.requestId,
      id,
    ) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  byId(id: number): AlertRecord | null {
    const row = this.s.byId.get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Idempotent: a second acknowledgement keeps the first time. Null when there is no such alert. */
  acknowledge(id: number, at: string): AlertRecord | null {
    const row = this.s.ack.get(at, id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** What the engine needs after a restart: every firing alert, and those seen since `sinceMs`. */
  recent(sinceMs: number): AlertRecord[] {
    return (this.s.recent.all(sinceMs) as Row[]).map(toRecord);
  }

  /** Newest first. */
  list(q: AlertQuery): AlertRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.state !== undefined) {
      where.push('state = ?');
      params.push(q.state);
    }
    if (q.kind !== undefined) {
      where.push('kind = ?');
      params.push(q.kind);
    }
    if (q.from !== undefined) {
      where.push('last_ts >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('first_ts < ?');
      params.push(q.to);
    }
    if (q.before !== undefined) {
      where.push('id < ?');
      params.push(q.before);
    }
    const sql = `SELECT ${COLUMNS} FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    // A handful of shapes, each prepared once.
    let stmt = this.lists.get(sql);
    if (!stmt) this.lists.set(sql, (stmt = this.db.prepare(sql)));
    return (stmt.all(...params, q.limit) as Row[]).map(toRecord);
  }
}
