// Appending what the WebSocket brings to the 1 h view, without refetching.
import type { MemorySample } from '../../../../shared/memory.js';
import type { RequestRecord } from '../../../../shared/records.js';
import { atMs } from './timeline.js';

/**
 * Fetched samples (oldest first) + live samples (newest first, from the live store) → oldest first,
 * only live samples newer than the last fetched one, and nothing before `from`.
 */
export function appendLiveSamples(fetched: readonly MemorySample[], live: readonly MemorySample[], from: number): MemorySample[] {
  const lastFetched = fetched.length === 0 ? Number.NEGATIVE_INFINITY : (atMs(fetched[fetched.length - 1]!.at) ?? Number.NEGATIVE_INFINITY);
  const fresh: MemorySample[] = [];
  for (const s of live) {
    const t = atMs(s.at);
    if (t === null || t <= lastFetched) break;
    fresh.push(s);
  }
  fresh.reverse();
  return [...fetched, ...fresh].filter((s) => (atMs(s.at) ?? Number.NEGATIVE_INFINITY) >= from);
}

/** Fetched requests + live ones, de-duplicated by id, newest first. */
export function appendLiveRequests(fetched: readonly RequestRecord[], live: readonly RequestRecord[]): RequestRecord[] {
  if (live.length === 0) return [...fetched];
  const seen = new Set<number>();
  const out: RequestRecord[] = [];
  for (const r of [...live, ...fetched]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
  }
  return out.sort((a, b) => b.id - a.id);
}
