// Pure list logic for the request table (no Svelte here, so vitest can import it directly).
import type { RequestRecord } from '../../../shared/records.js';

/** How many rows the dashboard keeps in memory and renders. */
export const DEFAULT_REQUEST_CAP = 500;

/**
 * Merge `incoming` into `existing` and return a NEW array: de-duplicated by `id` (the incoming
 * copy wins), newest first (highest `id` first, the same order as `GET /api/requests`), and at
 * most `cap` rows (the oldest are dropped). Inputs are never mutated. When there is nothing to
 * merge and `existing` already fits, `existing` itself is returned so callers can skip a render.
 */
export function mergeRequests(
  existing: readonly RequestRecord[],
  incoming: readonly RequestRecord[],
  cap: number = DEFAULT_REQUEST_CAP,
): readonly RequestRecord[] {
  const limit = Math.max(0, Math.floor(cap));
  if (incoming.length === 0 && existing.length <= limit) return existing;
  const byId = new Map<number, RequestRecord>();
  for (const record of existing) byId.set(record.id, record);
  for (const record of incoming) byId.set(record.id, record);
  const merged = [...byId.values()].sort((a, b) => b.id - a.id);
  return merged.length > limit ? merged.slice(0, limit) : merged;
}
