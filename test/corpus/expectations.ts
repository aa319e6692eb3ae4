// Independent expectations for the 25 real Ollama logs in /work/shared/ollama-logs.
//
// Every value below was derived by reading the log files with grep/sed/awk, NOT by running or
// reading the project's parser. How each kind of fact was derived (and the commands to re-check
// it) is in test/corpus/EXPECTATIONS.md. `null` means "the file does not state this fact".
import type { Backend, IncidentKind as SharedIncidentKind, LoadRecord } from '../../shared/records.js';

/** The kinds a log can show (memory pressure and throughput come from the probes, not the log). */
export type IncidentKind = Exclude<SharedIncidentKind, 'memory_pressure' | 'throughput_regression'>;

/**
 * The load fields checked, as docs/analyze-json.md defines them: `ctx` is per sequence (old runners' --ctx-size is
 * num_ctx × --parallel); `kvBytes` sums the runner's KV buffer lines (never memory.required.kv);
 * `loadSeconds` is the first `started in N seconds` of the load; `model` is an Ollama name only when
 * the log names one (a blob path is not a name).
 */
export type LoadFacts = Pick<
  LoadRecord,
  'engine' | 'ctx' | 'parallel' | 'kvBytes' | 'gpuLayers' | 'totalLayers' | 'loadSeconds' | 'outcome' | 'model'
> & {
  backend: Exclude<Backend, 'unknown'> | null;
};

export interface FileFacts {
  file: string;
  versions: string[];
  servers: number;
  requests: number;
  inferenceRequests: number;
  statusCounts: Record<string, number>;
  loads: LoadFacts[];
  incidents: string[];
  notIncidents: string[];
  truncations: number;
  promptTokens?: number[];
  notes: string;
}

/** MiB as printed by llama.cpp / Ollama → bytes */
const MiB = (n: number): number => n * 1024 * 1024;

export const INCIDENT_KINDS: readonly IncidentKind[] = [
  'context_near_limit',
  'context_shift',
  'context_truncated',
  'gpu_fallback',
  'mlx_failed',
  'mlx_fallback',
  'mlx_on_cpu',
  'mlx_unavailable',
  'mlx_working_set',
  'oom',
  'partial_offload',
  'runner_crash',
];

/**
 * Kinds that must NOT be reported: every kind except the ones that must be reported (`must`) and
 * the ones left open on purpose (`open`, see the file's notes). Sorted.
 */
function notExcept(must: readonly IncidentKind[], open: readonly IncidentKind[] = []): string[] {
  return INCIDENT_KINDS.filter((k) => !must.includes(k) && !open.includes(k))
    .slice()
    .sort();
}

export const EXPECTATIONS: FileFacts[] = [
  {
    file: '001-mac-m3max-v0.1.32-metal-chat.log',
    versions: ['0.1.32'],
    servers: 1,
    requests: 2,
    inferenceRequests: 2,
    statusCounts: { '200': 2 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 2048,
        parallel: 1,
        kvBytes: MiB(1024),
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: null,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    promptTokens: [29, 29],
    notes:
      'Runner cmd has --ctx-size 2048 and no --parallel; the runner JSON says "n_slots":1 and "n_ctx_slot":2048. ' +
      'No "started in" line in v0.1.32 (it was DEBUG then) → loadSeconds null; "model loaded" JSON line → ready. ' +
      '20 [GIN-debug] lines are not requests. promptTokens = whole prompt: request 2 processed 0 tokens but n_past=29 were cached ' +
      '(n_cache_tokens 658 = 29 + 629 decoded); the print_timings "prompt eval" counts are 29 and 0. Both slot releases say "truncated":false.',
  },
  {
    file: '002-mac-m1-v0.9.0-metal-llama3.2.log',
    versions: ['0.9.0'],
    servers: 1,
    requests: 6,
    inferenceRequests: 5,
    statusCounts: { '200': 6 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 2,
        kvBytes: MiB(896),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 2.52,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      '--ctx-size 8192 --parallel 2 → 4096 per sequence (llama_context: n_ctx_per_seq = 4096). memory.required.kv="896.0 MiB" happens to equal ' +
      'the real Metal KV buffer here. The last line is a scheduler "new model will fit … loading" at 10:45:20 with no runner start after it ' +
      '(file ends) → not counted as a load.',
  },
  {
    file: '003-mac-m2-v0.11.6-metal-llama3.2-generate.log',
    versions: ['0.11.6'],
    servers: 1,
    requests: 23,
    inferenceRequests: 20,
    statusCounts: { '200': 23 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(448),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 2.39,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Era E: "starting runner" cmd has only --model/--port; KvSize:4096 Parallel:1 from the load request. "llama runner started in 2.39 seconds" is ' +
      'logged twice for the same load (count it once). The "vocab only - skipping tensors" block before the runner is not a load.',
  },
  {
    file: '004-mac-m1pro-v0.12.6-metal-qwen2.5-startup.log',
    versions: ['0.12.6'],
    servers: 1,
    requests: 6,
    inferenceRequests: 1,
    statusCounts: { '200': 6 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(112),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 0.8,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes: 'Requests: tags, HEAD /, pull, show, generate, show. "started in 0.80 seconds" logged twice for one load.',
  },
  {
    file: '005-mac-m1pro-v0.12.6-metal-reload-truncation.log',
    versions: [],
    servers: 0,
    requests: 18,
    inferenceRequests: 13,
    statusCounts: { '200': 18 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(224),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 2.84,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: ['context_truncated'],
    notIncidents: notExcept(['context_truncated'], ['context_near_limit']),
    truncations: 9,
    notes:
      'Slice with no header (no Listening line). 9 WARN "truncating input prompt" limit=4096 new=4096, each followed by a POST /api/chat. ' +
      'context_near_limit left open: the truncated prompt (new=4096) fills the 4096 window, so it arguably fires, but the log gives no ' +
      'prompt_eval/eval counts; promptTokens omitted for the same reason (prompt=4604 is the pre-truncation size).',
  },
  {
    file: '006-mac-m1-8gb-v0.12.6-metal-oom-crash.log',
    versions: [],
    servers: 0,
    requests: 1,
    inferenceRequests: 1,
    statusCounts: { '500': 1 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(512),
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: 14.74,
        outcome: 'failed',
        model: null,
      },
    ],
    incidents: ['oom', 'runner_crash'],
    notIncidents: notExcept(['oom', 'runner_crash']),
    truncations: 0,
    notes:
      'File starts mid-load (print_info: lines); no "starting runner" line, but the runner load is clearly shown (offloaded 33/33, Metal KV 512 MiB, ' +
      'n_seq_max = 1, "llama runner started in 14.74 seconds" ×2, loaded runners count=1, runner/llamarunner frames in the stack) → counted as 1 load. ' +
      'Then Metal "Insufficient Memory (… kIOGPUCommandBufferCallbackErrorOutOfMemory)", SIGABRT, ERROR "llama runner terminated" error="exit status 2", GIN 500. ' +
      'UNSURE: outcome — the load became ready and the runner crashed later; I chose "failed" (final state, error "exit status 2"); "ready" is defensible if outcome means load result only.',
  },
  {
    file: '007-mac-m2-v0.13.0-metal-gin400-load.log',
    versions: ['0.13.0'],
    servers: 1,
    requests: 29,
    inferenceRequests: 16,
    statusCounts: { '200': 17, '400': 10, '404': 2 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(448),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 2.44,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'The "starting runner … --ollama-engine --port" line at startup has no --model: GPU discovery, not a load. The model runner has no --ollama-engine ' +
      '("starting go runner") → llama.cpp. device.go kv cache Metal 448.0 MiB agrees with the llama.cpp KV line. ' +
      'Two "started in" lines: 2.44 then 2.45 s — I use the first. 14 POST /api/chat with 400/404 before the model was pulled are still inference requests.',
  },
  {
    file: '008-mac-m4pro-v0.15.4-startup-only.log',
    versions: ['0.15.4'],
    servers: 1,
    requests: 2,
    inferenceRequests: 0,
    statusCounts: { '200': 2 },
    loads: [],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Startup only (10 lines). The only runner start is GPU discovery (--ollama-engine, no --model) → 0 loads. 2× GET /v1/models are not inference. ' +
      '"entering low vram mode" is not an incident kind.',
  },
  {
    file: '009-mac-m4-v0.16.2-metal-mlx-unavailable-warn.log',
    versions: ['0.16.2'],
    servers: 1,
    requests: 6,
    inferenceRequests: 6,
    statusCounts: { '200': 6 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(512),
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: 2.58,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: ['mlx_unavailable'],
    notIncidents: notExcept(['mlx_unavailable']),
    truncations: 0,
    notes:
      'Two plain Go-log lines "WARN MLX dynamic library not available" (server start and runner start; path has UTF-8 Korean chars). ' +
      'MLX was not expected (no OLLAMA_USE_MLX in server config, GGUF model, no "using mlx backend") → no mlx_fallback. llama.cpp prints n_ctx_seq (not n_ctx_per_seq) = 4096.',
  },
  {
    file: '010-mac-m2-8gb-v0.21.0-ollama-engine-gemma3.log',
    versions: ['0.21.0'],
    servers: 1,
    requests: 32,
    inferenceRequests: 13,
    statusCounts: { '200': 29, '400': 1, '404': 2 },
    loads: [
      {
        engine: 'ollama-engine',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(254),
        gpuLayers: 35,
        totalLayers: 35,
        loadSeconds: 6.34,
        outcome: 'ready',
        model: null,
      },
      {
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(448),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 19.26,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Load 1: runner cmd with --ollama-engine --model, "starting ollama engine", gemma3, fit/alloc/commit KvSize:4096 Parallel:1, ' +
      'slog "offloaded 35/35 layers to GPU", no llama.cpp KV line → kvBytes from device.go kv cache Metal 254.0 MiB. ' +
      'Load 2: no --ollama-engine, "starting go runner", llama3.2 3B. No unload line for load 1 (the second "loaded runners" says count=1, ' +
      'so it was probably expired, but the log never says so) → both "ready". Names: only blob paths.',
  },
  {
    file: '011-mac-intel-x86-v0.9.6-cpu-qwen2.5.log',
    versions: ['0.9.6'],
    servers: 1,
    requests: 17,
    inferenceRequests: 13,
    statusCounts: { '200': 17 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cpu',
        ctx: 4096,
        parallel: 2,
        kvBytes: MiB(96),
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: 1.01,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Intel Mac, "inference compute id=\\"\\" library=cpu" → no GPU, so no gpu_fallback. The runner prints no "offloaded X/Y" line ' +
      '(CPU model buffer only) → gpuLayers/totalLayers null; the scheduler estimate says layers.offload=0 layers.model=25 (0/25 would also be defensible). ' +
      '--ctx-size 8192 --parallel 2 → 4096.',
  },
  {
    file: '012-linux-cuda-a4000-v0.1.28-ext-server-timings.log',
    versions: ['0.1.28'],
    servers: 1,
    requests: 11,
    inferenceRequests: 9,
    statusCounts: { '200': 11 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 2048,
        parallel: 1,
        kvBytes: MiB(256),
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: null,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: ['context_near_limit', 'context_truncated'],
    notIncidents: notExcept(['context_near_limit', 'context_truncated']),
    truncations: 2,
    promptTokens: [333, 914, 674, 334, 334, 351, 609, 1616, 1656],
    notes:
      'In-process dyn_ext_server (cuda_v11 libext_server.so), no "started in" line → loadSeconds null; "Starting llama main loop" → ready. n_slots 1, n_ctx_slot 2048. ' +
      'INDEX mentions only "truncated":false, but the last two slot releases say "truncated":true (tasks 1125, 1272) → 2 truncations. ' +
      'ctxUsed = n_cache_tokens at release: 1760 and 1746 ≥ 0.85×2048 = 1740.8 → context_near_limit. promptTokens = whole prompt = ' +
      'n_past(cached) + n_prompt_tokens_processed (checked: + n_decoded = n_cache_tokens); the processed-only counts are 333,674,434,94,92,109,369,1616,339. ' +
      'A 10th task (1365) starts at EOF without GIN line.',
  },
  {
    file: '013-linux-cuda-a100-v0.3.14-debug-cpp-runner-timings.log',
    versions: ['0.3.14'],
    servers: 1,
    requests: 4,
    inferenceRequests: 2,
    statusCounts: { '200': 4 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 1024,
        parallel: 1,
        kvBytes: MiB(56),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 17.11,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    promptTokens: [30, 31],
    notes:
      'OLLAMA_DEBUG run; cuda_v12 ollama_llama_server (user override OLLAMA_LLM_LIBRARY=cuda_v12), --ctx-size 1024 --parallel 1. ' +
      'promptTokens from text DEBUG print_timings (n_prompt_tokens_processed 30, 31); consistent with n_cache_tokens − n_decoded (31−1, 33−2). ' +
      'Many "availableServers"/extracting DEBUG lines are not runner loads.',
  },
  {
    file: '014-linux-cuda-a100-v0.6.8-load-gin.log',
    versions: ['0.6.8'],
    servers: 1,
    requests: 21,
    inferenceRequests: 11,
    statusCounts: { '200': 17, '404': 4 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 4096,
        parallel: 2,
        kvBytes: MiB(448),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 2.01,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      '--ctx-size 8192 --parallel 2 → 4096 per sequence. KV line has the prefix "init:" ("init:      CUDA0 KV buffer size =   448.00 MiB"). ' +
      'File ends with a second scheduler "will fit … loading" + offload estimate but no runner start → not a load. ' +
      'Requests include external GET /, /manifest.json, /theme.css?v=… (404) from public IPs.',
  },
  {
    file: '015-linux-cuda-h100mig-v0.11.10-batch-gin.log',
    versions: ['0.11.10'],
    servers: 1,
    requests: 76,
    inferenceRequests: 75,
    statusCounts: { '200': 76 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(1280),
        gpuLayers: 81,
        totalLayers: 81,
        loadSeconds: 10.47,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Split over two MIG devices: CUDA0 KV 656 MiB + CUDA1 KV 624 MiB = 1280 MiB (INDEX mentions only CUDA0). ' +
      'memory.required.kv="1.2 GiB" is the estimate, not used. 1 GET /api/tags + 75 POST /api/generate.',
  },
  {
    file: '016-linux-cuda-h100-v0.30.7-llama-server-gptoss120b.log',
    versions: ['0.30.7'],
    servers: 1,
    requests: 5,
    inferenceRequests: 2,
    statusCounts: { '200': 5 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 16384,
        parallel: 1,
        kvBytes: MiB(621),
        gpuLayers: 37,
        totalLayers: 37,
        loadSeconds: 252.6,
        outcome: 'ready',
        model: 'gpt-oss:120b',
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    promptTokens: [74, 74],
    notes:
      'llama-server -c 16384 -np 1 (default_num_ctx=262144 is only the VRAM default). iSWA: two CUDA0 KV lines 576 + 45 = 621 MiB. ' +
      '"llama-server started in" 252.60 then 252.80 s — first used. Model named by "template selection model=registry.ollama.ai/library/gpt-oss:120b" ' +
      'logged right after the load (only model in the file) → "gpt-oss:120b". Second chat: GIN line precedes its print_timing lines; both tasks task.n_tokens = 74.',
  },
  {
    file: '017-linux-cuda-a100-v0.22.1-ollama-engine.log',
    versions: ['0.22.1'],
    servers: 1,
    requests: 12,
    inferenceRequests: 10,
    statusCounts: { '200': 12 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 32768,
        parallel: 1,
        kvBytes: MiB(3072),
        gpuLayers: 49,
        totalLayers: 49,
        loadSeconds: 1.96,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'Despite the file name/INDEX ("ollama-engine"), the model runner cmd has NO --ollama-engine and the child says "starting go runner" → llama.cpp. ' +
      'All 5 --ollama-engine runner starts have no --model (GPU discovery). KvSize:32768; CUDA0 KV 3072 MiB (= device.go 3.0 GiB). 10× POST /v1/chat/completions.',
  },
  {
    file: '018-linux-cpu-v0.23.0-ollama-engine.log',
    versions: ['0.23.0'],
    servers: 1,
    requests: 21,
    inferenceRequests: 2,
    statusCounts: { '200': 21 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cpu',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(128),
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: 3.38,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'CPU-only Linux (inference compute id=cpu library=cpu) → no gpu_fallback. Model runner has no --ollama-engine, "starting go runner" → llama.cpp ' +
      '(INDEX name says ollama-engine). No "offloaded X/Y" line (GPULayers:[] , "model layers"=17) → layers null.',
  },
  {
    file: '019-linux-cpu-v0.30.11-llama-server-slots.log',
    versions: ['0.30.11'],
    servers: 1,
    requests: 7,
    inferenceRequests: 4,
    statusCounts: { '200': 6, '204': 1 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cpu',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(224),
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: 46.27,
        outcome: 'ready',
        model: 'name-expert:latest',
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    promptTokens: [301, 350, 350, 350],
    notes:
      'CPU-only llama-server (-c 4096 -np 1, CPU KV 224 MiB, no offloaded line → layers null). "started in" 46.27 then 46.35 s — first used. ' +
      'Model from "template selection model=registry.ollama.ai/library/name-expert:latest". ' +
      'UNSURE: inferenceRequests — 4 POST /api/generate plus 1 OPTIONS /api/generate (204, CORS preflight); I count the OPTIONS as "other" (a path-only rule gives 5). ' +
      'ctxUsed at release 402/433/442/474 of 4096.',
  },
  {
    file: '020-windows-cuda-rtx2060-v0.6.3-cpu-fallback-truncation.log',
    versions: ['0.6.3'],
    servers: 1,
    requests: 0,
    inferenceRequests: 0,
    statusCounts: {},
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cpu',
        ctx: 2048,
        parallel: 1,
        kvBytes: MiB(112),
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: 39.61,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: ['context_truncated', 'gpu_fallback'],
    notIncidents: notExcept(['context_truncated', 'gpu_fallback'], ['context_near_limit']),
    truncations: 1,
    notes:
      'GPU detected (inference compute library=cuda RTX 2060) and the scheduler planned layers.offload=27 / --n-gpu-layers 27, but the runner loaded only ' +
      'the CPU backend: "CPU model buffer size = 4460.45 MiB", "CPU KV buffer size = 112.00 MiB", no offloaded line → backend cpu, gpu_fallback, ' +
      'layers null (actual GPU layers are 0, but there is no "offloaded X/Y" line). Not partial_offload (27/29 is only the estimate). ' +
      'One WARN "truncating input prompt" limit=2048 prompt=25511 new=2048; no GIN lines (stderr capture). context_near_limit left open as in 005.',
  },
  {
    file: '021-windows-cuda-rtx3090-v0.15.2.log',
    versions: ['0.15.2'],
    servers: 1,
    requests: 33,
    inferenceRequests: 1,
    statusCounts: { '200': 12, '404': 21 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(112),
        gpuLayers: 29,
        totalLayers: 29,
        loadSeconds: 0.64,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'PowerShell capture: UTF-8 BOM, "ollama.exe : " prefix on line 1, NativeCommandError block, records hard-wrapped (the model runner cmd ' +
      '"runner --model <path> --port 59012" spans 4 physical lines). 28 "starting runner … --ollama-engine --port" lines have no --model (discovery). ' +
      'Model runner: no --ollama-engine, "starting go runner" → llama.cpp. Latencies like "0s" and "500.1┬Ás" (mojibake µs) still count as GIN lines.',
  },
  {
    file: '022-windows-cuda-rtx4050-v0.21.2.log',
    versions: ['0.21.2'],
    servers: 1,
    requests: 3,
    inferenceRequests: 1,
    statusCounts: { '200': 3 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 4096,
        parallel: 1,
        kvBytes: MiB(512),
        gpuLayers: 31,
        totalLayers: 33,
        loadSeconds: 3.69,
        outcome: 'ready',
        model: null,
      },
    ],
    incidents: ['partial_offload'],
    notIncidents: notExcept(['partial_offload']),
    truncations: 0,
    notes:
      'offloaded 31/33; KV = CPU 16 MiB + CUDA0 496 MiB = 512 MiB (matches device.go kv cache lines). Several --ollama-engine runner starts without --model ' +
      '(discovery/refresh), incl. at EOF (10:40:08) → not loads.',
  },
  {
    file: '023-windows-vulkan-rtx3050-v0.32.5-llama-server.log',
    versions: ['0.32.5'],
    servers: 1,
    requests: 9,
    inferenceRequests: 1,
    statusCounts: { '200': 8, '401': 1 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'vulkan',
        ctx: 131072,
        parallel: 1,
        kvBytes: MiB(14336),
        gpuLayers: 2,
        totalLayers: 29,
        loadSeconds: 43.87,
        outcome: 'ready',
        model: 'llama3.2:latest',
      },
    ],
    incidents: ['partial_offload'],
    notIncidents: notExcept(['partial_offload']),
    truncations: 0,
    promptTokens: [35],
    notes:
      '-c 131072 -np 1; offloaded 2/29 on Vulkan0; KV = CPU 13824 + Vulkan0 512 = 14336 MiB. "started in" 43.87 then 44.05 s — first used. ' +
      'Model from "template selection model=registry.ollama.ai/library/llama3.2:latest". A second task (44, task.n_tokens = 35) is in progress at EOF ' +
      'with no GIN line, so promptTokens lists only the completed /api/chat. ctxUsed 77 of 131072.',
  },
  {
    file: '024-windows-vulkan-v0.32.5-kvcache-alloc-fail.log',
    versions: [],
    servers: 0,
    requests: 22,
    inferenceRequests: 1,
    statusCounts: { '200': 21, '500': 1 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'vulkan',
        ctx: 131072,
        parallel: 1,
        kvBytes: null,
        gpuLayers: 2,
        totalLayers: 29,
        loadSeconds: null,
        outcome: 'failed',
        model: null,
      },
    ],
    incidents: ['oom', 'partial_offload', 'runner_crash'],
    notIncidents: notExcept(['oom', 'partial_offload', 'runner_crash']),
    truncations: 0,
    notes:
      'No header. llama-server -c 131072 -np 1, offloaded 2/29 on Vulkan0, then "failed to allocate buffer of size 14495514624" / ' +
      '"failed to allocate buffer for kv cache" → no KV buffer line → kvBytes null; ERROR "llama-server terminated" error="exit status 1", "Load failed", GIN 500 /api/chat. ' +
      'No template selection → model null. partial_offload required by the literal rule (2/29) even though the load failed — reviewers may prefer to leave it open. ' +
      'INDEX claims a later new "using llama-server for model"; it is not in this file (only one).',
  },
  {
    file: '025-linux-cuda-rtx4070tis-v0.1.38-journalctl.log',
    versions: ['0.1.38'],
    servers: 1,
    requests: 11,
    inferenceRequests: 4,
    statusCounts: { '200': 10, '404': 1 },
    loads: [
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 2048,
        parallel: 1,
        kvBytes: MiB(768),
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: 1.95,
        outcome: 'ready',
        model: null,
      },
      {
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 2048,
        parallel: 1,
        kvBytes: null,
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: null,
        outcome: null,
        model: null,
      },
    ],
    incidents: [],
    notIncidents: notExcept([]),
    truncations: 0,
    notes:
      'journald prefix on every line. Load 1: runners/cuda_v11 ollama_llama_server --ctx-size 2048 --parallel 1, CUDA0 KV 768 MiB, 33/33, 1.95 s. ' +
      'Load 2 (19:53:33, same blob) starts with "starting llama server" but the file ends inside its llama_model_loader kv dump → only ctx/parallel known; ' +
      'backend "cuda" inferred from the cuda_v11 runner path + --n-gpu-layers 33 (UNSURE: null is defensible). Model is a blob ("LLaMA v2" general.name is not an Ollama name).',
  },
];
