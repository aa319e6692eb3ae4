// Joins what /api/ps lists with the stored loads and the latest memory sample: each listed model
// is matched to its load (or given one when no log line describes it), loads that left the list are
// marked unloaded, and each model gets its KV sizing. Persist, then publish.
import type { MachineInfo, MemorySample } from '../../shared/memory.js';
import type { KvCacheType, LoadedModel } from '../../shared/models.js';
import type { Backend, Engine, LoadRecord } from '../../shared/records.js';
import type { ApiLoads } from '../store/ApiLoads.js';
import type { KvGeometry } from '../kv/kvGeometry.js';
import { kvSizing } from '../kv/kvSizing.js';

export interface LiveModelsDeps {
  loads: ApiLoads;
  publishLoad: (load: LoadRecord) => void;
  publishModels: (models: LoadedModel[]) => void;
  /** The log sources are caught up, so a load missing from them is really not in the log. */
  logCaughtUp: () => boolean;
  geometry: (name: string) => KvGeometry | null;
  cacheType: () => KvCacheType;
  /** Sequences per model when the load itself does not say (the server config's OLLAMA_NUM_PARALLEL). */
  defaultParallel?: () => number | null;
  memory: () => MemorySample | null;
  machine: () => MachineInfo | null;
  now?: () => Date;
  /** How long a listed model may stay unmatched before it gets a load of its own. */
  graceMs?: number;
  /**
   * Runs `fn` later; returns a cancel function. The poller only reports changes, so a model still
   * waiting for its log load is looked at again by this timer.
   */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const laterUnref = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

/** What /api/ps alone can say about how a model runs; `null` where it cannot. */
function apiEngineBackend(m: LoadedModel, machine: MachineInfo | null): { engine: Engine | null; backend: Backend | null } {
  if (m.vramBytes === 0) return { engine: m.format === 'safetensors' ? 'mlx' : null, backend: 'cpu' };
  if (m.format === 'safetensors') return { engine: 'mlx', backend: m.vramBytes !== null ? 'mlx' : null };
  // A GGUF on the GPU of a Mac can only be Metal; elsewhere the API does not say which library.
  const metal = machine?.os === 'darwin' && m.vramBytes !== null && m.vramBytes > 0;
  return { engine: null, backend: metal ? 'metal' : null };
}

export class LiveModels {
  private current: LoadedModel[] = [];
  private checkedAt: string | null = null;
  /** Load ids listed by the last poll, by model name. */
  private listed = new Map<string, number>();
  private readonly unmatchedSince = new Map<string, number>();
  private reconciled = false;
  private lastPublished = '';
  private lastInput: readonly LoadedModel[] = [];
  private cancelRecheck: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly d: LiveModelsDeps) {}

  list(): { items: LoadedModel[]; checkedAt: string | null } {
    return { items: this.current, checkedAt: this.checkedAt };
  }

  stop(): void {
    this.stopped = true;
    this.cancelRecheck?.();
  }

  /**
   * Ollama stopped answering. What is loaded is unknown, so the list empties, but no load is marked
   * unloaded: a poll that timed out while Ollama was busy is not an unload. The next answer decides.
   */
  unreachable(): void {
    if (this.stopped) return;
    this.cancelRecheck?.();
    this.cancelRecheck = null;
    this.unmatchedSince.clear();
    this.current = [];
    this.checkedAt = (this.d.now ?? (() => new Date()))().toISOString();
    this.refresh();
  }

  /** One /api/ps result (loadId and kv not yet filled). */
  update(models: readonly LoadedModel[]): void {
    if (this.stopped) return;
    this.cancelRecheck?.();
    this.cancelRecheck = null;
    this.lastInput = models;
    const now = (this.d.now ?? (() => new Date()))();
    const at = now.toISOString();
    this.checkedAt = at;
    const next = new Map<string, number>();
    const merged: LoadedModel[] = [];
    for (const m of models) {
      const loadId = this.match(m, now);
      if (loadId !== null) next.set(m.name, loadId);
      merged.push({ ...m, loadId });
    }
    // Loads the API listed before (this run, or before a restart) and no longer lists have gone.
    const gone = this.reconciled ? [...this.listed.values()] : this.d.loads.openSeen().map((l) => l.id);
    const stillListed = new Set(next.values());
    for (const id of gone) {
      if (stillListed.has(id)) continue;
      const load = this.d.loads.markUnloaded(id, at);
      if (load) this.d.publishLoad(load);
    }
    this.reconciled = true;
    this.listed = next;
    for (const name of this.unmatchedSince.keys()) if (!models.some((m) => m.name === name)) this.unmatchedSince.delete(name);
    this.current = merged;
    this.refresh();
    if (this.unmatchedSince.size > 0) {
      const wait = this.d.logCaughtUp() ? (this.d.graceMs ?? 10_000) : 1000;
      this.cancelRecheck = (this.d.schedule ?? laterUnref)(() => this.update(this.lastInput), wait);
    }
  }

  /** Recomputes KV sizing (a new memory sample moves the free memory) and publishes when it changed. */
  refresh(): void {
    const sample = this.d.memory();
    const machine = this.d.machine();
    const cacheType = this.d.cacheType();
    const free = freeForKv(sample, machine, this.current);
    this.current = this.current.map((m) => {
      const load = m.loadId === null ? null : this.d.loads.byId(m.loadId);
      const kv = kvSizing({
        geometry: this.d.geometry(m.name),
        ctx: m.contextLength ?? load?.ctx ?? null,
        parallel: load?.parallel ?? this.d.defaultParallel?.() ?? null,
        cacheType,
        loggedBytes: load?.kvBytes ?? null,
        freeBytes: free,
      });
      return { ...m, kv };
    });
    // Until Ollama has answered, an empty list means "not known yet": a `models` message would say
    // "nothing loaded", so nothing is published before the first answer.
    if (this.checkedAt === null) return;
    const json = JSON.stringify(this.current);
    if (json !== this.lastPublished) {
      this.lastPublished = json;
      this.d.publishModels(this.current);
    }
  }

  private match(m: LoadedModel, now: Date): number | null {
    const known = this.listed.get(m.name);
    const found = this.d.loads.findOpen(m.name, m.blob);
    if (found) {
      this.unmatchedSince.delete(m.name);
      const changed =
        known !== found.id ||
        found.sizeBytes !== m.sizeBytes ||
        found.vramBytes !== m.vramBytes ||
        found.seenBy === 'log' ||
        found.unloadedAt !== null ||
        found.model === null ||
        (found.blob === null && m.blob !== null);
      if (changed)
        this.d.publishLoad(
          this.d.loads.markSeen(found.id, { sizeBytes: m.sizeBytes, vramBytes: m.vramBytes, model: m.name, blob: m.blob }),
        );
      return found.id;
    }
    const since = this.unmatchedSince.get(m.name) ?? now.getTime();
    this.unmatchedSince.set(m.name, since);
    // The log usually describes a load within milliseconds; wait a little (and for a backfill to
    // finish) before deciding it never will, so the same load is not stored twice.
    if (now.getTime() - since < (this.d.graceMs ?? 10_000) || !this.d.logCaughtUp()) return null;
    this.unmatchedSince.delete(m.name);
    const { engine, backend } = apiEngineBackend(m, this.d.machine());
    const load = this.d.loads.create({
      at: now.toISOString(),
      ts: now.getTime(),
      model: m.name,
      blob: m.blob,
      engine,
      backend,
      ctx: m.contextLength,
      sizeBytes: m.sizeBytes,
      vramBytes: m.vramBytes,
    });
    this.d.publishLoad(load);
    return load.id;
  }
}

/**
 * Memory a growing context could still take: what the OS says is available and, on a machine with
 * a GPU budget (Metal's working set), what the loaded models leave of it — whichever is smaller.
 */
export function freeForKv(sample: MemorySample | null, machine: MachineInfo | null, models: readonly LoadedModel[]): number | null {
  const candidates: number[] = [];
  if (sample?.availableBytes != null) candidates.push(sample.availableBytes);
  if (machine?.gpuBudgetBytes != null && models.every((m) => m.vramBytes !== null)) {
    const used = models.reduce((sum, m) => sum + (m.vramBytes ?? 0), 0);
    candidates.push(Math.max(0, machine.gpuBudgetBytes - used));
  }
  return candidates.length === 0 ? null : Math.min(...candidates);
}
