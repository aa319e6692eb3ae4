// The API sense: polls Ollama, maps weights blobs to model names, and keeps the loaded models merged
// with the stored loads (LiveModels). Persist, then publish.
import type { MachineInfo, MemorySample } from '../../shared/memory.js';
import type { KvCacheType, LoadedModel } from '../../shared/models.js';
import type { OllamaStatus } from '../../shared/status.js';
import { requestDelta, type Bus } from '../bus.js';
import { kvFacts, type KvKnowledge, type KvModelFacts, type KvSnapshot } from '../correlate/kvFacts.js';
import type { CorrelatorOptions } from '../correlate/options.js';
import { cacheTypeFromConfig } from '../kv/kvSizing.js';
import { LiveModels } from '../ollama/LiveModels.js';
import { OllamaApiPoller } from '../ollama/OllamaApiPoller.js';
import type { ApiLoads } from '../store/ApiLoads.js';
import type { ModelNames } from '../store/ModelNames.js';

export interface OllamaSenseDeps {
  url: string;
  intervalMs: number;
  bus: Bus;
  loads: ApiLoads;
  names: ModelNames;
  /** The latest `server config` env map seen in the logs. */
  serverConfig: () => Record<string, string>;
  logCaughtUp: () => boolean;
  memory: () => MemorySample | null;
  machine: () => MachineInfo | null;
  now: () => Date;
  guarded: (what: string, fn: () => void) => void;
  onStatusChange: () => void;
  apiLoadGraceMs?: number;
}

/** `OLLAMA_NUM_PARALLEL:0` means "let the scheduler pick": unknown, not zero. */
const positiveInt = (v: string | undefined): number | null => (v !== undefined && /^[1-9]\d*$/.test(v) ? Number(v) : null);

const kvSettings = (env: Record<string, string>): { cacheType: KvCacheType; parallel: number | null } => ({
  cacheType: cacheTypeFromConfig(env),
  parallel: positiveInt(env.OLLAMA_NUM_PARALLEL),
});

/** How long the server config read for KV facts is reused: it changes only when Ollama restarts. */
const CONFIG_TTL_MS = 10_000;

export class OllamaSense {
  private readonly live: LiveModels;
  private readonly poller: OllamaApiPoller;
  private config: { at: number; env: Record<string, string> } | null = null;
  /** What kvFacts reads, made once: it is asked for every inference request. */
  private readonly knowledge: KvKnowledge = {
    nameOf: (blob) => this.d.names.get(blob),
    geometryOf: (name) => this.poller.described().get(name)?.geometry ?? null,
    settings: () => this.settings(),
    listedContext: (name) => this.live.list().items.find((m) => m.name === name)?.contextLength,
    now: () => this.d.now().getTime(),
  };

  constructor(private readonly d: OllamaSenseDeps) {
    const { bus, guarded } = d;
    this.live = new LiveModels({
      loads: d.loads,
      publishLoad: (load) => bus.publish({ type: 'load', load }),
      publishModels: (models) => bus.publish({ type: 'models', models }),
      logCaughtUp: d.logCaughtUp,
      geometry: (name) => this.poller.described().get(name)?.geometry ?? null,
      cacheType: () => cacheTypeFromConfig(d.serverConfig()),
      defaultParallel: () => positiveInt(d.serverConfig().OLLAMA_NUM_PARALLEL),
      memory: d.memory,
      machine: d.machine,
      now: d.now,
      graceMs: d.apiLoadGraceMs,
    });
    this.poller = new OllamaApiPoller({
      url: d.url,
      intervalMs: d.intervalMs,
      now: d.now,
      onStatus: () => d.onStatusChange(),
      onModels: (models) => guarded('loaded models not stored', () => this.live.update(models)),
      onUnreachable: () => guarded('loaded models not cleared', () => this.live.unreachable()),
      onShow: (info) =>
        guarded('model name not stored', () => {
          if (info.blob === null) return;
          const renamed = d.names.learn(
            { blob: info.blob, model: info.name, architecture: info.architecture, format: info.format },
            d.now().getTime(),
          );
          for (const load of renamed.loads) bus.publish({ type: 'load', load });
          for (const request of renamed.requests.reverse()) bus.publish(requestDelta(request));
        }),
    });
  }

  /**
   * A model's KV geometry as /api/show described it, with the cache type and parallelism of the
   * server config and the context /api/ps lists now; null until the model was described. Asked for
   * every inference request: no query (the server config is read at most every 10 s).
   */
  kvFacts(model: string | null, blob: string | null, atMs: number): KvModelFacts | null {
    return kvFacts(this.knowledge, model, blob, atMs);
  }

  /** What the correlator asks of this sense: kvFacts, on either thread. */
  correlatorFacts(): Required<Pick<CorrelatorOptions, 'kvModel' | 'kvSnapshot'>> {
    return { kvModel: this.kvFacts.bind(this), kvSnapshot: this.kvSnapshot.bind(this) };
  }

  /** The same knowledge as plain data, for the pipeline thread (a few models: cheap to take per batch). */
  kvSnapshot(): KvSnapshot {
    const geometries: KvSnapshot['geometries'] = [];
    for (const [name, info] of this.poller.described()) if (info.geometry !== null) geometries.push([name, info.geometry]);
    const now = this.d.now().getTime();
    // Read afresh for each batch, and only with a geometry to go with them (see KvKnowledge.settings):
    // a batch goes to the thread before those ahead of it are stored, so a server config line among
    // them is stored a few batches later, and a cached read would miss it for CONFIG_TTL_MS.
    const env = geometries.length > 0 ? this.d.serverConfig() : {};
    const { cacheType, parallel } = kvSettings(env);
    return {
      names: this.d.names.entries(),
      geometries,
      cacheType,
      parallel,
      listed: this.live.list().items.map((m) => [m.name, m.contextLength]),
      now,
    };
  }

  /** The server config's KV settings, read at most every CONFIG_TTL_MS. */
  private settings(): { cacheType: KvCacheType; parallel: number | null } {
    const now = this.d.now().getTime();
    if (this.config === null || now - this.config.at > CONFIG_TTL_MS) this.config = { at: now, env: this.d.serverConfig() };
    return kvSettings(this.config.env);
  }

  status(): OllamaStatus {
    return this.poller.status();
  }

  models(): { items: LoadedModel[]; checkedAt: string | null } {
    return this.live.list();
  }

  /** Free memory moved: recompute the KV room of each loaded model. */
  refresh(): void {
    this.live.refresh();
  }

  start(): void {
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
    this.live.stop();
  }
}
