// Records shared by the agent and the dashboard (docs/records.md). Field names follow docs/analyze-json.md so the
// JSON the API serves, the WebSocket pushes and `analyze --json` prints stay one vocabulary.
// Unknown facts are `null`, never 0 or a guess.
import type { ChannelStatus } from './alerts.js';
import type { MachineInfo, PressureLevel, ProbeStatus } from './memory.js';

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
  'mlx_fallback', 'mlx_on_cpu', 'mlx_failed', 'mlx_unavailable', 'mlx_working_set', 'gpu_fallback', 'partial_offload',
  'context_near_limit', 'context_truncated', 'context_shift', 'runner_crash', 'oom', 'memory_pressure', 'throughput_regression',
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

export interface SourceStatus {
  /** The file followed, or `journal:UNIT` for a systemd journal source. */
  path: string;
  /** `dev:ino` of the file being read (or the journal cursor's unit), null before the first read. */
  identity: string | null;
  /** `waiting`: the file does not exist (yet); `following`: tailing it; `error`: see `lastError`. */
  state: 'waiting' | 'following' | 'error';
  offset: number;
  size: number | null;
  lagBytes: number | null;
  linesRead: number;
  /** Lines no parser rule recognised (counted, never fatal; `analyze` shows samples). */
  unparsed: number;
  /** Lines longer than 1 MiB, stored cut at that length. */
  linesCut: number;
  lastError: string | null;
}

export interface OllamaStatus {
  url: string;
  state: 'unknown' | 'reachable' | 'unreachable';
  /** Version reported by the API, else the last `Listening on … (version X)` seen in the log. */
  version: string | null;
  lastError: string | null;
  checkedAt: string | null;
}

/** The transparent proxy (`--proxy LISTEN=UPSTREAM`) and the Ollama behind it. */
export interface ProxyStatus {
  listen: string;
  upstream: string;
  /** `listening` once bound; `error` when it could not bind (see lastError). */
  state: 'starting' | 'listening' | 'error';
  /** Whether the last attempt to reach Ollama behind the proxy worked. */
  upstreamState: 'unknown' | 'reachable' | 'unreachable';
  lastError: string | null;
  lastErrorAt: string | null;
  /** Requests forwarded since the start. */
  forwarded: number;
  /** Requests answered 502 because Ollama could not be reached. */
  upstreamErrors: number;
  /** Faults while recording (never while forwarding): a throw in the scanner, a failed write. */
  recordErrors: number;
  /** Requests merged into the log's row of the same request / stored as proxy-only rows. */
  merged: number;
  proxyOnly: number;
}

/** The agent's own health, in /api/health's `self` and /metrics. */
export interface AgentSelfStats {
  /** Log lines read per second over the last minute; null until a second has been seen. */
  linesPerSecond: number | null;
  /** Lines no parser rule recognised, over all sources (the sum of their `unparsed`). */
  parseErrors: number;
  /** Bytes written to the sources and not read yet, summed; null when no source knows. */
  lagBytes: number | null;
  wsClients: number;
  /** WebSocket clients dropped for falling too far behind, since the agent started. */
  droppedWsClients: number;
}

export interface AgentStatus {
  agentVersion: string;
  ollama: OllamaStatus;
  sources: SourceStatus[];
  /** Total stored requests. */
  requestCount: number;
  /** The machine's hardware, read once at start; null until then. */
  machine: MachineInfo | null;
  /** Each memory probe and whether it works here. */
  probes: ProbeStatus[];
  /** Alert notification channels (webhooks, ntfy, macOS) and how they are doing. */
  channels: ChannelStatus[];
  /** The transparent proxy, when `--proxy` is on. */
  proxy?: ProxyStatus | null;
  /** The agent's own figures: read rate, parse errors, lag, WebSocket clients. */
  self?: AgentSelfStats;
  /** `--context-alert-ratio`: a request whose context or KV cache fill reaches it is flagged (dashboards colour at it). */
  contextAlertRatio?: number;
}
