// Words for a loaded model's card ("Loaded now"): engine, backend, GPU share and layers, context,
// KV cache, speeds, expiry. Pure; unknown values are shown as UNKNOWN ("—"), never 0.
import type { KvSizing, LoadedModel } from '../../../shared/models.js';
import type { Backend, LoadRecord } from '../../../shared/records.js';
import type { OllamaStatus } from '../../../shared/status.js';
import { formatBytes, formatBytesShort, formatCount, formatNumber, UNKNOWN } from './format.js';

/** Above this relative gap between the KV estimate and the log, the log's figure is shown. */
export const KV_AGREEMENT = 0.05;

const ENGINES: Record<string, string> = { gguf: 'llama.cpp', safetensors: 'MLX' };

/** "gguf → llama.cpp", "safetensors → MLX"; the bare format when its engine is not known. */
export function engineText(format: string | null): string {
  if (format === null || format === '') return UNKNOWN;
  const engine = ENGINES[format.toLowerCase()];
  return engine === undefined ? format : `${format} → ${engine}`;
}

/** "7.6B · Q4_K_M", or null when neither is known. */
export function modelDetailText(model: Pick<LoadedModel, 'parameterSize' | 'quantization'>): string | null {
  const parts = [model.parameterSize, model.quantization].filter((p): p is string => p !== null && p !== '');
  return parts.length === 0 ? null : parts.join(' · ');
}

/**
 * Where the model sits: "100% GPU", "100% CPU" or "62% GPU · 38% CPU", like `ollama ps`. A
 * partial offload never rounds to 100% (or 0%) so it cannot pass for a full one.
 */
export function gpuShareText(sizeBytes: number | null, vramBytes: number | null): string {
  if (sizeBytes === null || vramBytes === null || !(sizeBytes > 0) || vramBytes < 0) return UNKNOWN;
  if (vramBytes >= sizeBytes) return '100% GPU';
  if (vramBytes === 0) return '100% CPU';
  const gpu = Math.min(99, Math.max(1, Math.round((vramBytes / sizeBytes) * 100)));
  return `${gpu}% GPU · ${100 - gpu}% CPU`;
}

/** Context per sequence, "× N" when several sequences share the cache. */
export function contextText(model: Pick<LoadedModel, 'contextLength' | 'kv'>): string {
  const ctx = model.contextLength ?? model.kv?.ctx ?? null;
  if (ctx === null) return UNKNOWN;
  const parallel = model.kv?.parallel ?? null;
  return parallel !== null && parallel > 1 ? `${formatCount(ctx)} × ${parallel}` : formatCount(ctx);
}

/** "96 KiB/token". */
export function kvPerTokenText(kv: KvSizing | null): string {
  const perToken = kv?.bytesPerToken ?? null;
  return perToken === null ? UNKNOWN : `${formatBytesShort(perToken)}/token`;
}

/** The KV cache allocated: the estimate, and what the log says when a log load matched. */
export function kvAllocatedText(kv: KvSizing | null): string {
  const estimated = kv?.estimatedBytes ?? null;
  const logged = kv?.loggedBytes ?? null;
  const head = formatBytes(estimated);
  if (logged === null) return head;
  const gap = kv?.disagreement ?? (estimated !== null && logged > 0 ? Math.abs(estimated - logged) / logged : null);
  if (estimated !== null && gap !== null && gap <= KV_AGREEMENT) return `${head} · log agrees`;
  return `${head} · log says ${formatBytes(logged)}`;
}

/** "≈ 12,345 more tokens": what the memory free now would hold at this model's bytes per token. */
export function roomText(moreTokens: number | null): string {
  if (moreTokens === null || !Number.isFinite(moreTokens)) return UNKNOWN;
  const n = Math.max(0, moreTokens);
  return `≈ ${formatCount(n)} more ${Math.round(n) === 1 ? 'token' : 'tokens'}`;
}

/**
 * The backend a loaded model runs on: its load record's, else what its format implies
 * (safetensors → MLX); null when neither is known.
 */
export function modelBackend(model: Pick<LoadedModel, 'format'>, load: Pick<LoadRecord, 'backend'> | null | undefined): Backend | null {
  if (load?.backend != null) return load.backend;
  return model.format?.toLowerCase() === 'safetensors' ? 'mlx' : null;
}

/** "33/33", "31/33", "—" when the load did not say. */
export function gpuLayersText(load: Pick<LoadRecord, 'gpuLayers' | 'totalLayers'> | null | undefined): string {
  const gpu = load?.gpuLayers ?? null;
  const total = load?.totalLayers ?? null;
  if (gpu === null) return UNKNOWN;
  return `${gpu}/${total ?? UNKNOWN}`;
}

/** KV cache size: the estimate, else what the log allocated. */
export function kvCacheBytes(model: Pick<LoadedModel, 'kv'>, load: Pick<LoadRecord, 'kvBytes'> | null | undefined): number | null {
  return model.kv?.estimatedBytes ?? load?.kvBytes ?? null;
}

/** "54.3 tok/s", "865 tok/s", "—". */
export function tpsText(tps: number | null): string {
  if (tps === null || !Number.isFinite(tps)) return UNKNOWN;
  return `${formatNumber(tps, tps < 100 ? 1 : 0)} tok/s`;
}

/** "free memory fits ≈ 185,196 more KV tokens", "—": free memory, not room left in the context window. */
export function kvRoomText(moreTokens: number | null): string {
  if (moreTokens === null || !Number.isFinite(moreTokens)) return UNKNOWN;
  const n = Math.max(0, Math.round(moreTokens));
  return `free memory fits ≈ ${formatCount(n)} more KV ${n === 1 ? 'token' : 'tokens'}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** `ollama ps` shows "Forever" for expiry times this far ahead (keep_alive < 0). */
const FOREVER = 20 * 365 * DAY;

/** "in 42 s", "in 4 min", "in 2 h 5 min", "in 3 days"; "stopping…" once past; "never" for keep_alive < 0. */
export function expiresText(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return UNKNOWN;
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return UNKNOWN;
  const ms = at - now;
  if (ms <= 0) return 'stopping…';
  if (ms >= FOREVER) return 'never';
  const seconds = Math.max(1, Math.round(ms / SECOND));
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) return `in ${minutes} min`;
  if (ms < 2 * DAY) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `in ${h} h` : `in ${h} h ${m} min`;
  }
  return `in ${Math.round(ms / DAY)} days`;
}

/** What the section says when nothing is listed. */
export function loadedModelsEmptyText(ollama: OllamaStatus | null, checked = true): string {
  if (ollama?.state === 'unreachable') return 'Ollama unreachable — cannot tell which models are loaded.';
  return checked ? 'No model loaded' : 'Asking Ollama which models are loaded…';
}
