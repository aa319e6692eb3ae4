// Routes parsed server messages to the stores. Pure, so the routing is unit-testable.
import type { AlertRecord } from '../../../shared/alerts.js';
import type { MemorySample } from '../../../shared/memory.js';
import type { ServerMessage, Snapshot } from '../../../shared/messages.js';
import type { LoadedModel } from '../../../shared/models.js';
import type { LoadRecord, RequestRecord } from '../../../shared/records.js';
import type { AgentStatus } from '../../../shared/status.js';

export interface MessageSinks {
  /** A `hello`: replace everything with this snapshot (apply immediately). */
  snapshot(snapshot: Snapshot): void;
  /** A `request` delta (may be batched by the sink). */
  request(record: RequestRecord): void;
  /** A `status` delta (may be throttled by the sink). */
  status(status: AgentStatus): void;
  /** A `memory` delta: one new sample (may be batched by the sink). */
  memory(sample: MemorySample): void;
  /** A `models` delta: the whole list of loaded models, replacing the previous one (may be throttled). */
  models(models: LoadedModel[]): void;
  /** An `alert` delta: one alert that fired, changed or resolved, replacing it by id (may be batched). */
  alert(alert: AlertRecord): void;
  /** A `load` delta: one model load added or changed, replacing it by id (may be batched). */
  load(load: LoadRecord): void;
}

export type RequestMessage = Extract<ServerMessage, { type: 'request' }>;

/** The `RequestRecord` carried by a `request` message, without the envelope fields. */
export function toRequestRecord(message: RequestMessage): RequestRecord {
  const { type: _type, seq: _seq, ...record } = message;
  return record;
}

export function applyMessage(message: ServerMessage, sinks: MessageSinks): void {
  switch (message.type) {
    case 'hello':
      sinks.snapshot(message.snapshot);
      break;
    case 'request':
      sinks.request(toRequestRecord(message));
      break;
    case 'status':
      sinks.status(message.status);
      break;
    case 'memory':
      sinks.memory(message.sample);
      break;
    case 'models':
      sinks.models(message.models);
      break;
    case 'alert':
      sinks.alert(message.alert);
      break;
    case 'load':
      sinks.load(message.load);
      break;
    // `incident` has no view yet.
  }
}
