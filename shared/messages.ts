// The WebSocket protocol on `/ws`. On connect the server sends one `hello` with a snapshot;
// afterwards every change is a delta carrying a strictly increasing `seq`.
import type { AlertRecord } from './alerts.js';
import type { MemorySample } from './memory.js';
import type { LoadedModel } from './models.js';
import type { IncidentRecord, LoadRecord, RequestRecord } from './records.js';
import type { AgentStatus } from './status.js';

export interface Snapshot {
  status: AgentStatus;
  /** Newest first, at most `SNAPSHOT_REQUESTS`. */
  requests: RequestRecord[];
  /** Newest first, at most `SNAPSHOT_LOADS`. */
  loads: LoadRecord[];
  /** Newest first, at most `SNAPSHOT_INCIDENTS`. */
  incidents: IncidentRecord[];
  /** Newest first, at most `SNAPSHOT_MEMORY` samples. */
  memory: MemorySample[];
  /** What Ollama has loaded now (`/api/ps`), with KV sizing; empty while it is unreachable. */
  models: LoadedModel[];
  /** When /api/ps was last answered; null before the first answer (so empty means "not known yet"). */
  modelsCheckedAt: string | null;
  /** Firing alerts and those resolved recently, newest first, at most `SNAPSHOT_ALERTS`. */
  alerts: AlertRecord[];
}

export const SNAPSHOT_REQUESTS = 200;
export const SNAPSHOT_LOADS = 50;
export const SNAPSHOT_INCIDENTS = 100;
/** Ten minutes of samples at the default 5 s interval. */
export const SNAPSHOT_MEMORY = 120;
export const SNAPSHOT_ALERTS = 100;

export type ServerMessage =
  /** `epoch` names this run of the agent: a `seq` from another run means nothing here. */
  | { type: 'hello'; seq: number; epoch: string; snapshot: Snapshot }
  /**
   * Answer to a reconnect with `?since=SEQ&epoch=E` that the agent can still replay: the client keeps
   * its state, and the messages after SEQ follow, in order. Otherwise the answer is a fresh `hello`.
   */
  | { type: 'resume'; seq: number; epoch: string; since: number }
  | ({ type: 'request'; seq: number } & RequestRecord)
  /** A load was added or changed (it came up, failed, got its name): replace by id. */
  | { type: 'load'; seq: number; load: LoadRecord }
  | { type: 'incident'; seq: number; incident: IncidentRecord }
  | { type: 'status'; seq: number; status: AgentStatus }
  /** One memory poll. */
  | { type: 'memory'; seq: number; sample: MemorySample }
  /** The loaded models changed (loaded, unloaded, resized, or their KV sizing moved): replace the list. */
  | { type: 'models'; seq: number; models: LoadedModel[] }
  /** An alert fired, changed (count, severity, acknowledged) or resolved: replace by id. */
  | { type: 'alert'; seq: number; alert: AlertRecord };

export function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; seq?: unknown };
  return (
    (v.type === 'hello' ||
      v.type === 'resume' ||
      v.type === 'request' ||
      v.type === 'status' ||
      v.type === 'load' ||
      v.type === 'incident' ||
      v.type === 'memory' ||
      v.type === 'models' ||
      v.type === 'alert') &&
    typeof v.seq === 'number'
  );
}
