// How much of a load's KV cache one request's context fills. Pure. From the model's geometry (live
// agent, /api/show) or, with no API, from what the log states of a plain cache (size and cells).
// Recurrent (linear-attention) layers hold a fixed state, not KV: they count in neither figure.
import type { KvCacheType } from '../../shared/models.js';
import { BYTES_PER_ELEMENT, swaCacheBytes, type KvGeometry } from './kvGeometry.js';

/**
 * KV bytes `tokens` of one sequence's context occupy: every growing layer holds all of them, a
 * sliding-window layer at most its window (in f16, whatever the main cache type, as llama.cpp does).
 */
export function kvUsedBytes(geom: KvGeometry, tokens: number, cacheType: KvCacheType): number | null {
  const k = geom.keyLength;
  const v = geom.valueLength;
  if (k === null || v === null || geom.kvHeadsFull === null || geom.kvHeadsSwa === null || tokens < 0) return null;
  const dims = k + v;
  const full = geom.kvHeadsFull * dims * BYTES_PER_ELEMENT[cacheType] * tokens;
  if (geom.kvHeadsSwa === 0) return Math.round(full);
  if (geom.slidingWindow === null) return null;
  return Math.round(full + geom.kvHeadsSwa * dims * BYTES_PER_ELEMENT.f16 * Math.min(tokens, geom.slidingWindow));
}

/** KV cache a load of `parallel` sequences of `ctx` tokens allocates: growing layers plus the sliding-window cache. */
export function kvAllocatedBytes(geom: KvGeometry, ctx: number, parallel: number, cacheType: KvCacheType): number | null {
  const k = geom.keyLength;
  const v = geom.valueLength;
  if (k === null || v === null || geom.kvHeadsFull === null || ctx <= 0 || parallel <= 0) return null;
  const swa = swaCacheBytes(geom, ctx, parallel);
  if (swa === null) return null;
  return Math.round(geom.kvHeadsFull * (k + v) * BYTES_PER_ELEMENT[cacheType] * ctx * parallel + swa);
}

/**
 * From the log alone: a plain (non-sliding, non-recurrent) cache of `sizeBytes` over `cells` holds
 * sizeBytes ÷ cells per token. Null for anything else.
 */
export function kvUsedFromLog(sizeBytes: number | null, cells: number | null, tokens: number): number | null {
  if (sizeBytes === null || cells === null || cells <= 0 || tokens < 0) return null;
  return Math.round((tokens * sizeBytes) / cells);
}

/** used ÷ allocated, 0–1 (a context past the estimate is a full cache), to four decimals. */
export function kvFill(used: number | null, allocated: number | null): number | null {
  if (used === null || allocated === null || allocated <= 0) return null;
  return Math.round(Math.min(1, used / allocated) * 10_000) / 10_000;
}
