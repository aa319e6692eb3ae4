// What the line parsers produce: one typed fact per logical line, or `null` when no rule recognises
// the line (the caller counts it as unparsed). Parsers are pure `(line) => event | null`.
//
// Times: `at` is the line's own timestamp when it has one — ISO-8601 with offset for slog lines,
// zone-less `YYYY-MM-DDTHH:MM:SS` for Go-log lines — else absent (raw llama.cpp output carries none;
// the correlator uses the latest clock it saw). Byte sizes are numbers of bytes.

/** A wall-clock time as printed, before a zone is known (GIN lines carry none). */
export interface LocalTime {
  /** `YYYY-MM-DDTHH:MM:SS[.fff]` */
  local: string;
}

export type Engine = 'mlx' | 'llama.cpp' | 'ollama-engine';

export interface GinEvent {
  type: 'gin';
  time: LocalTime;
  status: number;
  latencyMs: number;
  client: string;
  method: string;
  path: string;
  /** The line was cut short inside its path (a pager's `>`): `path` is as far as it goes. */
  cut?: true;
}

export interface ListeningEvent {
  type: 'listening';
  /** ISO time with offset when the line had one (slog), else local time, else null. */
  at: string | null;
  address: string;
  version: string | null;
}

/** A slog/Go-log line the correlator has no use for beyond its clock. */
export interface ClockEvent {
  type: 'clock';
  at: string;
}

/** A line recognised as known noise: llama.cpp model dumps, Go stack traces, `[GIN-debug]`, blank lines. */
export interface NoiseEvent {
  type: 'noise';
}

/** Server start-up facts. */
export type ServerEvent =
  | { type: 'server_config'; at: string | null; env: Record<string, string> }
  | { type: 'inference_compute'; at: string | null; library: string; name: string | null; totalBytes: number | null }
  | { type: 'default_ctx'; at: string | null; numCtx: number };

/** Facts about one model load (a runner process), from the scheduler and the runner's own output. */
export type LoadEvent =
  /** `using llama-server for model` / `starting mlx runner subprocess`: a load begins. */
  | { type: 'load_intent'; at: string | null; engine: 'mlx' | 'llama.cpp'; model: string | null; blob: string | null }
  /**
   * A runner command line (`starting llama server|runner|llama-server` with `--model`); v0.1.18–v0.1.31's
   * in-process `Loading Dynamic llm server: …/runners/cuda_v11/libext_server.so` (no flags).
   */
  | {
      type: 'runner_cmd';
      at: string | null;
      /** `ollama-engine` when the cmd has `--ollama-engine`, else `llama.cpp`. */
      engine: 'llama.cpp' | 'ollama-engine';
      /** `sha256-…` digest of the model blob, when the cmd names a blob. */
      blob: string | null;
      /** `--ctx-size` / `-c`: num_ctx × parallel. */
      ctxSize: number | null;
      parallel: number | null;
      /** `--n-gpu-layers` / `-ngl`. */
      gpuLayers: number | null;
      kvType: string | null;
      /** Library named by the runner path (`runners/metal/`, `cuda_v11`, `rocm_v60102`, `cpu_avx2`). */
      library: string | null;
    }
  /** The child says which engine it is: `starting ollama engine` / `starting go runner`. */
  | { type: 'runner_flavor'; at: string | null; engine: 'llama.cpp' | 'ollama-engine' }
  /** Scheduler's per-load device line (`gpu memory library=`), or `offload to <lib>` / `msg=offload library=`. */
  | { type: 'load_library'; at: string | null; library: string; layersOffload: number | null; layersModel: number | null }
  /** Era E `msg=load request="{Operation:commit … KvSize:N …}"`. */
  | {
      type: 'load_request';
      at: string | null;
      operation: string | null;
      kvSize: number | null;
      parallel: number | null;
      gpuLayers: number | null;
      kvType: string | null;
    }
  /** `"model layers"=N` on `msg="loading model"`. */
  | { type: 'model_layers'; at: string | null; layers: number }
  /** `msg="kv cache" device=CUDA0 size="936.0 MiB"` (eras D/E memory summary). */
  | { type: 'kv_device'; at: string | null; device: string; bytes: number }
  /** `offloaded X/Y layers to GPU`, raw llama.cpp or the Ollama engine's slog line. */
  | { type: 'offloaded'; gpuLayers: number; totalLayers: number }
  /**
   * llama.cpp `<prefix>: <device> KV buffer size = N MiB`; device as printed (`Metal`, `CUDA0`, `CPU`, `MTL0`, `Vulkan0`).
   * v0.1.x `llama_kv_cache_init: VRAM kv self = N MB` is the GPU's share, device `VRAM` (no family named).
   */
  | { type: 'kv_buffer'; device: string; bytes: number }
  /**
   * A KV cache's size: `KV self size = N MiB` (2024) and `kv self size = N MB` (2023) for the whole context
   * (`whole`), `llama_kv_cache: size = N MiB (N cells, …)` (2025+) for one cache (sliding-window models have two);
   * `cells` when the line states them.
   */
  | { type: 'kv_total'; bytes: number; whole: boolean; cells: number | null }
  /** `llama_kv_cache_iswa: creating non-SWA KV cache` / `creating SWA KV cache`: a model with two KV caches. */
  | { type: 'kv_part'; swa: boolean }
  /**
   * Where the weights were placed: `load_tensors: CUDA0 model buffer size = N MiB`, `llm_load_tensors: Metal buffer size`,
   * 2023's `llm_load_tensors: VRAM used: N MB` (device `VRAM`, no family named).
   */
  | { type: 'weights_buffer'; device: string; bytes: number | null }
  /**
   * A line llama.cpp prints before a load's weights list, never inside it: the model dump's
   * `max token length = N` (print_meta / print_info), `llm_load_tensors: ggml ctx size = …` (2024),
   * `load_tensors: loading model tensors, …` (2025+). A slice that has it saw that list from its first line.
   */
  | { type: 'tensors_begin' }
  /** `llama_context: CUDA0 compute buffer size = N MiB`: the compute graph's memory, on a device that ran it. */
  | { type: 'compute_buffer'; device: string; bytes: number | null }
  /**
   * Mid-2025 `llama_kv_cache_unified: kv_size = 8192, …`: the cache's cells, its size on another line.
   */
  | { type: 'kv_summary'; bytes: null; cells: number }
  /** Eras D/E memory summary: `msg="total memory" size="5.4 GiB"` (weights + KV + compute graph). */
  | { type: 'memory_total'; at: string | null; bytes: number }
  /** `llama_kv_cache_iswa:` (sliding window) / `llama_memory_recurrent:` lines: the cache is not one plain block. */
  | { type: 'kv_layout'; layout: 'sliding' | 'recurrent' }
  /** llama.cpp context lines: `n_ctx = N` (total), `n_ctx_per_seq = N`, `n_seq_max = N`; llama-server `new slot, n_ctx = N` (per slot). */
  | { type: 'ctx_info'; nCtx?: number; nCtxPerSeq?: number; nSeqMax?: number; nCtxSlot?: number }
  /** Raw runner output that names the compute library: `load_backend: loaded CUDA backend`, `ggml_metal_init: found device`, `using device MTL0 …`, `using CUDA for GPU acceleration`. */
  | { type: 'backend_hint'; library: string }
  /** The model's own name from its GGUF metadata (`general.name = Qwen2.5 7B Instruct`): a display hint only. */
  | { type: 'model_hint'; name: string }
  /** Metal's recommended working set (`recommendedMaxWorkingSetSize = 40200.90 MB`): a property of the machine. */
  | { type: 'working_set'; bytes: number }
  /** The runner cannot use a GPU: `Not compiled with GPU offload support`, `-ngl` ignored, etc. */
  | { type: 'gpu_unsupported'; text: string }
  /**
   * `llama runner started in 2.52 seconds`, `llama-server started in …` (engine llama.cpp), `mlx runner is ready`
   * (engine mlx, seconds null).
   */
  | { type: 'runner_ready'; at: string | null; seconds: number | null; engine: 'mlx' | 'llama.cpp' | null; untimed?: true }
  /**
   * A load that did not come up: `error loading llama server`, `Load failed`, `mlx runner failed`, 2023's
   * `error starting the external llama runner`, the scheduler's `triggering expiration for failed load runner.name=…`.
   */
  | { type: 'load_failed'; at: string | null; error: string | null; model: string | null; blob: string | null }
  /** A runner process ended on its own: `llama runner terminated`, `llama-server terminated`, `mlx runner exited unexpectedly`. */
  | { type: 'runner_exit'; at: string | null; error: string | null }
  /** A runner was stopped on purpose: `stopping mlx runner subprocess`. */
  | { type: 'runner_stop'; at: string | null; engine: Engine | null }
  | { type: 'mlx_device'; at: string | null; device: string }
  /** The model name of the load that just came up: `template selection model=…`, `finished setting up runner runner.name=…`. */
  | { type: 'model_name'; at: string | null; model: string }
  /**
   * Scheduler (DEBUG) `finished setting up runner.name=… runner.inference=cuda runner.parallel=1
   * runner.model=<blob> runner.num_ctx=4096`: the runner's own summary.
   */
  | {
      type: 'runner_info';
      at: string | null;
      model: string | null;
      blob: string | null;
      numCtx: number | null;
      parallel: number | null;
      library: string | null;
    }
  /** Scheduler: `loaded runners count=N` — how many runners are loaded after a load. */
  | { type: 'loaded_runners'; at: string | null; count: number }
  | { type: 'mlx_unavailable'; at: string | null; error: string | null }
  | { type: 'mlx_working_set'; at: string | null; activeBytes: number | null; recommendedBytes: number | null };

/** Facts about one request in flight, from the runner. */
export type RequestEvent =
  /** The (hypothetical) per-request marker of the product brief: `msg="using mlx backend"`. */
  | { type: 'using_mlx'; at: string | null; model: string | null }
  /** MLX `cache hit|miss total=… cached=… left=…`. */
  | { type: 'mlx_cache'; at: string | null; total: number; cached: number | null }
  /** MLX `Prompt processing progress processed=… total=…`: an MLX runner is prefilling a request. */
  | { type: 'mlx_progress'; at: string | null }
  /** MLX `peak memory size="12.34 GiB"` at the end of a request. */
  | { type: 'mlx_peak'; at: string | null; bytes: number }
  /** llama-server `new prompt, n_ctx_slot = C, n_keep = K, task.n_tokens = T`. */
  | { type: 'slot_prompt'; nCtxSlot: number | null; nTokens: number }
  /** Final timings: llama-server `prompt eval time`/`eval time`/`total time`, ext_server/C++ runner print_timings, llama_print_timings. */
  | { type: 'timing'; phase: 'prompt' | 'eval' | 'total'; ms: number; tokens: number; tps: number | null }
  /** End of a request in the runner: llama-server `stop processing: n_tokens = N, truncated = 0`; C++ runner `slot released` (n_cache_tokens, n_ctx). */
  | { type: 'slot_release'; nTokens: number | null; nCtx: number | null; truncated: boolean | null }
  /** Any other runner line proving a llama.cpp runner was busy with a request (`slot …`, `srv …`). */
  | { type: 'slot_activity' }
  /** `truncating input prompt limit=… prompt=…`, `input truncated | n_ctx=…`, `truncating input messages …`. */
  | { type: 'truncation'; at: string | null; limit: number | null; prompt: number | null; kept?: number | null; detail: string }
  /** `context limit hit - shifting`, `slot context shift`, `applying K-shift`. */
  | { type: 'context_shift'; at: string | null; detail: string }
  /** Out-of-memory evidence from any layer (Metal command buffer, cudaMalloc, failed to allocate, runtime OOM). */
  | { type: 'oom'; at: string | null; text: string };

export type LineEvent = GinEvent | ListeningEvent | ClockEvent | NoiseEvent | ServerEvent | LoadEvent | RequestEvent;
