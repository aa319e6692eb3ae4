// The correlator's whole state: plain JSON, so the live agent saves it at the source's resume point
// with the rows it produced and a restart continues exactly where it stopped.
import type { Backend, Engine } from '../../shared/records.js';
import type { NewServerRun } from './records.js';

export type LoadStatus = 'loading' | 'ready' | 'failed' | 'stopped';

export interface LoadState {
  key: number;
  serverKey: number | null;
  at: string | null;
  ts: number | null;
  model: string | null;
  blob: string | null;
  /** The GGUF's own `general.name`, shown while the Ollama name is unknown. */
  displayName: string | null;
  engine: Engine | null;
  /** Context per sequence, once known from any era's evidence. */
  ctx: number | null;
  /** Total context (`--ctx-size`, `n_ctx`, `KvSize`), divided by `parallel` when that is known. */
  ctxTotal: number | null;
  parallel: number | null;
  /** Sum of llama.cpp `KV buffer size` lines. */
  kvBuffers: number | null;
  /** Sum of the Ollama engine's `kv cache device=` lines (used when llama.cpp prints none). */
  kvDevices: number | null;
  /** Sum of the per-cache `llama_kv_cache: size =` lines. */
  kvTotal: number | null;
  /** `KV self size` (2023–2024): the whole context's KV cache, stated at once. */
  kvSelf: number | null;
  /** 2023's `VRAM kv self`: the GPU's share of the KV cache (all of it when every layer is offloaded). */
  vramKv: number | null;
  /** A line of this load's set-up came after its KV lines: the per-device list is over. */
  kvClosed: boolean;
  /** Caches still to be listed: a sliding-window model announces two (`creating non-SWA KV cache`). */
  kvCachesLeft: number;
  /** KV and weights lines by device as printed (`CUDA1`, `CPU`, `MTL0`; `_Mapped` dropped). */
  kvDeviceNames: string[];
  weightDeviceNames: string[];
  /** The load was open before its first weights line (the list of weights devices is whole). */
  weightsFromStart: boolean;
  /** Something of the context set-up (ctx, KV, compute lines) followed the weights list: it is over. */
  weightsClosed?: boolean;
  /**
   * The load was open before its first KV line: false when a KV line opened it (a log cut in the
   * middle of the per-device list), whose sum and device list are then only part of the truth.
   */
  kvFromStart: boolean;
  /**
   * The last `llama_kv_cache: size = … (N cells …)` summary: bytes and cells (absent in resume points
   * saved before the summary was kept).
   */
  kvSummaryBytes?: number | null;
  kvCells?: number | null;
  /** Summary lines seen: more than one (iSWA logs two) means not one plain cache. */
  kvSummaries?: number;
  /** A sliding-window or recurrent cache was logged: size ÷ cells is no per-token figure. */
  kvLayered?: boolean;
  /** Sums of llama.cpp's model (weights) and compute buffer lines, and the Ollama engine's `total memory`. */
  modelBuffers?: number | null;
  computeBuffers?: number | null;
  totalMemory?: number | null;
  /** Device families holding KV cache (`metal`, `cuda`, `cpu`…). */
  kvFamilies: Backend[];
  /** Device families holding the weights (`load_tensors: CUDA0 model buffer size`). */
  weightFamilies: Backend[];
  /** Weights or KV cache in GPU memory whose device the line did not name (2023's `VRAM used`, `VRAM kv self`). */
  gpuPlaced: boolean;
  gpuLayers: number | null;
  totalLayers: number | null;
  /** `-ngl` / `--n-gpu-layers` / `GPULayers:` from the command or load request. */
  requestedGpuLayers: number | null;
  /** `GPULayers:N[ID:…]` of the runner's own load request: layers it assigned to a GPU it has. */
  assignedGpuLayers: number | null;
  /** Library the scheduler named for this load (`offload library=`, `gpu memory library=`): what it planned. */
  library: string | null;
  /** The runner binary's variant (`runners/cuda_v11/`, `cpu_avx2`): the backend it was built for. */
  runnerLibrary: string | null;
  /** GPU backends the runner's own output says it loaded (`load_backend`, `ggml_cuda_init`, `using device`…). */
  hints: Backend[];
  gpuUnsupported: boolean;
  mlxDevice: string | null;
  loadSeconds: number | null;
  status: LoadStatus;
  /** Epoch ms at which it failed, so a request that ended with the crash can still be tied to it. */
  endedTs: number | null;
  error: string | null;
  /** Load-level incidents (backend, offload) were checked. */
  checked: boolean;
  /** Opened by a line after the load's start (the slice began later): its `at` is not when it began. */
  implicit: boolean;
  /** A runner command line was seen (era F logs `using llama-server` first, then the command). */
  hasCmd: boolean;
}

/** Per-request facts seen since the last inference request, waiting for its access-log line. */
export interface Evidence {
  engine: Engine | null;
  /** Request starts seen (`new prompt`, MLX cache lines); more than one means they cannot be split. */
  starts: number;
  /** Final prompt timings seen: the one per-request marker of runners before llama-server. */
  promptTimings: number;
  usingMlx: boolean;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  prefillTps: number | null;
  decodeTps: number | null;
  ctxUsed: number | null;
  ctxLimit: number | null;
  /** null: nothing said either way. */
  truncated: boolean | null;
  /** `truncating input prompt limit=N … new=K`: the limit the prompt was cut to, and the tokens kept. */
  truncLimit: number | null;
  keptTokens: number | null;
  /** Truncation lines seen: one per request in the Go-runner eras. */
  truncations: number;
  truncationDetail: string | null;
  shift: string | null;
  peakBytes: number | null;
  /** Epoch ms of the first line of evidence, to drop stale evidence. */
  firstMs: number | null;
}

export interface ServerState {
  run: NewServerRun;
  listened: boolean;
  /** The best GPU library `inference compute` reported, or `cpu` when that is all there is. */
  gpu: Backend | null;
  mlxExpected: boolean;
  /** `MLX dynamic library not available` was logged in this run: the reason for any MLX fallback. */
  mlxUnavailable: boolean;
}

export interface CorrelatorState {
  /** UTC offset learnt from the latest zoned (slog) timestamp; gin and Go-log print local time. */
  zone: string | null;
  /** Latest timestamp seen, with zone when known; raw runner lines have none of their own. */
  lastAt: string | null;
  nextKey: number;
  server: ServerState | null;
  /** Loads of the current server run that have not ended. */
  loads: LoadState[];
  /**
   * Runners the scheduler counts (`loaded runners count=N`) beyond the loads this log showed: a slice
   * that began after they were loaded. While there are any, a request cannot be pinned on the one known.
   */
  hiddenRunners: number;
  /** Epoch ms of the latest access-log line: a load failure after it is a new attempt. */
  lastRequestTs: number | null;
  /** GPU backends runner output named while no load was open (a slice that began mid-load), for the load it opens. */
  pendingHints: Backend[];
  /** A scheduler estimate (`offload library=`) logged before the runner it belongs to starts (eras B–D). */
  pendingLibrary: string | null;
  /** The last load-phase line was one llama.cpp prints before a weights list (`max token length`, `ggml ctx size`). */
  tensorsBegun?: boolean;
  evidence: Evidence;
  /** De-duplication keys of incidents already raised in the current server run. */
  raised: string[];
  /**
   * `MLX dynamic library not available` was the last thing logged: Ollama prints it before the
   * `server config` of the run it belongs to, so a run starting now inherits it.
   */
  mlxUnavailableBeforeStart: boolean;
  /** Metal's recommended working set, once the log printed it (a machine property: kept across runs). */
  workingSetBytes: number | null;
}

export function emptyEvidence(): Evidence {
  return {
    engine: null,
    starts: 0,
    promptTimings: 0,
    usingMlx: false,
    model: null,
    promptTokens: null,
    completionTokens: null,
    prefillTps: null,
    decodeTps: null,
    ctxUsed: null,
    ctxLimit: null,
    truncated: null,
    truncLimit: null,
    keptTokens: null,
    truncations: 0,
    truncationDetail: null,
    shift: null,
    peakBytes: null,
    firstMs: null,
  };
}

export function initialCorrelatorState(): CorrelatorState {
  return {
    zone: null,
    lastAt: null,
    nextKey: 1,
    server: null,
    loads: [],
    hiddenRunners: 0,
    lastRequestTs: null,
    pendingHints: [],
    pendingLibrary: null,
    evidence: emptyEvidence(),
    raised: [],
    mlxUnavailableBeforeStart: false,
    workingSetBytes: null,
  };
}
