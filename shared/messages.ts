// The WebSocket protocol on `/ws`. On connect the server sends one `hello` with a snapshot;
// afterwards every change is a delta carrying a strictly increasing `seq`.
import type { AgentStatus, IncidentRecord, LoadRecord, RequestRecord } from './types.js';

export interface Snapshot {
  status: AgentStatus;
  /** Newest first, at most `SNAPSHOT_REQUESTS`. */
  requests: RequestRecord[];
  /** Newest first, at most `SNAPSHOT_LOADS`. */
  loads: LoadRecord[];
  /** Newest first, at most `SNAPSHOT_INCIDENTS`. */
  incidents: IncidentRecord[];
}

export const SNAPSHOT_REQUESTS = 200;
export const SNAPSHOT_LOADS = 50;
export const SNAPSHOT_INCIDENTS = 100;

export type ServerMessage =
  | { type: 'hello'; seq: number; snapshot: Snapshot }
  | ({ type: 'request'; seq: number } & RequestRecord)
  /** A load was added or changed (it came up, failed, got its name): replace by id. */
  | { type: 'load'; seq: number; load: LoadRecord }
  | { type: 'incident'; seq: number; incident: IncidentRecord }
  | { type: 'status'; seq: number; status: AgentStatus };

export function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; seq?: unknown };
  return (
    (v.type === 'hello' || v.type === 'request' || v.type === 'status' || v.type === 'load' || v.type === 'incident') &&
    typeof v.seq === 'number'
  );
}
