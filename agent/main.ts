// Wires the parts together: sources → ingestors → store → bus → (HTTP API, WebSocket hub), and the
// two other senses: Ollama's API (loaded models) and the machine's memory probes.
import { join } from 'node:path';
import type { MachineInfo, MemorySample } from '../shared/memory.js';
import { SNAPSHOT_INCIDENTS, SNAPSHOT_LOADS, SNAPSHOT_MEMORY, SNAPSHOT_REQUESTS } from '../shared/messages.js';
import { Bus } from './bus.js';
import type { Config } from './config/schema.js';
import { createApp } from './http/createApp.js';
import { startServer } from './http/startServer.js';
import { WsHub } from './http/WsHub.js';
import { SourceIngestor } from './ingest/SourceIngestor.js';
import { cacheTypeFromConfig } from './ollama/kvSizing.js';
import { LiveModels } from './ollama/LiveModels.js';
import { OllamaApiPoller } from './ollama/OllamaApiPoller.js';
import { createMemoryProbe } from './probes/createMemoryProbe.js';
import { MemoryPoller } from './probes/MemoryPoller.js';
import type { MemoryProbe } from './probes/MemoryProbe.js';
import { ApiLoads } from './store/ApiLoads.js';
import { MemoryStore } from './store/MemoryStore.js';
import { ModelNames } from './store/ModelNames.js';
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

/** Parts a test may replace. */
export interface AgentDeps {
  memoryProbe?: MemoryProbe;
  now?: () => Date;
  /** How long a model /api/ps lists may wait for its log load before it gets one of its own. */
  apiLoadGraceMs?: number;
}

/** `OLLAMA_NUM_PARALLEL:0` means "let the scheduler pick": unknown, not zero. */
const positiveInt = (v: string | undefined): number | null => (v !== undefined && /^[1-9]\d*$/.test(v) ? Number(v) : null);

/** Raw memory samples are kept a week (rollups for longer ranges arrive with issue 9). */
const MEMORY_RETENTION_MS = 7 * 86_400_000;

export interface RunningAgent {
  url: string;
  dbPath: string;
  stop(): Promise<void>;
}

export async function runAgent(config: Config, paths: AgentPaths = defaultPaths(), deps: AgentDeps = {}): Promise<RunningAgent> {
  const now = deps.now ?? (() => new Date());
  const db = openDatabase(config.dataDir, paths.migrationsDir);
  const names = new ModelNames(db);
  const store = new Store(db, names);
  const memoryStore = new MemoryStore(db);
  const apiLoads = new ApiLoads(db, store.checkpoint(`api:${config.ollama}`).sourceId);
  const bus = new Bus();

  const tailers: LogSource[] = [];
  let stopped = false;
  // Pollers answer asynchronously, possibly after stop() closed the database, and a failed write
  // (a full disk) must cost one update, never the agent.
  const guarded = (what: string, fn: () => void): void => {
    if (stopped) return;
    try {
      fn();
    } catch (err) {
      console.error(`[ollama-lens] ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const probe = deps.memoryProbe ?? createMemoryProbe({ platform: process.platform, arch: process.arch });
  let machine: MachineInfo | null = null;
  let latestSample: MemorySample | null = null;
  const live = new LiveModels({
    loads: apiLoads,
    publishLoad: (load) => bus.publish({ type: 'load', load }),
    publishModels: (models) => bus.publish({ type: 'models', models }),
    logCaughtUp: () => tailers.every((t) => t.status().state !== 'following' || (t.status().lagBytes ?? 0) === 0),
    geometry: (name) => ollama.described().get(name)?.geometry ?? null,
    cacheType: () => cacheTypeFromConfig(store.latestServerConfig()),
    defaultParallel: () => positiveInt(store.latestServerConfig().OLLAMA_NUM_PARALLEL),
    memory: () => latestSample,
    machine: () => machine,
    now,
    graceMs: deps.apiLoadGraceMs,
  });
  const ollama = new OllamaApiPoller({
    url: config.ollama,
    intervalMs: config.ollamaInterval * 1000,
    now,
    onStatus: () => board.changed(),
    onModels: (models) => guarded('loaded models not stored', () => live.update(models)),
    onUnreachable: () => guarded('loaded models not cleared', () => live.unreachable()),
    onShow: (info) => guarded('model name not stored', () => {
      if (info.blob === null) return;
      const renamed = names.learn({ blob: info.blob, model: info.name, architecture: info.architecture, format: info.format }, now().getTime());
      for (const load of renamed.loads) bus.publish({ type: 'load', load });
      for (const request of renamed.requests.reverse()) bus.publish({ type: 'request', ...request });
    }),
  });
  let lastPrune = 0;
  let lastProbes = '';
  const memory = new MemoryPoller({
    probe,
    intervalMs: config.memoryInterval * 1000,
    now,
    onSample: (sample) => guarded('memory sample not stored', () => {
      latestSample = sample;
      memoryStore.insert(sample);
      bus.publish({ type: 'memory', sample });
      const t = Date.parse(sample.at);
      if (t - lastPrune > 3_600_000) {
        memoryStore.prune(t - MEMORY_RETENTION_MS);
        lastPrune = t;
      }
      live.refresh();
      const probes = JSON.stringify(probe.statuses());
      if (probes !== lastProbes) {
        lastProbes = probes;
        board.changed();
      }
    }),
    onError: (err) => console.error(`[ollama-lens] memory poll failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  const board = new StatusBoard(
    {
      agentVersion: AGENT_VERSION,
      ollama: () => ollama.status(),
      sources: () => tailers.map((t, i) => ({ ...t.status(), unparsed: ingestors[i]!.unparsed })),
      requestCount: () => store.requestCount(),
      loggedVersion: () => store.latestLoggedVersion(),
      machine: () => machine,
      probes: () => probe.statuses(),
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
    memory: memoryStore.latest(SNAPSHOT_MEMORY),
    models: live.list().items,
    modelsCheckedAt: live.list().checkedAt,
  }));
  const app = createApp({
    store,
    status: () => board.current(),
    dashboardDir: paths.dashboardDir,
    memory: { memory: memoryStore, machine: () => machine, probes: () => probe.statuses() },
    models: () => live.list(),
  });
  let server;
  try {
    server = await startServer(app, hub, config.host, config.port);
  } catch (err) {
    db.close();
    throw err;
  }
  await Promise.all(tailers.map((t) => t.start()));
  ollama.start();
  memory.start();
  // Read once; a probe that fails leaves its facts null (MemoryProbe never rejects for that).
  void probe.machine().then(
    (m) => {
      machine = m;
      board.changed();
    },
    (err: unknown) => console.error(`[ollama-lens] machine facts unavailable: ${err instanceof Error ? err.message : String(err)}`),
  );

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    dbPath: join(config.dataDir, DB_FILE),
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        ollama.stop();
        memory.stop();
        live.stop();
        board.stop();
        // Finish the current batch (and its checkpoint) before closing the database.
        await Promise.all(tailers.map((t) => t.stop()));
        await hub.close();
        await server.close();
        db.close();
      })()),
  };
}
