// Pure list logic for the memory samples (no Svelte here, so vitest can import it directly).
import type { MemorySample } from '../../../shared/memory.js';

/** One hour of samples at the default 5 s poll interval. */
export const DEFAULT_MEMORY_CAP = 720;

function time(sample: MemorySample): number {
  const t = Date.parse(sample.at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * Merge `incoming` (in arrival order) into `existing` (newest first) and return a NEW array,
 * newest first by `at`, one sample per `at` (the incoming copy wins), at most `cap` samples (the
 * oldest are dropped). Inputs are never mutated; with nothing to merge and `existing` within the
 * cap, `existing` itself is returned so callers can skip a render.
 */
export function mergeSamples(
  existing: readonly MemorySample[],
  incoming: readonly MemorySample[],
  cap: number = DEFAULT_MEMORY_CAP,
): readonly MemorySample[] {
  const limit = Math.max(0, Math.floor(cap));
  if (incoming.length === 0 && existing.length <= limit) return existing;
  const byAt = new Map<string, MemorySample>();
  for (const sample of existing) byAt.set(sample.at, sample);
  for (const sample of incoming) byAt.set(sample.at, sample);
  // Stable sort: samples whose time cannot be parsed keep their relative order, at the end.
  const merged = [...byAt.values()].sort((a, b) => time(b) - time(a));
  return merged.length > limit ? merged.slice(0, limit) : merged;
}
