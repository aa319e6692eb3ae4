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

/**
 * A stored request as its delta, spelt out: a spread of its fields into a new literal cost several
 * times more, once per request of a backfill.
 */
export function requestDelta(r: RequestRecord): Delta {
  return {
    type: 'request',
    id: r.id,
    at: r.at,
    method: r.method,
    path: r.path,
    status: r.status,
    latencyMs: r.latencyMs,
    client: r.client,
    kind: r.kind,
    model: r.model,
    backend: r.backend,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    prefillTps: r.prefillTps,
    decodeTps: r.decodeTps,
    ctxUsed: r.ctxUsed,
    ctxLimit: r.ctxLimit,
    truncated: r.truncated,
    loadId: r.loadId,
    source: r.source,
    peakMemoryBytes: r.peakMemoryBytes,
    modelMemoryBytes: r.modelMemoryBytes,
    kvBytes: r.kvBytes,
    kvUsedBytes: r.kvUsedBytes,
    kvFill: r.kvFill,
    memoryUsedBytes: r.memoryUsedBytes,
    memoryPressure: r.memoryPressure,
    swapUsedBytes: r.swapUsedBytes,
    ollamaFootprintBytes: r.ollamaFootprintBytes,
  };
}
type Listener = (msg: Sequenced) => void;

export class Bus {
  private current = 0;
  private readonly listeners = new Set<Listener>();

  get seq(): number {
    return this.current;
  }

  /**
   * Stamps the next sequence number on the delta itself: every caller passes a fresh literal, and a
   * copy per message is measurable in a backfill, which publishes one per stored request.
   */
  publish(delta: Delta): void {
    const msg = delta as Sequenced;
    // A property set, not Object.assign: the builtin cost a microsecond a message.
    msg.seq = ++this.current;
    for (const l of this.listeners) l(msg);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
