// Pure list logic for model loads (no Svelte here, so vitest can import it directly).
import type { LoadRecord } from '../../../shared/records.js';

/** How many loads the dashboard keeps (the snapshot sends at most 50). */
export const DEFAULT_LOAD_CAP = 200;

/**
 * Merge `incoming` (in arrival order) into `existing` and return a NEW array: one load per `id`
 * (the incoming copy wins: a `load` delta replaces the whole record), newest first (highest `id`
 * first), at most `cap` loads. Inputs are never mutated; with nothing to merge and `existing`
 * within the cap, `existing` itself is returned so callers can skip a render.
 */
export function mergeLoads(
  existing: readonly LoadRecord[],
  incoming: readonly LoadRecord[],
  cap: number = DEFAULT_LOAD_CAP,
): readonly LoadRecord[] {
  const limit = Math.max(0, Math.floor(cap));
  if (incoming.length === 0 && existing.length <= limit) return existing;
  const byId = new Map<number, LoadRecord>();
  for (const load of existing) byId.set(load.id, load);
  for (const load of incoming) byId.set(load.id, load);
  const merged = [...byId.values()].sort((a, b) => b.id - a.id);
  return merged.length > limit ? merged.slice(0, limit) : merged;
}

/** Index loads by id, for joining `LoadedModel.loadId`. */
export function indexLoads(loads: readonly LoadRecord[]): ReadonlyMap<number, LoadRecord> {
  return new Map(loads.map((l) => [l.id, l]));
}
