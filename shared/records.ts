// Records shared by the agent and the dashboard (docs/records.md). Field names follow docs/analyze-json.md so the
// JSON the API serves, the WebSocket pushes and `analyze --json` prints stay one vocabulary.
// Unknown facts are `null`, never 0 or a guess.
import type { PressureLevel } from './memory.js';

export type Backend = 'mlx' | 'metal' | 'cuda' | 'rocm' | 'vulkan' | 'cpu' | 'unknown';
export type RequestKind = 'inference' | 'other';
export type Engine = 'mlx' | 'llama.cpp' | 'ollama-engine';
export type LoadOutcome = 'ready' | 'failed' | 'stopped';
export type IncidentKind =
  | 'mlx_fallback'
  | 'mlx_on_cpu'
  | 'mlx_failed'
  | 'mlx_unavailable'
  | 'mlx_working_set'
  | 'gpu_fallback'
  | 'partial_offload'
  | 'context_near_limit'
  | 'context_truncated'
  | 'context_shift'
  | 'runner_crash'
  | 'oom'
  | 'memory_pressure'
  | 'throughput_regression'
  /** Ollama did not answer the proxy (`--proxy`): clients got a 502. */
  | 'upstream_down';

/** Every kind, in docs/records.md's order: for validating input (`--mute`, `?kind=`). */
export const INCIDENT_KINDS: readonly IncidentKind[] = [
  'mlx_fallback',
  'mlx_on_cpu',
  'mlx_failed',
  'mlx_unavailable',
  'mlx_working_set',
  'gpu_fallback',
  'partial_offload',
  'context_near_limit',
  'context_truncated',
  'context_shift',
  'runner_crash',
  'oom',
  'memory_pressure',
  'throughput_regression',
  'upstream_down',
];

export interface DeviceInfo {
  library: string;
  name: string | null;
  totalBytes: number | null;
}

/** One `ollama serve` process (docs/records.md#serverrun). */
export interface ServerRunRecord {
  id: number;
  /** Start time (the `Listening on` line), ISO-8601 with offset when known. */
  at: string | null;
  version: string | null;
  address: string | null;
  /** The `server config` env map. */
  config: Record<string, string>;
  devices: DeviceInfo[];
  /** `vram-based default context`, when logged. */
  defaultCtx: number | null;
}

/** One model load, a runner process (docs/records.md#modelload); keys as in docs/analyze-json.md. */
export interface LoadRecord {
  id: number;
  at: string | null;
  /** Ollama model name, or null while only the blob is known. */
  model: string | null;
  /** `sha256-…` digest of the GGUF blob, when the log names it. */
  blob: string | null;
  /** The GGUF's own `general.name` (e.g. `Qwen2.5 7B Instruct`): a display hint, not an Ollama name. */
  displayName: string | null;
  engine: Engine | null;
  backend: Backend | null;
  /** MLX device (`gpu` / `cpu`). */
  device: string | null;
  /** Context per sequence. */
  ctx: number | null;
  parallel: number | null;
  /** KV cache allocated across all devices. */
  kvBytes: number | null;
  gpuLayers: number | null;
  totalLayers: number | null;
  loadSeconds: number | null;
  outcome: LoadOutcome | null;
  error: string | null;
  /** `/api/ps` size (weights + KV + graph, Ollama's estimate), once the API has listed this load. */
  sizeBytes: number | null;
  /** `/api/ps` size_vram: the part on the GPU (equal to sizeBytes means 100% GPU). */
  vramBytes: number | null;
  /** When `/api/ps` stopped listing it (unloaded, expired or the runner died). */
  unloadedAt: string | null;
  /** Which sense saw it: the log, `/api/ps`, or both (merged into one record). */
  seenBy: 'log' | 'api' | 'both';
}

/** The part of a load only the API knows; the log's correlator never sets these. */
export type ApiLoadFields = 'sizeBytes' | 'vramBytes' | 'unloadedAt' | 'seenBy';

export interface IncidentRecord {
  id: number;
  at: string | null;
  kind: IncidentKind;
  model: string | null;
  /** What happened and the evidence, in one sentence. */
  detail: string;
  loadId: number | null;
  requestId: number | null;
}

export interface RequestRecord {
  /** Row id in the store; stable across restarts. */
  id: number;
  /** End of the request (the access-log line's time), ISO-8601, with offset when known. */
  at: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  client: string;
  kind: RequestKind;
  model: string | null;
  backend: Backend | null;
  promptTokens: number | null;
  completionTokens: number | null;
  prefillTps: number | null;
  decodeTps: number | null;
  ctxUsed: number | null;
  ctxLimit: number | null;
  truncated: boolean | null;
  /** The load it ran on, when attributable. */
  loadId: number | null;
  /** Who saw it: the log's access line, the proxy (`--proxy`), or both (merged into one row; tokens from the proxy). */
  source: 'log' | 'proxy' | 'both';
  // Memory. Each is null when unknown: never estimated beyond what the facts give.
  /** Memory the log states for this request (MLX `peak memory`). */
  peakMemoryBytes: number | null;
  /** Memory the load that served it held then: `/api/ps` size, else the log's totals for that load (weights + KV + compute graph as printed). */
  modelMemoryBytes: number | null;
  /** KV cache allocated for that load: the log's KV size, else its geometry at the load's context (live agent). */
  kvBytes: number | null;
  /**
   * The part of the KV cache this request's context filled: context tokens × the model's KV bytes per
   * token (a sliding-window layer holds at most its window; recurrent layers hold no KV). MLX logs no
   * output count, so there the prompt's tokens are used: what the cache holds at least.
   */
  kvUsedBytes: number | null;
  /** kvUsedBytes ÷ kvBytes, 0–1. */
  kvFill: number | null;
  /** The machine sample nearest the request's end, taken only when one lies within two sampling intervals. */
  memoryUsedBytes: number | null;
  memoryPressure: PressureLevel | null;
  swapUsedBytes: number | null;
  ollamaFootprintBytes: number | null;
}

/** The part of a request only the proxy knows; the log's correlator never sets these. */
export type ProxyRequestFields = 'source';

/** The part of a request only the live agent knows (the machine's samples): set when it is stored. */
export type LiveRequestFields = 'memoryUsedBytes' | 'memoryPressure' | 'swapUsedBytes' | 'ollamaFootprintBytes';

/**
 * What the live agent adds to a request as it is stored; all null when it knows nothing. Its
 * `modelMemoryBytes` (the load's /api/ps size) replaces the log's figure for the load when known.
 */
export type RequestLiveMemory = Pick<RequestRecord, LiveRequestFields | 'modelMemoryBytes'>;
