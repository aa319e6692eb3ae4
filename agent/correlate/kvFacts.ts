// A model's KV facts for the correlator (CorrelatorOptions.kvModel), from what the live agent learnt
// of Ollama's API. One rule for both threads: the main thread asks the live agent's maps directly; the
// pipeline thread, which cannot call back into the main thread, gets the same knowledge as plain data
// (KvSnapshot) with each batch.
import type { KvCacheType } from '../../shared/models.js';
import type { KvGeometry } from '../kv/kvGeometry.js';

/**
 * What /api/ps lists now says how a request that ended this recently ran; an older one (a backfill)
 * may have run on an earlier load with another context, so it gets none.
 */
export const LISTED_CONTEXT_MS = 60_000;

/** What the live agent knows of a model's KV cache from Ollama's API (`/api/show`, `/api/ps`). */
export interface KvModelFacts {
  geometry: KvGeometry;
  cacheType: KvCacheType;
  /** Context per sequence /api/ps lists for it now, when it is loaded and the request is recent (not a backfill). */
  ctx: number | null;
  /** Sequences per model when the load does not say (the server config's OLLAMA_NUM_PARALLEL). */
  parallel: number | null;
}

/** The live agent's knowledge, as kvFacts reads it. */
export interface KvKnowledge {
  /** A weights blob's model name (from /api/show). */
  nameOf(blob: string): string | undefined;
  /** A model's KV geometry (from /api/show), null until it was described. */
  geometryOf(name: string): KvGeometry | null;
  /**
   * The server config's KV cache type and OLLAMA_NUM_PARALLEL (null when unset or 0). Read only once a
   * model's geometry is known: the live agent caches the server config when first asked, and during
   * a backfill's first batches the config line may not be stored yet.
   */
  settings(): { cacheType: KvCacheType; parallel: number | null };
  /** The context /api/ps lists for a loaded model now; undefined when it is not loaded. */
  listedContext(name: string): number | null | undefined;
  /** Now (ms), or when the knowledge was read: a request this recent gets the listed context. */
  now(): number;
}

/** The facts of a model a request ran on, or null when its geometry is not known. */
export function kvFacts(k: KvKnowledge, model: string | null, blob: string | null, atMs: number): KvModelFacts | null {
  const name = model ?? (blob !== null ? (k.nameOf(blob) ?? null) : null);
  if (name === null) return null;
  const geometry = k.geometryOf(name);
  if (geometry === null) return null;
  const { cacheType, parallel } = k.settings();
  const recent = Math.abs(k.now() - atMs) <= LISTED_CONTEXT_MS;
  return { geometry, cacheType, ctx: (recent ? k.listedContext(name) : undefined) ?? null, parallel };
}

/** KvKnowledge as plain data, for a structured clone to the pipeline thread. */
export interface KvSnapshot {
  names: [blob: string, name: string][];
  geometries: [name: string, geometry: KvGeometry][];
  cacheType: KvCacheType;
  parallel: number | null;
  listed: [name: string, contextLength: number | null][];
  now: number;
}

/** A snapshot back into the correlator's kvModel. */
export function kvModelFrom(s: KvSnapshot): (model: string | null, blob: string | null, atMs: number) => KvModelFacts | null {
  const names = new Map(s.names);
  const geometries = new Map(s.geometries);
  const listed = new Map(s.listed);
  const k: KvKnowledge = {
    nameOf: (blob) => names.get(blob),
    geometryOf: (name) => geometries.get(name) ?? null,
    settings: () => ({ cacheType: s.cacheType, parallel: s.parallel }),
    listedContext: (name) => listed.get(name),
    now: () => s.now,
  };
  return (model, blob, atMs) => kvFacts(k, model, blob, atMs);
}
