// KV-cache sizing of one loaded model: the estimate from its geometry, set against what the log says
// was allocated and what memory is still free. Pure; every unknown input leaves its outputs null
// rather than guessing (an unknown is null, never a guess).
import type { KvCacheType, KvSizing } from '../../shared/models.js';
import { kvBytes, type KvGeometry } from './kvGeometry.js';

export interface KvSizingInput {
  geometry: KvGeometry | null;
  /** Context per sequence (`/api/ps` context_length, else the log's). */
  ctx: number | null;
  parallel: number | null;
  cacheType: KvCacheType;
  /** KV bytes the log reports for this load. */
  loggedBytes: number | null;
  /** Memory available now. */
  freeBytes: number | null;
}

export function kvSizing(input: KvSizingInput): KvSizing {
  const { geometry, ctx, parallel, cacheType, loggedBytes, freeBytes } = input;
  let bytesPerToken: number | null = null;
  let fixedBytes: number | null = null;
  let estimatedBytes: number | null = null;
  if (geometry) {
    const known = ctx !== null && ctx > 0 && parallel !== null && parallel > 0;
    // bytesPerToken does not depend on ctx or parallel, so any positive values give it.
    const b = kvBytes(geometry, { ctx: known ? ctx : 1, parallel: known ? parallel : 1, cacheType });
    bytesPerToken = b.bytesPerToken;
    if (known) {
      fixedBytes = b.fixedBytes;
      estimatedBytes = b.totalBytes;
    } else if (geometry.kvHeadsSwa === 0 && geometry.recurrentBytesPerSeq === 0) {
      // Nothing fixed to size, whatever the context.
      fixedBytes = 0;
    }
  }
  return {
    cacheType,
    bytesPerToken,
    fixedBytes,
    ctx,
    parallel,
    estimatedBytes,
    loggedBytes,
    disagreement:
      estimatedBytes !== null && loggedBytes !== null && loggedBytes > 0 ? Math.abs(estimatedBytes - loggedBytes) / loggedBytes : null,
    freeBytes,
    // A model with no growing layer (pure SSM) never runs out this way: no number to give.
    moreTokens:
      freeBytes !== null && bytesPerToken !== null && bytesPerToken > 0 ? Math.max(0, Math.floor(freeBytes / bytesPerToken)) : null,
  };
}

const CACHE_TYPES: readonly KvCacheType[] = ['f16', 'q8_0', 'q4_0'];

/**
 * The cache type Ollama was configured with: `OLLAMA_KV_CACHE_TYPE` from the server config map
 * (the `server config` log line), case-insensitive as Ollama reads it. Unset, empty or a value
 * Ollama does not accept means f16, Ollama's default. (Ollama also falls back to f16 when flash
 * attention is off; the config alone cannot always tell that, so it is not inferred here.)
 */
export function cacheTypeFromConfig(env: Record<string, string>): KvCacheType {
  const raw = (env.OLLAMA_KV_CACHE_TYPE ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  return (CACHE_TYPES as readonly string[]).includes(raw) ? (raw as KvCacheType) : 'f16';
}
