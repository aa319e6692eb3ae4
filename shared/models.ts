// What Ollama's API says is loaded right now, with the KV-cache sizing derived from `/api/show`.

export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';

/** KV-cache arithmetic for one loaded model (docs/memory-and-kv.md). */
export interface KvSizing {
  /** Cache element type assumed (OLLAMA_KV_CACHE_TYPE from the server config, else f16). */
  cacheType: KvCacheType;
  /** Bytes each token of context adds, over all sequences' growing (non-sliding) layers. */
  bytesPerToken: number | null;
  /** Fixed part: sliding-window layers, recurrent state. */
  fixedBytes: number | null;
  /** Context per sequence allocated (`/api/ps` context_length, else the log's). */
  ctx: number | null;
  parallel: number | null;
  /** bytesPerToken × ctx × parallel + fixedBytes. */
  estimatedBytes: number | null;
  /** What the log says was allocated, when a log load matches. */
  loggedBytes: number | null;
  /** |estimated − logged| / logged, when both are known. */
  disagreement: number | null;
  /** Memory available now (from the latest memory sample). */
  freeBytes: number | null;
  /** How many more tokens of context that free memory would hold at bytesPerToken. */
  moreTokens: number | null;
}

/** One entry of `/api/ps`, merged with what else is known about it. */
export interface LoadedModel {
  name: string;
  /** Manifest digest from /api/ps. */
  digest: string | null;
  /** `sha256-…` weights blob, from the FROM line of /api/show's modelfile. */
  blob: string | null;
  /** `gguf` (llama.cpp) or `safetensors` (MLX runner). */
  format: string | null;
  family: string | null;
  architecture: string | null;
  parameterSize: string | null;
  quantization: string | null;
  sizeBytes: number | null;
  vramBytes: number | null;
  contextLength: number | null;
  expiresAt: string | null;
  /** The stored load this is (from the log, or created from the API when the log has none). */
  loadId: number | null;
  kv: KvSizing | null;
}
