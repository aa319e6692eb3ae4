// Wires the parts together: sources → ingestors → store → bus → (HTTP API, WebSocket hub), and the
// two other senses: Ollama's API (loaded models) and the machine's memory probes.
import { join } from 'node:path';
import { SNAPSHOT_ALERTS, SNAPSHOT_INCIDENTS, SNAPSHOT_LOADS, SNAPSHOT_MEMORY, SNAPSHOT_REQUESTS, type Snapshot } from '../shared/messages.js';
import { INCIDENT_KINDS, type IncidentKind, type SourceStatus } from '../shared/types.js';
import { AlertEngine } from './alerts/AlertEngine.js';
import { AlertService } from './alerts/AlertService.js';
import { createNotifiers } from './alerts/channels/createNotifiers.js';
import { NotificationHub } from './alerts/channels/NotificationHub.js';
import { AlertStore } from './store/AlertStore.js';
import { DecodeBaselines } from './store/DecodeBaselines.js';
import { Bus } from './bus.js';
import type { Config } from './config/schema.js';
import type { AccessPolicy } from './http/accessGuard.js';
import { createApp } from './http/createApp.js';
import { startServer } from './http/startServer.js';
import { SnapshotUnavailable, WsHub } from './http/WsHub.js';
import { SourceIngestor } from './pipeline/SourceIngestor.js';
import { MemorySense } from './senses/MemorySense.js';
import { RequestMemory } from './senses/RequestMemory.js';
import { Retention } from './retention/Retention.js';
import { MetricsCollector } from './metrics/MetricsCollector.js';
import { SelfStats } from './metrics/SelfStats.js';
import { OllamaSense } from './senses/OllamaSense.js';
import { createMemoryProbe } from './probes/createMemoryProbe.js';
import type { MemoryProbe } from './probes/MemoryProbe.js';
import { ApiLoads } from './store/ApiLoads.js';
import { MemoryStore } from './store/MemoryStore.js';
import { ModelNames } from './store/ModelNames.js';
import { FileTailer } from './source/FileTailer.js';
import { JournalTailer } from './source/JournalTailer.js';
import type { LineBatch, LogSource } from './source/LogSource.js';
import { StatusBoard } from './StatusBoard.js';
import { DatabaseHealth } from './store/databaseDamage.js';
import { openDatabase, DB_FILE } from './store/openDatabase.js';
import { startCheckpointer } from './store/wal/checkpointer.js';
import { Store } from './store/Store.js';
import { SeriesQuery } from './store/SeriesQuery.js';
import { correlatorOptions } from './config/correlatorOptions.js';
import type { CorrelatorOptions } from './correlate/options.js';
import { startProxy, type RunningProxy } from './proxy/startProxy.js';
import { AGENT_VERSION, packageRoot } from './version.js';
import { errorText, log } from './log.js';
import { processSecrets } from './secrets/Redactor.js';

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

export interface RunningAgent {
  url: string;
  dbPath: string;
  /** The log sources as the status strip shows them (the demo waits for its past to be read). */
  sources(): SourceStatus[];
  /** The proxy's URL (`--proxy`), null when off. */
  proxyUrl: string | null;
  stop(): Promise<void>;
}

export async function runAgent(config: Config, paths: AgentPaths = defaultPaths(), deps: AgentDeps = {}): Promise<RunningAgent> {
  const now = deps.now ?? (() => new Date());
  const db = openDatabase(config.dataDir, paths.migrationsDir);
  // A page found damaged while running (a query's SQLITE_CORRUPT): /api/health says so and why.
  const database = new DatabaseHealth(join(config.dataDir, DB_FILE));
  // Far behind a file, a batch is parsed on the pipeline thread while the ones before it are stored
  // (accept answers a promise then); either way a damaged database is noted for /api/health.
  const ingest = (ingestor: SourceIngestor, batch: LineBatch): void | Promise<void> => {
    const noted = (err: unknown): never => {
      database.note(err);
      throw err;
    };
    try {
      return ingestor.accept(batch)?.catch(noted);
    } catch (err) {
      return noted(err);
    }
  };
  const checkpointer = startCheckpointer(db);
  const names = new ModelNames(db);
  // Issue 20: each request gets its load's memory and the machine sample nearest its end, kept in memory.
  const requestMemory = new RequestMemory(config.memoryInterval * 1000);
  const store = new Store(db, names, requestMemory);
  const memoryStore = new MemoryStore(db);
  for (const load of store.loads(SNAPSHOT_LOADS)) requestMemory.noteLoad(load);
  for (const sample of memoryStore.latest(8).reverse()) requestMemory.noteSample(sample);
  // Issue 9: retention tiers, the size cap and incremental vacuum, in small chunks between batches.
  const retention = new Retention({
    db,
    options: {
      requestsDays: config.retentionRequestsDays, minutesDays: config.retentionMinutesDays, hoursDays: config.retentionHoursDays,
      memoryDays: config.retentionMemoryDays, maxDbMb: config.maxDbMb,
    },
    now: () => now().getTime(),
    onRequestsDeleted: (n) => store.noteRequestsInserted(-n),
    // The WAL checkpoint worker catches up between chunks and at the end, off the event loop.
    pause: () => checkpointer.pause(),
    checkpointWal: () => checkpointer.pause(),
  });
  const apiLoads = new ApiLoads(db, store.resumePoint(`api:${config.ollama}`).sourceId);
  const bus = new Bus();
  bus.subscribe((msg) => {
    if (msg.type === 'memory') requestMemory.noteSample(msg.sample);
    else if (msg.type === 'load') requestMemory.noteLoad(msg.load);
  });

  const tailers: LogSource[] = [];
  // Every log read to its end: what the log does not show by now, it does not show (API loads, proxy rows).
  const logCaughtUp = (): boolean => tailers.every((t) => t.status().state !== 'following' || (t.status().lagBytes ?? 0) === 0);
  let stopped = false;
  // Pollers answer asynchronously, possibly after stop() closed the database, and a failed write
  // (a full disk) must cost one update, never the agent.
  const guarded = (what: string, fn: () => void): void => {
    if (stopped) return;
    try {
      fn();
    } catch (err) {
      database.note(err);
      log.error(`${what}: ${errorText(err)}`);
    }
  };
  const memory = new MemorySense({
    probe: deps.memoryProbe ?? createMemoryProbe({ platform: process.platform, arch: process.arch }),
    store: memoryStore,
    bus,
    intervalMs: config.memoryInterval * 1000,
    now,
    guarded,
    onStatusChange: () => board.changed(),
    onSample: () => guarded('KV room not updated', () => ollama.refresh()),
    // Retention prunes raw samples, once their hours are rolled up.
    retentionMs: null,
  });
  const ollama = new OllamaSense({
    url: config.ollama,
    intervalMs: config.ollamaInterval * 1000,
    bus,
    loads: new ApiLoads(db, store.resumePoint(`api:${config.ollama}`).sourceId),
    names,
    serverConfig: () => store.latestServerConfig(),
    logCaughtUp,
    memory: () => memory.latest(),
    machine: () => memory.machine(),
    now,
    guarded,
    onStatusChange: () => board.changed(),
    apiLoadGraceMs: deps.apiLoadGraceMs,
  });
  // `--proxy`: started once the HTTP server is up, stopped before the database closes.
  let proxy: RunningProxy | null = null;
  const sourceStatuses = (): SourceStatus[] => tailers.map((t, i) => ({ ...t.status(), unparsed: ingestors[i]!.unparsed }));
  // The agent's own figures (issue 10): read rate, parse errors, lag, WebSocket clients (the hub is made below).
  const selfStats = new SelfStats({
    sources: sourceStatuses,
    ws: (): { clients: number; dropped: number } => ({ clients: hub.clients, dropped: hub.droppedClients }),
    now: () => now().getTime(),
  });
  const board = new StatusBoard(
    {
      agentVersion: AGENT_VERSION,
      ollama: () => ollama.status(),
      sources: sourceStatuses,
      requestCount: () => store.requestCount(),
      loggedVersion: () => store.latestLoggedVersion(),
      machine: () => memory.machine(),
      probes: () => memory.probes(),
      channels: () => alerts?.channels() ?? [],
      proxy: () => proxy?.status() ?? null,
      self: () => selfStats.current(),
      contextAlertRatio: config.contextAlertRatio,
    },
    bus,
  );
  // Created once the server's URL (the link in notifications) is known; before that there are none.
  let alerts: AlertService | null = null;
  const alertStore = new AlertStore(db);

  const ingestors: SourceIngestor[] = [];
  // The models' KV geometry from the API lets every request say how full its KV cache was.
  const ingestOptions: CorrelatorOptions = { ...correlatorOptions(config), kvModel: (model, blob, atMs) => ollama.kvFacts(model, blob, atMs) };
  for (const path of config.logs) {
    const ingestor = new SourceIngestor(store, bus, path, ingestOptions);
    ingestors.push(ingestor);
    const cp = ingestor.resumePoint;
    tailers.push(
      new FileTailer({
        path,
        start: ingestor.position,
        linesRead: cp.linesRead,
        backfill: config.backfill,
        unsplit: true,
        onBatch: (batch) => ingest(ingestor, batch),
        onStatus: () => board.changed(),
      }),
    );
  }
  // Linux installs log to the journal: one source per unit, its cursor is its resume point, as an offset is a file's.
  for (const unit of config.journal) {
    const ingestor = new SourceIngestor(store, bus, `journal:${unit}`, ingestOptions);
    ingestors.push(ingestor);
    tailers.push(
      new JournalTailer({
        unit,
        start: ingestor.position,
        linesRead: ingestor.resumePoint.linesRead,
        backfill: config.backfill,
        onBatch: (batch) => ingest(ingestor, batch),
        onStatus: () => board.changed(),
      }),
    );
  }

  // The port is known once listening; until then any port in a Host header is accepted.
  let listeningPort = 0;
  const access: AccessPolicy = { boundHost: config.host, port: () => listeningPort, token: config.token };
  processSecrets.add(config.token);
  const snapshot = (): Snapshot => ({
    status: board.current(),
    requests: store.requests(SNAPSHOT_REQUESTS),
    loads: store.loads(SNAPSHOT_LOADS),
    incidents: store.incidents(SNAPSHOT_INCIDENTS),
    memory: memoryStore.latest(SNAPSHOT_MEMORY),
    models: ollama.models().items,
    modelsCheckedAt: ollama.models().checkedAt,
    alerts: alerts?.snapshot(SNAPSHOT_ALERTS) ?? [],
  });
  const hub = new WsHub(bus, () => {
    try {
      return snapshot();
    } catch (err) {
      if (database.note(err)) throw new SnapshotUnavailable('the database is damaged: see /api/health');
      throw err;
    }
  }, undefined, access);
  // `/metrics`: fed from the bus from here on, gauges read on each scrape.
  const metrics = new MetricsCollector({
    bus,
    status: () => board.current(),
    models: () => ollama.models().items,
    memory: () => memory.latest(),
    firingAlerts: () => (alerts ?? alertStore).list({ state: 'firing', limit: 1000 }),
    ws: () => ({ clients: hub.clients, dropped: hub.droppedClients }),
    loadById: (id) => apiLoads.byId(id),
    agentVersion: AGENT_VERSION,
  });
  metrics.start();
  const app = createApp({
    store,
    series: new SeriesQuery(db),
    status: () => board.current(),
    dashboardDir: paths.dashboardDir,
    access,
    memory: { memory: memoryStore, machine: () => memory.machine(), probes: () => memory.probes() },
    models: () => ollama.models(),
    alerts: {
      list: (q) => alerts?.list(q) ?? alertStore.list(q),
      acknowledge: (id) => alerts?.acknowledge(id) ?? null,
      kinds: INCIDENT_KINDS,
    },
    metrics,
    database,
  });
  let server;
  try {
    server = await startServer(app, hub, config.host, config.port);
    listeningPort = server.port;
  } catch (err) {
    await checkpointer.stop();
    db.close();
    throw err;
  }
  if (config.proxy) proxy = await startProxy({ spec: config.proxy, store, bus, logCaughtUp, live: requestMemory, onStatus: () => board.changed() });
  alerts = new AlertService({
    engine: new AlertEngine({ contextAlertTokens: config.contextAlertTokens, mutedKinds: config.mute as IncidentKind[] }, () => now().getTime()),
    store: alertStore,
    bus,
    hub: new NotificationHub(
      createNotifiers({
        webhooks: [...config.webhooks.map((url) => ({ url, format: 'json' as const })), ...config.ntfy.map((url) => ({ url, format: 'ntfy' as const }))],
        macos: config.notifyMacos,
        platform: process.platform,
        dashboardUrl: server.url,
        // Channels log only when they start or stop failing; the status strip shows it too.
        log: (line) => {
          log.warn(line);
          board.changed();
        },
      }),
    ),
    baselines: new DecodeBaselines(db),
    now: () => now().getTime(),
    guarded,
  });
  alerts.start();
  selfStats.start();
  await Promise.all(tailers.map((t) => t.start()));
  ollama.start();
  memory.start();
  retention.start();

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    dbPath: join(config.dataDir, DB_FILE),
    sources: sourceStatuses,
    proxyUrl: proxy?.url ?? null,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        ollama.stop();
        memory.stop();
        // A run in progress ends after its current chunk.
        await retention.stop();
        board.stop();
        selfStats.stop();
        metrics.stop();
        // Finish the current batch (and its resume point) before closing the database.
        await Promise.all(tailers.map((t) => t.stop()));
        await Promise.all(ingestors.map((i) => i.close()));
        // Requests in flight are cut; held proxy records are written while the database is open.
        await proxy?.stop();
        // Pending notifications get a bounded last try.
        await alerts?.stop();
        await hub.close();
        await server.close();
        await checkpointer.stop();
        db.close();
      })()),
  };
}
