// Wires the agent in named steps, each using only what the steps before it made: the store, the senses
// (Ollama's API, the machine's memory), the log sources, retention, what serves it all (WebSocket hub,
// status, /metrics, the HTTP API), the server, the proxy and the alerts. stop() undoes them in data order.
import { INCIDENT_KINDS } from '../shared/records.js';
import type { AlertService } from './alerts/AlertService.js';
import { createAlertService } from './alerts/createAlertService.js';
import { Bus } from './bus.js';
import { correlatorOptions } from './config/correlatorOptions.js';
import type { Config } from './config/schema.js';
import type { AccessPolicy } from './http/accessGuard.js';
import { createApp } from './http/createApp.js';
import { createSnapshot } from './http/snapshot.js';
import { startServer } from './http/startServer.js';
import { WsHub } from './http/WsHub.js';
import { MetricsCollector } from './metrics/MetricsCollector.js';
import { SelfStats } from './metrics/SelfStats.js';
import { addLogSources } from './pipeline/addLogSources.js';
import { LogSources } from './pipeline/LogSources.js';
import { startProxy, type RunningProxy } from './proxy/startProxy.js';
import { createRetention } from './retention/createRetention.js';
import { processSecrets } from './secrets/Redactor.js';
import { createSenses } from './senses/createSenses.js';
import { RequestMemory } from './senses/RequestMemory.js';
import { StatusBoard } from './StatusBoard.js';
import { openStore } from './store/openStore.js';
import { defaultPaths, type AgentDeps, type AgentPaths, type RunningAgent } from './runningAgent.js';
import { AGENT_VERSION } from './version.js';

export async function runAgent(config: Config, paths: AgentPaths = defaultPaths(), deps: AgentDeps = {}): Promise<RunningAgent> {
  const now = deps.now ?? (() => new Date());
  // Each request stored gets its load's memory and the machine sample nearest its end, kept in memory.
  const requestMemory = new RequestMemory(config.memoryInterval * 1000);
  const stored = openStore({ dataDir: config.dataDir, migrationsDir: paths.migrationsDir, ollamaUrl: config.ollama, live: requestMemory });
  const bus = new Bus();
  const board = new StatusBoard(bus);
  const sources = new LogSources();
  const senses = createSenses(config, {
    ...deps,
    stored,
    bus,
    requestMemory,
    now,
    logCaughtUp: () => sources.caughtUp(),
    onStatusChange: () => board.changed(),
  });
  // The models' KV geometry from the API lets every request say how full its KV cache was.
  const correlator = { ...correlatorOptions(config), ...senses.ollama.correlatorFacts() };
  addLogSources(sources, config, { stored, bus, correlator, onStatus: () => board.changed() });
  const retention = createRetention(config, stored, now);

  // Made once the server listens (notifications link to its URL; the proxy forwards to a reachable
  // agent): until then alerts are read from the store and there is no proxy.
  let alerts: AlertService | null = null;
  let proxy: RunningProxy | null = null;
  // Any port in a Host header is accepted until the server's own is known.
  let listeningPort = 0;
  const access: AccessPolicy = { boundHost: config.host, port: () => listeningPort, token: config.token };
  processSecrets.add(config.token);
  const hub = new WsHub(
    bus,
    createSnapshot({
      stored,
      status: () => board.current(),
      models: () => senses.ollama.models(),
      alerts: (limit) => alerts?.snapshot(limit) ?? [],
    }),
    undefined,
    access,
  );
  const wsCounts = (): { clients: number; dropped: number } => ({ clients: hub.clients, dropped: hub.droppedClients });
  // The agent's own figures: read rate, parse errors, lag, WebSocket clients.
  const selfStats = new SelfStats({ sources: () => sources.statuses(), ws: wsCounts, now: () => now().getTime() });
  board.show({
    agentVersion: AGENT_VERSION,
    ollama: () => senses.ollama.status(),
    sources: () => sources.statuses(),
    requestCount: () => stored.store.requestCount(),
    loggedVersion: () => stored.store.latestLoggedVersion(),
    machine: () => senses.memory.machine(),
    probes: () => senses.memory.probes(),
    channels: () => alerts?.channels() ?? [],
    proxy: () => proxy?.status() ?? null,
    self: () => selfStats.current(),
    contextAlertRatio: config.contextAlertRatio,
  });
  // `/metrics`: fed from the bus from here on, gauges read on each scrape.
  const metrics = new MetricsCollector({
    bus,
    status: () => board.current(),
    models: () => senses.ollama.models().items,
    memory: () => senses.memory.latest(),
    firingAlerts: () => (alerts ?? stored.alerts).list({ state: 'firing', limit: 1000 }),
    ws: wsCounts,
    loadById: (id) => stored.apiLoads.byId(id),
    agentVersion: AGENT_VERSION,
  });
  metrics.start();
  const app = createApp({
    store: stored.store,
    series: stored.series,
    status: () => board.current(),
    dashboardDir: paths.dashboardDir,
    access,
    memory: { memory: stored.samples, machine: () => senses.memory.machine(), probes: () => senses.memory.probes() },
    models: () => senses.ollama.models(),
    alerts: { list: (q) => (alerts ?? stored.alerts).list(q), acknowledge: (id) => alerts?.acknowledge(id) ?? null, kinds: INCIDENT_KINDS },
    metrics,
    database: stored.health,
  });

  const server = await startServer(app, hub, config.host, config.port).catch(async (err: unknown) => {
    await stored.close();
    throw err;
  });
  listeningPort = server.port;
  if (config.proxy) {
    const recorded = { store: stored.store, bus, logCaughtUp: () => sources.caughtUp(), live: requestMemory };
    proxy = await startProxy({ spec: config.proxy, ...recorded, onStatus: () => board.changed() });
  }
  alerts = createAlertService(config, { stored, bus, now, dashboardUrl: server.url, onChannelChange: () => board.changed() });
  alerts.start();
  selfStats.start();
  await sources.start();
  senses.ollama.start();
  senses.memory.start();
  retention.start();

  let stopping: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    stored.stopWrites();
    senses.ollama.stop();
    senses.memory.stop();
    // A retention run in progress ends after its current chunk.
    await retention.stop();
    board.stop();
    selfStats.stop();
    metrics.stop();
    // Each source finishes its batch in flight and that batch's resume point before the database closes.
    await sources.stop();
    // Requests in flight are cut; held proxy records are written while the database is open.
    await proxy?.stop();
    // Pending notifications get a bounded last try.
    await alerts?.stop();
    await hub.close();
    await server.close();
    await stored.close();
  };
  const proxyUrl = proxy?.url ?? null;
  return { url: server.url, dbPath: stored.dbPath, sources: () => sources.statuses(), proxyUrl, stop: () => (stopping ??= stop()) };
}
