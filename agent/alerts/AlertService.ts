// The alert engine's I/O side. Listens to the bus (records already persisted), feeds the engine,
// stores what it decides, then publishes and notifies: persist, then publish, then tell people.
import type { AlertRecord, ChannelStatus } from '../../shared/alerts.js';
import type { Bus } from '../bus.js';
import type { AlertStore, AlertQuery } from '../store/AlertStore.js';
import { alertKey } from '../store/AlertStore.js';
import type { DecodeBaselines } from '../store/DecodeBaselines.js';
import type { AlertEngine } from './AlertEngine.js';
import type { NotificationHub } from './channels/NotificationHub.js';
import type { AlertChange } from './types.js';

export interface AlertServiceDeps {
  engine: AlertEngine;
  store: AlertStore;
  bus: Bus;
  hub: NotificationHub;
  baselines: DecodeBaselines;
  now: () => number;
  guarded: (what: string, fn: () => void) => void;
  tickMs?: number;
}

type Input = Parameters<Parameters<Bus['subscribe']>[0]>[0];

export class AlertService {
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: Input[] = [];
  private draining = false;

  constructor(private readonly d: AlertServiceDeps) {}

  start(): void {
    const { engine, store, now } = this.d;
    engine.restore(store.recent(now() - engine.config.quietMs));
    // Bus listeners run inside the publisher's call; an alert published from there would reach some
    // clients before the record that caused it. Queue, and handle once the publisher is done.
    this.unsubscribe = this.d.bus.subscribe((msg) => {
      if (msg.type !== 'incident' && msg.type !== 'request' && msg.type !== 'memory') return;
      this.queue.push(msg);
      if (!this.draining) {
        this.draining = true;
        queueMicrotask(() => this.drain());
      }
    });
    this.timer = setInterval(() => this.d.guarded('alert tick failed', () => this.apply(engine.tick())), this.d.tickMs ?? 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.d.hub.close();
  }

  channels(): ChannelStatus[] {
    return this.d.hub.statuses();
  }

  list(q: AlertQuery): AlertRecord[] {
    return this.d.store.list(q);
  }

  /** Firing ones first, then the latest resolved: what a page opened now should show. */
  snapshot(limit: number): AlertRecord[] {
    const firing = this.d.store.list({ state: 'firing', limit });
    return [...firing, ...this.d.store.list({ state: 'resolved', limit: limit - firing.length || 1 })].slice(0, limit);
  }

  acknowledge(id: number): AlertRecord | null {
    const stored = this.d.store.byId(id);
    if (!stored) return null;
    const changes = stored.state === 'firing' ? this.d.engine.acknowledge(alertKey(stored)) : [];
    this.apply(changes);
    // The engine has nothing to change for a resolved alert (or one it already acknowledged): record it.
    const acked = this.d.store.acknowledge(id, new Date(this.d.now()).toISOString());
    if (acked && changes.length === 0) this.d.bus.publish({ type: 'alert', alert: acked });
    return acked;
  }

  private drain(): void {
    this.draining = false;
    const { engine, baselines } = this.d;
    for (const msg of this.queue.splice(0)) {
      this.d.guarded('alert not stored', () => {
        if (msg.type === 'incident') this.apply(engine.onIncident(msg.incident));
        else if (msg.type === 'memory') this.apply(engine.onMemory(msg.sample));
        // The message is the request with its type and seq, which onRequest does not read: a copy
        // without them cost 0.3 s of a first start's 400,000 requests.
        else if (msg.type === 'request') this.apply(engine.onRequest(msg, (model, backend) => baselines.get(model, backend)));
      });
    }
  }

  private apply(changes: AlertChange[]): void {
    for (const c of changes) {
      const { id, ...fields } = c.alert;
      let record: AlertRecord | null;
      if (id === null) {
        record = this.d.store.insert(fields);
        this.d.engine.assignId(c.key, record.id);
      } else {
        record = this.d.store.update(id, fields);
      }
      if (!record) continue;
      this.d.bus.publish({ type: 'alert', alert: record });
      if (c.notify !== null) this.d.hub.send(record, c.notify);
    }
  }
}
