// The WebSocket protocol on `/ws`. On connect the server sends one `hello` with a snapshot;
// afterwards every change is a delta carrying a strictly increasing `seq`.
import type { AgentStatus, RequestRecord } from './types.js';

export interface Snapshot {
  status: AgentStatus;
  /** Newest first, at most `SNAPSHOT_REQUESTS`. */
  requests: RequestRecord[];
}

export const SNAPSHOT_REQUESTS = 200;

export type ServerMessage =
  | { type: 'hello'; seq: number; snapshot: Snapshot }
  | ({ type: 'request'; seq: number } & RequestRecord)
  | { type: 'status'; seq: number; status: AgentStatus };

export function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; seq?: unknown };
  return (v.type === 'hello' || v.type === 'request' || v.type === 'status') && typeof v.seq === 'number';
}
