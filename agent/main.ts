// Wires the parts together: sources → ingestors → store → bus → (HTTP API, WebSocket hub).
import { join } from 'node:path';
import { SNAPSHOT_INCIDENTS, SNAPSHOT_LOADS, SNAPSHOT_REQUESTS } from '../shared/messages.js';
import { Bus } from './bus.js';
import type { Config } from './config/schema.js';
import { createApp } from './http/createApp.js';
import { startServer } from './http/startServer.js';
import { WsHub } from './http/WsHub.js';
import { SourceIngestor } from './ingest/SourceIngestor.js';
import { OllamaStatusPoller } from './ollama/OllamaStatusPoller.js';
import { FileTailer } from './source/FileTailer.js';
import { JournalTailer } from './source/JournalTailer.js';
import type { LogSource } from './source/LogSource.js';
import { StatusBoard } from './StatusBoard.js';
import { openDatabase, DB_FILE } from './store/openDatabase.js';
import { Store } from './store/Store.js';
import { correlatorOptions } from './config/correlatorOptions.js';
import { AGENT_VERSION, packageRoot } from './version.js';

export interface AgentPaths {
  migrationsDir: string;
  dashboardDir: string;
}

export function defaultPaths(): AgentPaths {
  const root = packageRoot();
  return { migrationsDir: join(root, 'migrations'), dashboardDir: join(root, 'dist', 'dashboard') };
}

export interface RunningAgent {
  url: string;
  dbPath: string;
  stop(): Promise<void>;
}

export async function runAgent(config: Config, paths: AgentPaths = defaultPaths()): Promise<RunningAgent> {
  const db = openDatabase(config.dataDir, paths.migrationsDir);
  const store = new Store(db);
  const bus = new Bus();

  const tailers: LogSource[] = [];
  const ollama = new OllamaStatusPoller({ url: config.ollama, onChange: () => board.changed() });
  const board = new StatusBoard(
    {
      agentVersion: AGENT_VERSION,
      ollama: () => ollama.status(),
      sources: () => tailers.map((t, i) => ({ ...t.status(), unparsed: ingestors[i]!.unparsed })),
      requestCount: () => store.requestCount(),
      loggedVersion: () => store.latestLoggedVersion(),
    },
    bus,
  );

  const ingestors: SourceIngestor[] = [];
  for (const path of config.logs) {
    const ingestor = new SourceIngestor(store, bus, path, correlatorOptions(config));
    ingestors.push(ingestor);
    const cp = ingestor.checkpoint;
    tailers.push(
      new FileTailer({
        path,
        start: ingestor.position,
        linesRead: cp.linesRead,
        backfill: config.backfill,
        onBatch: (batch) => ingestor.ingest(batch),
        onStatus: () => board.changed(),
      }),
    );
  }
  // Linux installs log to the journal: one source per unit, its cursor checkpointed like an offset.
  for (const unit of config.journal) {
    const ingestor = new SourceIngestor(store, bus, `journal:${unit}`, correlatorOptions(config));
    ingestors.push(ingestor);
    tailers.push(
      new JournalTailer({
        unit,
        start: ingestor.position,
        linesRead: ingestor.checkpoint.linesRead,
        backfill: config.backfill,
        onBatch: (batch) => ingestor.ingest(batch),
        onStatus: () => board.changed(),
      }),
    );
  }

  const hub = new WsHub(bus, () => ({
    status: board.current(),
    requests: store.requests(SNAPSHOT_REQUESTS),
    loads: store.loads(SNAPSHOT_LOADS),
    incidents: store.incidents(SNAPSHOT_INCIDENTS),
  }));
  const app = createApp({ store, status: () => board.current(), dashboardDir: paths.dashboardDir });
  let server;
  try {
    server = await startServer(app, hub, config.host, config.port);
  } catch (err) {
    db.close();
    throw err;
  }
  await Promise.all(tailers.map((t) => t.start()));
  ollama.start();

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    dbPath: join(config.dataDir, DB_FILE),
    stop: () =>
      (stopping ??= (async () => {
        ollama.stop();
        board.stop();
        // Finish the current batch (and its checkpoint) before closing the database.
        await Promise.all(tailers.map((t) => t.stop()));
        await hub.close();
        await server.close();
        db.close();
      })()),
  };
}
