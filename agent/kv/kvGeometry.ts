// KV-cache geometry of a model from /api/show's `model_info` (the flattened GGUF metadata), and the
// bytes that geometry costs at a given context. Pure. The arithmetic and the keys: docs/memory-and-kv.md.
//
//   bytes/token = Σ over growing layers of kv_heads × (key_length + value_length) × bytes/element
//   total       = bytes/token × ctx × parallel
//               + sliding-window layers × kv_heads × (k + v) × 2 B × swa cells   (always f16)
//               + recurrent state per sequence × parallel                        (always f32)
import type { KvCacheType } from '../../shared/models.js';

export interface KvGeometry {
  /** `general.architecture`, the prefix of every other key read. */
  architecture: string;
  /** `{arch}.block_count`: all layers. */
  blockCount: number;
  /** Layers whose KV cache grows with the context (full attention). Null when the heads are unknown. */
  kvLayers: number | null;
  /** Sliding-window layers: a KV cache of fixed size. */
  swaLayers: number | null;
  /** Linear-attention / SSM layers: a fixed recurrent state, no KV. */
  recurrentLayers: number | null;
  /** KV heads summed over the growing layers (per-layer head counts differ in hybrids). */
  kvHeadsFull: number | null;
  /** KV heads summed over the sliding-window layers. */
  kvHeadsSwa: number | null;
  /** Head dims. Null for MLA models (`kv_lora_rank`), whose cache is not K/V heads. */
  keyLength: number | null;
  valueLength: number | null;
  /** `{arch}.attention.sliding_window`; null when the model has none. */
  slidingWindow: number | null;
  /** Every Nth layer is full attention, the rest linear (qwen35, qwen35moe, qwen3next). */
  fullAttentionInterval: number | null;
  /** Recurrent state of one sequence, bytes; 0 without recurrent layers, null when the ssm.* keys are missing. */
  recurrentBytesPerSeq: number | null;
  /** `{arch}.context_length`: the trained maximum, not what the runner allocated. */
  contextTrain: number | null;
  /**
   * A per-layer array that the numbers depend on came back blanked (`[]` or `null`): non-verbose
   * /api/show drops arrays longer than 5 elements. Ask again with `verbose: true`.
   */
  needsVerbose: boolean;
}

export interface KvBytes {
  /** Per token of context in one sequence, growing layers only, at the cache type. */
  bytesPerToken: number | null;
  /** Sliding-window cache (f16) + recurrent state (f32), for all sequences. */
  fixedBytes: number | null;
  /** bytesPerToken × ctx × parallel + fixedBytes. */
  totalBytes: number | null;
}

/** Bytes per cache element; q8_0 / q4_0 are ggml blocks of 32 elements in 34 / 18 bytes. */
export const BYTES_PER_ELEMENT: Readonly<Record<KvCacheType, number>> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/** llama.cpp's micro-batch (`n_ubatch`), which the sliding-window cache holds on top of the window. */
const N_UBATCH = 512;

/**
 * Which layers slide, for architectures whose GGUF has a window but no pattern key (the real gemma3
 * and gpt-oss files carry none). True = sliding-window layer.
 */
const SWA_PATTERN: Readonly<Record<string, (il: number) => boolean>> = {
  gemma2: (il) => il % 2 === 0, // alternating, starting local
  gemma3: (il) => il % 6 < 5, // 5 local : 1 global; globals are 5, 11, 17, …
  'gpt-oss': (il) => il % 2 === 0, // even = sliding, odd = full
  gptoss: (il) => il % 2 === 0, // Ollama's own conversion names the architecture `gptoss`
};

/** Hybrids whose files may lack `full_attention_interval`; llama.cpp defaults it to 4 for them. */
const DEFAULT_FULL_ATTENTION_INTERVAL: Readonly<Record<string, number>> = { qwen35: 4, qwen35moe: 4, qwen3next: 4 };

type Obj = Record<string, unknown>;

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
const positive = (v: unknown): number | null => {
  const n = count(v);
  return n !== null && n > 0 ? n : null;
};

/** A per-layer value: a scalar for every layer, an array with one entry per layer, or blanked. */
type PerLayer<T> = { kind: 'ok'; at: (il: number) => T } | { kind: 'blank' } | { kind: 'absent' } | { kind: 'invalid' };

function perLayer<T>(v: unknown, layers: number, item: (x: unknown) => T | null): PerLayer<T> {
  if (v === undefined) return { kind: 'absent' };
  // Non-verbose /api/show blanks long arrays to [] (or null in some versions).
  if (v === null || (Array.isArray(v) && v.length === 0)) return { kind: 'blank' };
  if (Array.isArray(v)) {
    if (v.length !== layers) return { kind: 'invalid' };
    const items = v.map(item);
    if (items.some((x) => x === null)) return { kind: 'invalid' };
    return { kind: 'ok', at: (il) => items[il] as T };
  }
  const one = item(v);
  return one === null ? { kind: 'invalid' } : { kind: 'ok', at: () => one };
}

/**
 * `{arch}.attention.sliding_window_pattern` when present: a boolean per layer (true = sliding), or a
 * scalar period n as llama.cpp's `n_swa_pattern` reads it: every nth layer global, 0 = all sliding.
 */
function swaPatternKey(v: unknown, layers: number): PerLayer<boolean> {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { kind: 'ok', at: (il) => v === 0 || il % v < v - 1 };
  return perLayer(v, layers, (x) => (typeof x === 'boolean' ? x : null));
}

/** KV geometry from `model_info`, or null when it is not a GGUF-style map with an architecture and layers. */
export function kvGeometry(modelInfo: unknown): KvGeometry | null {
  if (typeof modelInfo !== 'object' || modelInfo === null || Array.isArray(modelInfo)) return null;
  const mi = modelInfo as Obj;
  const arch = mi['general.architecture'];
  if (typeof arch !== 'string' || arch === '') return null;
  // Exact `{arch}.` keys only: `clip.*` and `{arch}.vision.*` keys of multimodal models never match.
  const g = (k: string): unknown => mi[`${arch}.${k}`];
  const L = positive(g('block_count'));
  if (L === null) return null;

  let needsVerbose = false;

  // KV heads per layer: head_count_kv, else head_count (no GQA).
  const hkvRaw = g('attention.head_count_kv');
  const heads = perLayer(hkvRaw !== undefined ? hkvRaw : g('attention.head_count'), L, count);
  if (heads.kind === 'blank') needsVerbose = true;

  // Head dims; the embedding_length / head_count fallback is wrong for qwen3moe, hence keys first.
  const hq = count(g('attention.head_count'));
  const emb = positive(g('embedding_length'));
  const mla = g('attention.kv_lora_rank') !== undefined;
  const keyLength = mla ? null : (positive(g('attention.key_length')) ?? (emb !== null && hq && emb % hq === 0 ? emb / hq : null));
  const valueLength = mla ? null : (positive(g('attention.value_length')) ?? keyLength);

  const slidingWindow = positive(g('attention.sliding_window'));
  const fullAttentionInterval = positive(g('full_attention_interval')) ?? DEFAULT_FULL_ATTENTION_INTERVAL[arch] ?? null;

  // Which layers slide: the pattern key, else the architecture table, else none.
  let sliding: ((il: number) => boolean) | null = () => false;
  if (slidingWindow !== null) {
    const key = swaPatternKey(g('attention.sliding_window_pattern'), L);
    const table = SWA_PATTERN[arch] ?? null;
    if (key.kind === 'ok') sliding = key.at;
    else if (key.kind === 'blank') {
      needsVerbose = true;
      sliding = table;
    } else sliding = table ?? (() => false);
  }

  let kvLayers: number | null = null;
  let swaLayers: number | null = null;
  let recurrentLayers: number | null = null;
  let kvHeadsFull: number | null = null;
  let kvHeadsSwa: number | null = null;
  if (heads.kind === 'ok' && sliding !== null) {
    kvLayers = swaLayers = recurrentLayers = kvHeadsFull = kvHeadsSwa = 0;
    for (let il = 0; il < L; il++) {
      const hkv = heads.at(il);
      const linear = fullAttentionInterval !== null && il % fullAttentionInterval !== fullAttentionInterval - 1;
      if (hkv === 0 || linear) recurrentLayers++;
      else if (sliding(il)) {
        swaLayers++;
        kvHeadsSwa += hkv;
      } else {
        kvLayers++;
        kvHeadsFull += hkv;
      }
    }
  }

  return {
    architecture: arch,
    blockCount: L,
    kvLayers,
    swaLayers,
    recurrentLayers,
    kvHeadsFull,
    kvHeadsSwa,
    keyLength,
    valueLength,
    slidingWindow,
    fullAttentionInterval,
    recurrentBytesPerSeq: recurrentLayers === null ? null : recurrentLayers === 0 ? 0 : recurrentState(g, recurrentLayers),
    contextTrain: positive(g('context_length')),
    needsVerbose,
  };
}

/**
 * llama.cpp's recurrent memory (f32), per sequence: conv state (d_conv − 1) × (d_inner + 2 × n_group
 * × d_state) plus SSM state d_state × d_inner, per recurrent layer. Qwen3.5-35B-A3B: 30 layers ×
 * (128 × 4096 + 3 × (4096 + 2 × 16 × 128)) × 4 B = 62.81 MiB, the 62.8 MiB floor measured for it.
 */
function recurrentState(g: (k: string) => unknown, layers: number): number | null {
  const dState = positive(g('ssm.state_size'));
  const dInner = positive(g('ssm.inner_size'));
  const dConv = positive(g('ssm.conv_kernel'));
  const nGroup = count(g('ssm.group_count')) ?? 0; // optional in llama.cpp (Mamba-1 has none)
  if (dState === null || dInner === null || dConv === null) return null;
  return layers * (dState * dInner + (dConv - 1) * (dInner + 2 * nGroup * dState)) * 4;
}

const pad256 = (n: number): number => Math.ceil(n / 256) * 256;

/**
 * Bytes the geometry costs for `parallel` sequences of `ctx` tokens each. The sliding-window cache
 * holds min(ctx × parallel, window × parallel + n_ubatch) cells padded to 256 (llama.cpp
 * `llama-kv-cache-iswa.cpp`), in f16 whatever the main cache type (llama.cpp#21277).
 */
export function kvBytes(geom: KvGeometry, opts: { ctx: number; parallel: number; cacheType: KvCacheType }): KvBytes {
  const { ctx, parallel, cacheType } = opts;
  const k = geom.keyLength;
  const v = geom.valueLength;
  const dims = k !== null && v !== null ? k + v : null;
  const bytesPerToken = dims !== null && geom.kvHeadsFull !== null ? geom.kvHeadsFull * dims * BYTES_PER_ELEMENT[cacheType] : null;

  const swaBytes = swaCacheBytes(geom, ctx, parallel);
  const recurrent = geom.recurrentBytesPerSeq === null ? null : geom.recurrentBytesPerSeq * parallel;
  const fixedBytes = swaBytes !== null && recurrent !== null ? swaBytes + recurrent : null;
  const totalBytes = bytesPerToken !== null && fixedBytes !== null ? bytesPerToken * ctx * parallel + fixedBytes : null;
  return { bytesPerToken, fixedBytes, totalBytes };
}

/** The sliding-window layers' cache for `parallel` sequences of `ctx` tokens (see kvBytes); 0 without such layers. */
export function swaCacheBytes(geom: KvGeometry, ctx: number, parallel: number): number | null {
  if (geom.kvHeadsSwa === null) return null;
  if (geom.kvHeadsSwa === 0) return 0;
  const k = geom.keyLength;
  const v = geom.valueLength;
  if (k === null || v === null || geom.slidingWindow === null) return null;
  const cells = pad256(Math.min(ctx * parallel, geom.slidingWindow * parallel + N_UBATCH));
  return geom.kvHeadsSwa * (k + v) * BYTES_PER_ELEMENT.f16 * cells;
}
