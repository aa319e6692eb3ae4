// One merge for every list the dashboard keeps (requests, loads, memory samples, alerts): newest
// first, one item per key, capped. A ListSpec says what differs between them; BatchedList (the
// Svelte side) applies it to snapshots and batched deltas. Pure, so vitest imports it directly.

export interface ListSpec<T> {
  /** One item per key; the incoming copy wins (a delta replaces the whole record). */
  key: (item: T) => string | number;
  /** A sort comparator putting the newest first. */
  newestFirst: (a: T, b: T) => number;
  /** How many items to keep. */
  cap: number;
  /** Which items go when the sorted list exceeds `limit`; default: the oldest. */
  trim?: (sorted: T[], limit: number) => T[];
}

/** Newest first by `id` (the store's insertion order, as the agent's list APIs sort). */
export function byIdNewestFirst(a: { id: number }, b: { id: number }): number {
  return b.id - a.id;
}

/**
 * Merge `incoming` (in arrival order) into `existing` and return a NEW array ordered, keyed and
 * capped by `spec`. Inputs are never mutated; with nothing to merge and `existing` within the cap,
 * `existing` itself is returned so callers can skip a render.
 */
export function mergeList<T>(spec: ListSpec<T>, existing: readonly T[], incoming: readonly T[], cap: number = spec.cap): readonly T[] {
  const limit = Math.max(0, Math.floor(cap));
  if (incoming.length === 0 && existing.length <= limit) return existing;
  const byKey = new Map<string | number, T>();
  for (const item of existing) byKey.set(spec.key(item), item);
  for (const item of incoming) byKey.set(spec.key(item), item);
  // Stable sort: items that compare equal (unparsable times) keep their relative order.
  const merged = [...byKey.values()].sort(spec.newestFirst);
  if (merged.length <= limit) return merged;
  return spec.trim === undefined ? merged.slice(0, limit) : spec.trim(merged, limit);
}
