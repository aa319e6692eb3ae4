// In-process publish/subscribe for changes that are already persisted. Every message gets the next
// sequence number, so WebSocket clients can tell what they missed.
import type { AlertRecord } from '../shared/alerts.js';
import type { MemorySample } from '../shared/memory.js';
import type { LoadedModel } from '../shared/models.js';
import type { IncidentRecord, LoadRecord, RequestRecord } from '../shared/records.js';
import type { AgentStatus } from '../shared/status.js';
import type { ServerMessage } from '../shared/messages.js';

export type Delta =
  | ({ type: 'request' } & RequestRecord)
  | { type: 'status'; status: AgentStatus }
  | { type: 'load'; load: LoadRecord }
  | { type: 'incident'; incident: IncidentRecord }
  | { type: 'memory'; sample: MemorySample }
  | { type: 'models'; models: LoadedModel[] }
  | { type: 'alert'; alert: AlertRecord };

type Sequenced = Exclude<ServerMessage, { type: 'hello' } | { type: 'resume' }>;
type Listener = (msg: Sequenced) => void;

export class Bus {
  private current = 0;
  private readonly listeners = new Set<Listener>();

  get seq(): number {
    return this.current;
  }

  publish(delta: Delta): void {
    const msg: Sequenced = { ...delta, seq: ++this.current };
    for (const l of this.listeners) l(msg);
  }

  /** A stored request, copied once into its message (a backfill publishes one per request). */
  publishRequest(r: RequestRecord): void {
    const msg: Sequenced = { type: 'request', ...r, seq: ++this.current };
    for (const l of this.listeners) l(msg);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
