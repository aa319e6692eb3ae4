// The agent's one SQLite connection with the WAL checkpoint worker and every store that reads or writes
// it, opened in one step. close() comes last, once every writer has stopped.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { RequestLiveMemory } from '../../shared/records.js';
import { errorText, log } from '../log.js';
import { AlertStore } from './AlertStore.js';
import { ApiLoads } from './ApiLoads.js';
import { DatabaseHealth } from './databaseDamage.js';
import { DecodeBaselines } from './DecodeBaselines.js';
import { MemorySampleStore } from './MemorySampleStore.js';
import { ModelNames } from './ModelNames.js';
import { DB_FILE, openDatabase } from './openDatabase.js';
import { SeriesQuery } from './SeriesQuery.js';
import { Store } from './Store.js';
import { startCheckpointer, type Checkpointer } from './wal/checkpointer.js';

export interface OpenStore {
  db: Database;
  dbPath: string;
  /** A page found damaged while running (a query's SQLITE_CORRUPT): /api/health says so and why. */
  health: DatabaseHealth;
  checkpointer: Checkpointer;
  names: ModelNames;
  store: Store;
  samples: MemorySampleStore;
  /** Loads as /api/ps lists them, under the API's own source. */
  apiLoads: ApiLoads;
  alerts: AlertStore;
  baselines: DecodeBaselines;
  series: SeriesQuery;
  /**
   * Runs a poller's write. Pollers answer asynchronously, possibly after stopWrites(), and a failed
   * write (a full disk) must cost one update, never the agent: it is logged and noted, not thrown.
   */
  guard: (what: string, fn: () => void) => void;
  /** From now on guard() runs nothing: the agent is stopping. */
  stopWrites(): void;
  /** The last WAL checkpoint, then the connection closes. */
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  migrationsDir: string;
  /** Ollama's URL: the API's loads are stored under a source of their own. */
  ollamaUrl: string;
  /** What the live agent adds to each request as it is stored (its load's memory, the nearest sample). */
  live: { forRequest(tsMs: number, loadId: number | null): RequestLiveMemory };
}

export function openStore(o: StoreOptions): OpenStore {
  const db = openDatabase(o.dataDir, o.migrationsDir);
  const dbPath = join(o.dataDir, DB_FILE);
  const health = new DatabaseHealth(dbPath);
  const checkpointer = startCheckpointer(db);
  const names = new ModelNames(db);
  const store = new Store(db, names, o.live);
  let writing = true;
  return {
    db,
    dbPath,
    health,
    checkpointer,
    names,
    store,
    samples: new MemorySampleStore(db),
    apiLoads: new ApiLoads(db, store.resumePoint(`api:${o.ollamaUrl}`).sourceId),
    alerts: new AlertStore(db),
    baselines: new DecodeBaselines(db),
    series: new SeriesQuery(db),
    guard: (what, fn) => {
      if (!writing) return;
      try {
        fn();
      } catch (err) {
        health.note(err);
        log.error(`${what}: ${errorText(err)}`);
      }
    },
    stopWrites: () => {
      writing = false;
    },
    close: async () => {
      await checkpointer.stop();
      db.close();
    },
  };
}
