// What a WebSocket client gets first: the status and the latest of each record, so a page opened now
// shows what is known before the next message arrives.
import type { AlertRecord } from '../../shared/alerts.js';
import type { LoadedModel } from '../../shared/models.js';
import {
  SNAPSHOT_ALERTS,
  SNAPSHOT_INCIDENTS,
  SNAPSHOT_LOADS,
  SNAPSHOT_MEMORY,
  SNAPSHOT_REQUESTS,
  type Snapshot,
} from '../../shared/messages.js';
import type { AgentStatus } from '../../shared/status.js';
import type { OpenStore } from '../store/openStore.js';
import { SnapshotUnavailable } from './WsHub.js';

export interface SnapshotParts {
  stored: OpenStore;
  status: () => AgentStatus;
  models: () => { items: LoadedModel[]; checkedAt: string | null };
  alerts: (limit: number) => AlertRecord[];
}

/** The hub's snapshot; a damaged database makes it SnapshotUnavailable, which the client is told. */
export function createSnapshot(p: SnapshotParts): () => Snapshot {
  const { store, samples, health } = p.stored;
  const read = (): Snapshot => {
    const models = p.models();
    return {
      status: p.status(),
      requests: store.requests(SNAPSHOT_REQUESTS),
      loads: store.loads(SNAPSHOT_LOADS),
      incidents: store.incidents(SNAPSHOT_INCIDENTS),
      memory: samples.latest(SNAPSHOT_MEMORY),
      models: models.items,
      modelsCheckedAt: models.checkedAt,
      alerts: p.alerts(SNAPSHOT_ALERTS),
    };
  };
  return () => {
    try {
      return read();
    } catch (err) {
      if (health.note(err)) throw new SnapshotUnavailable('the database is damaged: see /api/health');
      throw err;
    }
  };
}
