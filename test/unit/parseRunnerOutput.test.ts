// Raw runner output, one row per layout and era: the layouts llama.cpp, llama-server and the MLX
// runner print, with made-up values.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LineEvent } from '../../agent/parse/events.js';
import { parseRunnerOutput } from '../../agent/parse/parseRunnerOutput.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';

type Row = [name: string, line: string, want: LineEvent | null];
const MiB = 1024 ** 2;
const noise: LineEvent = { type: 'noise' };
const activity: LineEvent = { type: 'slot_activity' };

const check = (rows: Row[]) =>
  it.each(rows)('%s', (_name, line, want) => {
    expect(parseRunnerOutput(line)).toEqual(want);
  });

describe('parseRunnerOutput: load facts', () => {
  check([
    ['offloaded, 2025 load_tensors', 'load_tensors: offloaded 33/33 layers to GPU', { type: 'offloaded', gpuLayers: 33, totalLayers: 33 }],
    [
      'offloaded, 2024 llm_load_tensors, partial',
      'llm_load_tensors: offloaded 5/37 layers to GPU',
      { type: 'offloaded', gpuLayers: 5, totalLayers: 37 },
    ],
    ['offloaded, none', 'load_tensors: offloaded 0/29 layers to GPU', { type: 'offloaded', gpuLayers: 0, totalLayers: 29 }],
    [
      'KV, 2024 llama_kv_cache_init Metal',
      'llama_kv_cache_init:      Metal KV buffer size =   640.00 MiB',
      { type: 'kv_buffer', device: 'Metal', bytes: 640 * MiB },
    ],
    [
      'KV, llama_kv_cache_init CPU',
      'llama_kv_cache_init:        CPU KV buffer size =   896.00 MiB',
      { type: 'kv_buffer', device: 'CPU', bytes: 896 * MiB },
    ],
    [
      'KV, 2025 llama_kv_cache_unified CUDA0',
      'llama_kv_cache_unified:      CUDA0 KV buffer size =   448.00 MiB',
      { type: 'kv_buffer', device: 'CUDA0', bytes: 448 * MiB },
    ],
    [
      'KV, llama-server llama_kv_cache MTL0',
      'llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB',
      { type: 'kv_buffer', device: 'MTL0', bytes: 1024 * MiB },
    ],
    [
      'KV, iSWA ROCm0',
      'llama_kv_cache_iswa:      ROCm0 KV buffer size =    12.50 MiB',
      { type: 'kv_buffer', device: 'ROCm0', bytes: 12.5 * MiB },
    ],
    ['KV, Vulkan0', 'llama_kv_cache:    Vulkan0 KV buffer size =   512.00 MiB', { type: 'kv_buffer', device: 'Vulkan0', bytes: 512 * MiB }],
    ['KV, bare init: prefix', 'init:      CUDA1 KV buffer size =   100.00 MiB', { type: 'kv_buffer', device: 'CUDA1', bytes: 100 * MiB }],
    [
      'KV cache size, 2025+',
      'llama_kv_cache: size =   18.00 MiB (   768 cells,  12 layers,  1/1 seqs), K (f16):    9.00 MiB, V (f16):    9.00 MiB',
      { type: 'kv_total', bytes: 18 * MiB, whole: false, cells: 768 },
    ],
    [
      'KV cache size, unified',
      'llama_kv_cache_unified: size =  640.00 MiB (  2048 cells,  40 layers,  1/1 seqs), K (f16):  320.00 MiB, V (f16):  320.00 MiB',
      { type: 'kv_total', bytes: 640 * MiB, whole: false, cells: 2048 },
    ],
    [
      'KV self size, 2024',
      'llama_new_context_with_model: KV self size  =  896.00 MiB, K (f16):  448.00 MiB, V (f16):  448.00 MiB',
      { type: 'kv_total', bytes: 896 * MiB, whole: true, cells: null },
    ],
    [
      'kv self size, 2023 (MB is MiB)',
      'llama_new_context_with_model: kv self size  =  256.00 MB',
      { type: 'kv_total', bytes: 256 * MiB, whole: true, cells: null },
    ],
    ['first of two KV caches', 'llama_kv_cache_iswa: creating non-SWA KV cache, size = 8192 cells', { type: 'kv_part', swa: false }],
    ['second of two KV caches', 'llama_kv_cache_iswa: creating     SWA KV cache, size = 1024 cells', { type: 'kv_part', swa: true }],
    ['VRAM kv self, 2023', 'llama_kv_cache_init: VRAM kv self = 64.00 MB', { type: 'kv_buffer', device: 'VRAM', bytes: 64 * MiB }],
    [
      'weights on a GPU',
      'load_tensors:        CUDA0 model buffer size =  2300.50 MiB',
      { type: 'weights_buffer', device: 'CUDA0', bytes: 2300.5 * MiB },
    ],
    [
      'weights in host memory',
      'load_tensors:   CPU_Mapped model buffer size =  3565.00 MiB',
      { type: 'weights_buffer', device: 'CPU_Mapped', bytes: 3565 * MiB },
    ],
    [
      'weights, 2024 wording',
      'llm_load_tensors:      ROCm0 buffer size =  1200.25 MiB',
      { type: 'weights_buffer', device: 'ROCm0', bytes: 1200.25 * MiB },
    ],
    [
      'weights on Metal, Ollama comment',
      'load_tensors:  MTL0_Mapped model buffer size =  1918.35 MiB',
      { type: 'weights_buffer', device: 'MTL0_Mapped', bytes: 1918.35 * MiB },
    ],
    [
      'weights, 2023 VRAM used',
      'llm_load_tensors: VRAM used: 3000.12 MB',
      { type: 'weights_buffer', device: 'VRAM', bytes: 3000.12 * MiB },
    ],
    ['no weights in VRAM, 2023', 'llm_load_tensors: VRAM used: 0.00 MB', noise],
    [
      'pinned host buffer: the GPU backend is loaded',
      'llama_new_context_with_model:  ROCm_Host  output buffer size =     0.50 MiB',
      { type: 'backend_hint', library: 'rocm' },
    ],
    [
      'compute buffer on a GPU',
      'llama_context:    Vulkan0 compute buffer size =   300.00 MiB',
      { type: 'compute_buffer', device: 'Vulkan0', bytes: 300 * MiB },
    ],
    [
      'compute buffer on the CPU',
      'llama_context:        CPU compute buffer size =    20.00 MiB',
      { type: 'compute_buffer', device: 'CPU', bytes: 20 * MiB },
    ],
    [
      'compute buffer, 2026 scheduler',
      'sched_reserve:       MTL0 compute buffer size =   560.00 MiB',
      { type: 'compute_buffer', device: 'MTL0', bytes: 560 * MiB },
    ],
    [
      'CUDA build without a device',
      'ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected',
      { type: 'gpu_unsupported', text: 'ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected' },
    ],
    [
      'KV cells only, kv_size',
      "llama_kv_cache_unified: kv_size = 8192, type_k = 'f16', type_v = 'f16', n_layer = 32, can_shift = 1, padding = 32",
      { type: 'kv_summary', bytes: null, cells: 8192 },
    ],
    ['iSWA cache, other line: sliding layout', 'llama_kv_cache_iswa: using full-size SWA cache', { type: 'kv_layout', layout: 'sliding' }],
    [
      'recurrent memory: recurrent layout',
      'llama_memory_recurrent:      Metal RS buffer size =    62.81 MiB',
      { type: 'kv_layout', layout: 'recurrent' },
    ],
    ['other KV cache line is noise', 'llama_kv_cache: layer   0: dev = MTL0', noise],
    ['n_ctx, 2024', 'llama_new_context_with_model: n_ctx      = 2048', { type: 'ctx_info', nCtx: 2048 }],
    ['n_ctx, 2025', 'llama_context: n_ctx         = 8192', { type: 'ctx_info', nCtx: 8192 }],
    ['n_ctx_per_seq', 'llama_context: n_ctx_per_seq = 4096', { type: 'ctx_info', nCtxPerSeq: 4096 }],
    ['n_ctx_seq (newer name)', 'llama_context: n_ctx_seq     = 4096', { type: 'ctx_info', nCtxPerSeq: 4096 }],
    ['n_seq_max', 'llama_context: n_seq_max     = 2', { type: 'ctx_info', nSeqMax: 2 }],
    ['n_ctx, llama_init_from_model', 'llama_init_from_model: n_ctx         = 16384', { type: 'ctx_info', nCtx: 16384 }],
    [
      'n_ctx_per_seq < n_ctx_train warning states ctx',
      'llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072) -- the full capacity of the model will not be utilized',
      { type: 'ctx_info', nCtxPerSeq: 4096 },
    ],
    [
      'n_ctx_seq < n_ctx_train warning states ctx',
      'llama_context: n_ctx_seq (16384) < n_ctx_train (262144) -- the full capacity of the model will not be utilized',
      { type: 'ctx_info', nCtxPerSeq: 16384 },
    ],
    ['n_ctx_train in the model dump is noise', 'print_info: n_ctx_train      = 131072', noise],
    ["the model dump's last line comes before the weights list", 'print_info: max token length = 256', { type: 'tensors_begin' }],
    ['the same, 2024 llm_load_print_meta', 'llm_load_print_meta: max token length = 256', { type: 'tensors_begin' }],
    ['other dump lines opening with m stay noise', 'print_info: model type       = 8B', noise],
    ['ggml ctx size opens the 2024 tensors section', 'llm_load_tensors: ggml ctx size =    0.14 MiB', { type: 'tensors_begin' }],
    [
      'loading model tensors opens the 2025 tensors section',
      'load_tensors: loading model tensors, this can take a while... (mmap = true)',
      { type: 'tensors_begin' },
    ],
    ['llama-server new slot', 'slot   load_model: id  0 | task -1 | new slot, n_ctx = 16384', { type: 'ctx_info', nCtxSlot: 16384 }],
    [
      'older llama-server new slot',
      'slot         init: id  0 | task -1 | new slot n_ctx_slot = 8192',
      { type: 'ctx_info', nCtxSlot: 8192 },
    ],
    [
      'llama-server slot initialisation',
      "srv    load_model: initializing, n_slots = 2, n_ctx_slot = 65536, kv_unified = 'false'",
      { type: 'ctx_info', nSeqMax: 2, nCtxSlot: 65536 },
    ],
    ['llama-server slot count', 'srv    load_model: initializing slots, n_slots = 4', { type: 'ctx_info', nSeqMax: 4 }],
    [
      'C++ runner JSON slot count',
      '{"function":"initialize","level":"INFO","line":448,"msg":"initializing slots","n_slots":2,"tid":"0x1","timestamp":1715000000}',
      { type: 'ctx_info', nSeqMax: 2 },
    ],
    [
      'C++ runner text slot count',
      'DEBUG [initialize] initializing slots | n_slots=1 tid="140000" timestamp=1715000000',
      { type: 'ctx_info', nSeqMax: 1 },
    ],
    [
      'C++ runner JSON new slot',
      '{"function":"initialize","level":"INFO","line":460,"msg":"new slot","n_ctx_slot":2048,"slot_id":0,"tid":"0x1","timestamp":1715000000}',
      { type: 'ctx_info', nCtxSlot: 2048 },
    ],
    [
      'C++ runner text new slot',
      'DEBUG [initialize] new slot | n_ctx_slot=1024 slot_id=0 tid="140000" timestamp=1715000000',
      { type: 'ctx_info', nCtxSlot: 1024 },
    ],
  ]);
});

describe('parseRunnerOutput: backend hints', () => {
  const hint = (library: string): LineEvent => ({ type: 'backend_hint', library });
  check([
    ['load_backend CUDA', 'load_backend: loaded CUDA backend from /usr/lib/ollama/cuda_v12/libggml-cuda.so', hint('cuda')],
    [
      'load_backend CPU (only a hint)',
      'load_backend: loaded CPU backend from /Applications/Ollama.app/Contents/Resources/libggml-cpu.so',
      hint('cpu'),
    ],
    [
      'load_backend Vulkan on Windows',
      'load_backend: loaded Vulkan backend from C:\\Program Files\\Ollama\\lib\\ollama\\ggml-vulkan.dll',
      hint('vulkan'),
    ],
    ['load_backend ROCm', 'load_backend: loaded ROCm backend from /usr/lib/ollama/rocm/libggml-hip.so', hint('rocm')],
    ['load_backend BLAS is no compute device', 'load_backend: loaded BLAS backend from /usr/lib/libggml-blas.so', noise],
    ['ggml_metal_init found device', 'ggml_metal_init: found device: Apple M2 Max', hint('metal')],
    ['ggml_metal_device_init GPU name', 'ggml_metal_device_init: GPU name:   Apple M5 Pro', hint('metal')],
    ['ggml_metal_init picking default device', 'ggml_metal_init: picking default device: Apple M1', hint('metal')],
    ['using device MTL0 without prefix', 'using device MTL0 (Apple M5 Max) (unknown id) - 110100 MiB free', hint('metal')],
    [
      'using device CUDA0',
      'llama_model_load_from_file_impl: using device CUDA0 (NVIDIA GeForce RTX 3090) (0000:01:00.0) - 23000 MiB free',
      hint('cuda'),
    ],
    ['using device Metal', 'llama_model_load_from_file_impl: using device Metal (Apple M1 Pro) - 12000 MiB free', hint('metal')],
    ['using device Vulkan0', 'llama_prepare_model_devices: using device Vulkan0 (AMD Radeon RX 7600) - 7000 MiB free', hint('vulkan')],
    [
      'using device SYCL0',
      'llama_model_load_from_file_impl: using device SYCL0 (Intel(R) Arc(TM) A770 Graphics) - 15000 MiB free',
      hint('sycl'),
    ],
    ['using CUDA for GPU acceleration', 'llm_load_tensors: using CUDA for GPU acceleration', hint('cuda')],
    ['ggml_cuda_init found CUDA devices', 'ggml_cuda_init: found 1 CUDA devices:', hint('cuda')],
    ['ggml_cuda_init found ROCm devices', 'ggml_cuda_init: found 2 ROCm devices:', hint('rocm')],
    ['ggml_init_cublas (early 2024)', 'ggml_init_cublas: found 1 CUDA devices:', hint('cuda')],
    ['ggml_vulkan Found', 'ggml_vulkan: Found 1 Vulkan devices:', hint('vulkan')],
    ['the device list line is noise', '  Device 0: NVIDIA GeForce RTX 3090, compute capability 8.6, VMM: yes', noise],
    ['a ROCm device list line is noise', '  Device 0: AMD Radeon RX 7900 XTX, gfx1100 (0x1100), VMM: no, Wave Size: 32', noise],
    [
      'not compiled with GPU offload (llama.cpp)',
      'warning: not compiled with GPU offload support, --n-gpu-layers option will be ignored',
      { type: 'gpu_unsupported', text: 'warning: not compiled with GPU offload support, --n-gpu-layers option will be ignored' },
    ],
    [
      'Not compiled with GPU offload (C++ runner text)',
      'WARN [server_params_parse] Not compiled with GPU offload support, --n-gpu-layers option will be ignored. See main README.md for information on enabling GPU BLAS support | n_gpu_layers=-1 tid="1" timestamp=1',
      {
        type: 'gpu_unsupported',
        text: 'WARN [server_params_parse] Not compiled with GPU offload support, --n-gpu-layers option will be ignored. See main README.md for information on enabling GPU BLAS support | n_gpu_layers=-1 tid="1" timestamp=1'.slice(
          0,
          200,
        ),
      },
    ],
    [
      'no usable GPU found (newer llama.cpp)',
      'warning: no usable GPU found, --gpu-layers option will be ignored',
      { type: 'gpu_unsupported', text: 'warning: no usable GPU found, --gpu-layers option will be ignored' },
    ],
    ['another warning is noise', 'warning: see main README.md for information on enabling GPU BLAS support', noise],
  ]);
});

describe('parseRunnerOutput: requests in llama-server (era F)', () => {
  check([
    [
      'new prompt, task.n_tokens',
      'slot   operator(): id  0 | task 0 | new prompt, n_ctx_slot = 131072, n_keep = 4, task.n_tokens = 14892',
      { type: 'slot_prompt', nCtxSlot: 131072, nTokens: 14892 },
    ],
    [
      'new prompt, older n_prompt_tokens, update_slots',
      'slot update_slots: id  1 | task 7 | new prompt, n_ctx_slot = 8192, n_keep = 0, n_prompt_tokens = 120',
      { type: 'slot_prompt', nCtxSlot: 8192, nTokens: 120 },
    ],
    [
      'final prompt eval, per-line layout',
      'slot print_timing: id  0 | task 160 | prompt eval time =     252.01 ms /     4 tokens (   63.00 ms per token,    15.87 tokens per second)',
      { type: 'timing', phase: 'prompt', ms: 252.01, tokens: 4, tps: 15.87 },
    ],
    [
      'final eval, per-line layout',
      'slot print_timing: id  0 | task 160 |        eval time =    5729.20 ms /    96 tokens (   60.31 ms per token,    16.58 tokens per second)',
      { type: 'timing', phase: 'eval', ms: 5729.2, tokens: 96, tps: 16.58 },
    ],
    [
      'final total, per-line layout',
      'slot print_timing: id  0 | task 160 |       total time =    5981.21 ms /   100 tokens',
      { type: 'timing', phase: 'total', ms: 5981.21, tokens: 100, tps: null },
    ],
    [
      'upstream head with timestamp and level',
      '5.27.453.094 I slot print_timing: id  0 | task 160 | prompt eval time =     252.01 ms /     4 tokens (   63.00 ms per token,    15.87 tokens per second)',
      { type: 'timing', phase: 'prompt', ms: 252.01, tokens: 4, tps: 15.87 },
    ],
    ['older layout: the bare head line', 'slot print_timing: id  0 | task 124 | ', activity],
    [
      'older layout: unprefixed prompt eval',
      'prompt eval time =    2374.07 ms /   400 tokens (    5.94 ms per token,   168.49 tokens per second)',
      { type: 'timing', phase: 'prompt', ms: 2374.07, tokens: 400, tps: 168.49 },
    ],
    [
      'older layout: unprefixed eval',
      '       eval time =   10536.28 ms /   111 tokens (   94.92 ms per token,    10.54 tokens per second)',
      { type: 'timing', phase: 'eval', ms: 10536.28, tokens: 111, tps: 10.54 },
    ],
    [
      'older layout: unprefixed total',
      '      total time =   12910.35 ms /   511 tokens',
      { type: 'timing', phase: 'total', ms: 12910.35, tokens: 511, tps: null },
    ],
    [
      'prefill progress is not a final timing',
      'slot print_timing: id  0 | task 0 | prompt processing, n_tokens =   1536, progress = 0.10, t =   3.42 s / 448.61 tokens per second',
      activity,
    ],
    ['decode progress n_gen', 'slot print_timing: id  0 | task 4121 | n_gen =    215, tg =  18.96 t/s, tg_3s =  19.26 t/s', activity],
    [
      'decode progress n_decoded (older)',
      'slot print_timing: id  0 | task 12 | n_decoded =    100, tg =  22.10 t/s, tg_3s =  22.30 t/s',
      activity,
    ],
    ['graphs reused', 'slot print_timing: id  0 | task 160 |    graphs reused =         49', activity],
    ['draft acceptance', 'slot print_timing: id  0 | task 160 | draft acceptance = 0.75000 (   30 accepted /    40 generated)', activity],
    [
      'release',
      'slot      release: id  0 | task 0 | stop processing: n_tokens = 123, truncated = 0',
      { type: 'slot_release', nTokens: 123, nCtx: null, truncated: false },
    ],
    [
      'release, older n_past, truncated',
      'slot      release: id  1 | task 9 | stop processing: n_past = 4096, truncated = 1',
      { type: 'slot_release', nTokens: 4096, nCtx: null, truncated: true },
    ],
    ['all slots idle', 'srv  update_slots: all slots are idle', activity],
    ['launch_slot_', 'slot launch_slot_: id  0 | task 5 | processing task, is_child = 0', activity],
    ['get_availabl', 'slot get_availabl: id  0 | task -1 | selected slot by LRU, t_last = -1', activity],
    ['init_sampler', 'slot init_sampler: id  0 | task 1549 | init sampler, took 0.00 ms, tokens: text = 10, total = 10', activity],
    [
      'create_check',
      'slot create_check: id  0 | task 3 | created context checkpoint 1 of 8 (pos_min = 0, pos_max = 100, n_tokens = 101, size = 1.000 MiB)',
      activity,
    ],
    ['cache bookkeeping', 'slot update_slots: id  0 | task 0 | cached n_tokens = 90112, memory_seq_rm [90112, end)', activity],
    ['srv request log', 'srv  log_server_r: done request: POST /completion 127.0.0.1 200', activity],
    ['queue plumbing', 'que    start_loop: processing new tasks', activity],
    ['result plumbing', 'res          send: sending result for task id = 0', activity],
    ['srv start-up is noise', 'srv  llama_server: loading model', noise],
    ['srv load_model is noise', "srv    load_model: loading model '/home/u/.ollama/models/blobs/sha256-0000'", noise],
    ['srv init is noise', 'srv          init: using 31 threads for HTTP server', noise],
    ['common tag is noise', 'cmn  common_param: device_info:', noise],
    ['speculative tag is noise', 'spec common_specu: no implementations specified for speculative decoding', noise],
    [
      'input truncated (llama-server)',
      'slot update_slots: id  0 | task 0 | input truncated, n_ctx = 4096, n_keep = 4, n_left = 4092, n_prompt_tokens = 2050',
      {
        type: 'truncation',
        at: null,
        limit: 4096,
        prompt: null,
        detail: 'input truncated, n_ctx = 4096, n_keep = 4, n_left = 4092, n_prompt_tokens = 2050',
      },
    ],
    [
      'context shift (llama-server)',
      'slot update_slots: id  0 | task 12 | slot context shift, n_keep = 4, n_left = 8186, n_discard = 4093',
      { type: 'context_shift', at: null, detail: 'slot context shift, n_keep = 4, n_left = 8186, n_discard = 4093' },
    ],
    ['a refusal to shift is not a shift', 'slot update_slots: id  0 | task 3 | context shift is disabled', activity],
    // The message is read in place from its start, `| task ` found by its bar, the phrase `context shift` by its `x`.
    [
      'a bar before `| task ` is not the task column',
      'slot print_timing: id 0 | x | task 3 | stop processing: n_tokens = 7, truncated = 0',
      { type: 'slot_release', nTokens: 7, nCtx: null, truncated: false },
    ],
    [
      'an `x` that is not the phrase, then the phrase',
      'slot update_slots: id  0 | task 1 | text x, slot context shift, n_keep = 4',
      { type: 'context_shift', at: null, detail: 'text x, slot context shift, n_keep = 4' },
    ],
    [
      'a tab after the task column is trimmed like a space',
      'slot      release: id  0 | task 2 |\tstop processing: n_tokens = 9, truncated = 1',
      { type: 'slot_release', nTokens: 9, nCtx: null, truncated: true },
    ],
    [
      'figures without `time =` are not a final timing',
      'slot print_timing: id  0 | task 1 | eval time  = 5.00 ms / 3 tokens (1.00 ms per token, 2.00 tokens per second)',
      activity,
    ],
    ['no message after the task column', 'slot print_timing: id  0 | task 1', activity],
  ]);
});

describe('parseRunnerOutput: C++ runner (eras A–B)', () => {
  check([
    [
      'JSON prompt eval (v0.1.32–0.1.34)',
      '{"function":"print_timings","level":"INFO","line":269,"msg":"prompt eval time     =     263.21 ms /    23 tokens (   11.44 ms per token,    87.38 tokens per second)","n_prompt_tokens_processed":23,"n_tokens_second":87.38270,"slot_id":0,"t_prompt_processing":263.21,"t_token":11.44391,"task_id":5,"tid":"140123456789","timestamp":1713300000}',
      { type: 'timing', phase: 'prompt', ms: 263.21, tokens: 23, tps: 87.38 },
    ],
    [
      'JSON generation eval counts runs as tokens',
      '{"function":"print_timings","level":"INFO","line":283,"msg":"generation eval time =    3519.62 ms /   158 runs   (   22.28 ms per token,    44.89 tokens per second)","n_decoded":158,"n_tokens_second":44.89120,"slot_id":0,"t_token":22.27608,"t_token_generation":3519.62,"task_id":5,"tid":"140123456789","timestamp":1713300000}',
      { type: 'timing', phase: 'eval', ms: 3519.62, tokens: 158, tps: 44.89 },
    ],
    [
      'JSON prompt eval with 0 tokens has no rate',
      '{"function":"print_timings","level":"INFO","line":276,"msg":"prompt eval time     =      99.00 ms /     0 tokens (     inf ms per token,     0.00 tokens per second)","n_prompt_tokens_processed":0,"slot_id":0,"task_id":3,"tid":"1","timestamp":1}',
      { type: 'timing', phase: 'prompt', ms: 99, tokens: 0, tps: null },
    ],
    [
      'JSON total time has no token count',
      '{"function":"print_timings","level":"INFO","line":299,"msg":"          total time =    5403.72 ms","slot_id":0,"t_total":5403.72,"task_id":8,"tid":"1","timestamp":1}',
      activity,
    ],
    [
      'JSON slot released',
      '{"function":"update_slots","level":"INFO","line":1648,"msg":"slot released","n_cache_tokens":307,"n_ctx":2048,"n_past":306,"n_system_tokens":0,"slot_id":0,"task_id":8,"tid":"1","timestamp":1,"truncated":false}',
      { type: 'slot_release', nTokens: 307, nCtx: 2048, truncated: false },
    ],
    [
      'JSON slot released without n_cache_tokens falls back to n_past',
      '{"function":"update_slots","level":"INFO","line":1600,"msg":"slot released","n_ctx":2048,"n_past":306,"slot_id":0,"task_id":8,"tid":"1","timestamp":1,"truncated":false}',
      { type: 'slot_release', nTokens: 306, nCtx: 2048, truncated: false },
    ],
    [
      'JSON input truncated',
      '{"function":"update_slots","level":"INFO","line":1682,"msg":"input truncated","n_ctx":4096,"n_erase":2000,"n_keep":4,"n_left":4092,"n_shift":2046,"tid":"1","timestamp":1}',
      {
        type: 'truncation',
        at: null,
        limit: 4096,
        prompt: null,
        detail: 'input truncated (n_ctx=4096 n_keep=4 n_left=4092 n_erase=2000 n_shift=2046)',
      },
    ],
    [
      'JSON slot context shift',
      '{"function":"update_slots","level":"INFO","line":1600,"msg":"slot context shift","n_ctx":2048,"n_discard":1021,"n_keep":4,"n_left":2043,"n_past":2047,"n_system_tokens":0,"slot_id":0,"task_id":9,"tid":"1","timestamp":1}',
      { type: 'context_shift', at: null, detail: 'slot context shift (n_ctx=2048 n_keep=4 n_left=2043 n_discard=1021 n_past=2047)' },
    ],
    [
      'JSON slot is processing task',
      '{"function":"launch_slot_with_data","level":"INFO","line":833,"msg":"slot is processing task","slot_id":0,"task_id":8,"tid":"1","timestamp":1}',
      activity,
    ],
    [
      'JSON slot data',
      '{"function":"process_single_task","level":"INFO","line":1510,"msg":"slot data","n_idle_slots":1,"n_processing_slots":0,"task_id":0,"tid":"1","timestamp":1}',
      activity,
    ],
    [
      'JSON all slots idle',
      '{"function":"update_slots","level":"INFO","line":1578,"msg":"all slots are idle and system prompt is empty, clear the KV cache","tid":"1","timestamp":1}',
      activity,
    ],
    [
      'JSON request log is noise',
      '{"function":"log_server_request","level":"INFO","line":2734,"method":"GET","msg":"request","params":{},"path":"/health","remote_addr":"127.0.0.1","remote_port":54930,"status":200,"tid":"126279456433920","timestamp":1713495553}',
      noise,
    ],
    [
      'JSON build info is noise',
      '{"build":2679,"commit":"7593639","function":"main","level":"INFO","line":2820,"msg":"build info","tid":"0x1","timestamp":1}',
      noise,
    ],
    [
      'JSON with the oldest message key',
      '{"timestamp":1703000000,"level":"INFO","function":"main","line":2650,"message":"HTTP server listening","hostname":"127.0.0.1","port":62040}',
      noise,
    ],
    [
      'text prompt eval (v0.1.35–0.3.14)',
      'DEBUG [print_timings] prompt eval time     =      50.12 ms /    12 tokens (    4.18 ms per token,   239.43 tokens per second) | n_prompt_tokens_processed=12 n_tokens_second=239.42537 slot_id=0 t_prompt_processing=50.12 t_token=4.17667 task_id=7 tid="139964472983552" timestamp=1719500000',
      { type: 'timing', phase: 'prompt', ms: 50.12, tokens: 12, tps: 239.43 },
    ],
    [
      'text generation eval',
      'DEBUG [print_timings] generation eval time =    1200.50 ms /    60 runs   (   20.01 ms per token,    49.98 tokens per second) | n_decoded=60 n_tokens_second=49.98 slot_id=0 t_token=20.01 t_token_generation=1200.5 task_id=7 tid="1" timestamp=1',
      { type: 'timing', phase: 'eval', ms: 1200.5, tokens: 60, tps: 49.98 },
    ],
    [
      'text total time',
      'DEBUG [print_timings]           total time =    1250.62 ms | slot_id=0 t_prompt_processing=50.12 t_token_generation=1200.5 t_total=1250.62 task_id=7 tid="1" timestamp=1',
      activity,
    ],
    [
      'text slot released',
      'INFO [update_slots] slot released | n_cache_tokens=513 n_ctx=2048 n_past=512 n_system_tokens=0 slot_id=0 task_id=7 tid="1" timestamp=1 truncated=true',
      { type: 'slot_release', nTokens: 513, nCtx: 2048, truncated: true },
    ],
    [
      'text input truncated',
      'INFO [update_slots] input truncated | n_ctx=2048 n_erase=1090 n_keep=4 n_left=2044 n_shift=1022 tid="130623106379776" timestamp=1721345155',
      {
        type: 'truncation',
        at: null,
        limit: 2048,
        prompt: null,
        detail: 'input truncated (n_ctx=2048 n_keep=4 n_left=2044 n_erase=1090 n_shift=1022)',
      },
    ],
    [
      'text slot context shift',
      'DEBUG [update_slots] slot context shift | n_ctx=2048 n_discard=1021 n_keep=4 n_left=2043 n_past=2047 n_system_tokens=0 slot_id=0 task_id=9 tid="1" timestamp=1',
      { type: 'context_shift', at: null, detail: 'slot context shift (n_ctx=2048 n_keep=4 n_left=2043 n_discard=1021 n_past=2047)' },
    ],
    [
      'text slot progression',
      'DEBUG [update_slots] slot progression | ga_i=0 n_past=0 n_past_se=0 n_prompt_tokens_processed=30 slot_id=0 task_id=2 tid="1" timestamp=1',
      activity,
    ],
    ['text prefix_slot', 'DEBUG [prefix_slot] slot with common prefix found | 0=["slot_id",0,"characters",115]', activity],
    ['text build info (Windows wmain)', 'INFO [wmain] build info | build=3171 commit="7c26775a" tid="10184" timestamp=1720182105', noise],
    [
      'text HTTP server listening',
      'INFO [main] HTTP server listening | hostname="127.0.0.1" n_threads_http="7" port="41000" tid="1" timestamp=1',
      noise,
    ],
    [
      '2023 llama_print_timings prompt eval',
      'llama_print_timings: prompt eval time =     444.18 ms /   800 tokens (    0.56 ms per token,  1801.08 tokens per second)',
      { type: 'timing', phase: 'prompt', ms: 444.18, tokens: 800, tps: 1801.08 },
    ],
    [
      '2023 llama_print_timings eval in runs',
      'llama_print_timings:        eval time =    7033.64 ms /   395 runs   (   17.81 ms per token,    56.16 tokens per second)',
      { type: 'timing', phase: 'eval', ms: 7033.64, tokens: 395, tps: 56.16 },
    ],
    [
      '2023 llama_print_timings total with tokens',
      'llama_print_timings:       total time =    7650.10 ms /  1195 tokens',
      { type: 'timing', phase: 'total', ms: 7650.1, tokens: 1195, tps: null },
    ],
    ['2023 llama_print_timings total without tokens', 'llama_print_timings:       total time =    7650.10 ms', activity],
    [
      '2023 sample time is noise',
      'llama_print_timings:      sample time =     107.35 ms /   396 runs   (    0.27 ms per token,  3688.73 tokens per second)',
      noise,
    ],
    ['2023 load time is noise', 'llama_print_timings:        load time =    1200.00 ms', noise],
    [
      '2023 llama.cpp server print_timings',
      'print_timings:        eval time =     980.24 ms /    67 runs   (   14.63 ms per token,    68.35 tokens per second)',
      { type: 'timing', phase: 'eval', ms: 980.24, tokens: 67, tps: 68.35 },
    ],
    [
      'llama_perf_context_print',
      'llama_perf_context_print: prompt eval time =     120.00 ms /    60 tokens (    2.00 ms per token,   500.00 tokens per second)',
      { type: 'timing', phase: 'prompt', ms: 120, tokens: 60, tps: 500 },
    ],
    [
      '2023 server slot released',
      'slot 0 released (512 tokens in cache)',
      { type: 'slot_release', nTokens: 512, nCtx: null, truncated: null },
    ],
    [
      '2023 server context shift',
      'slot 0: context shift - n_keep = 0, n_left = 2046, n_discard = 1023',
      { type: 'context_shift', at: null, detail: '0: context shift - n_keep = 0, n_left = 2046, n_discard = 1023' },
    ],
    ['K-shift', 'update: applying K-shift', { type: 'context_shift', at: null, detail: 'applying K-shift' }],
    [
      'K-shift, llama_kv_cache_update',
      'llama_kv_cache_update: applying K-shift',
      { type: 'context_shift', at: null, detail: 'applying K-shift' },
    ],
  ]);
});

describe('parseRunnerOutput: out of memory', () => {
  const oom = (text: string): Row => [text.slice(0, 60), text, { type: 'oom', at: null, text }];
  check([
    oom('ggml_metal_synchronize: error: command buffer 0 failed with status 5'),
    oom('error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)'),
    oom('CUDA error: out of memory'),
    oom('cudaMalloc failed: out of memory'),
    oom('ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 14495514624'),
    oom('failed to allocate buffer for kv cache'),
    oom('llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache'),
    oom('ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 1048576000'),
    oom('vk::Device::allocateMemory: ErrorOutOfDeviceMemory'),
    [
      'long OOM text is clipped to 200 characters',
      `CUDA error: out of memory ${'x'.repeat(300)}`,
      { type: 'oom', at: null, text: `CUDA error: out of memory ${'x'.repeat(300)}`.slice(0, 200) },
    ],
    ['a CUDA error that is not OOM is noise', 'CUDA error: an illegal memory access was encountered', noise],
    [
      'an allocation that worked is noise',
      'ggml_backend_metal_buffer_type_alloc_buffer: allocated buffer, size =   448.00 MiB, ( 2000.00 / 10922.67)',
      noise,
    ],
  ]);
});

describe('parseRunnerOutput: noise', () => {
  const rows: Array<[string, string]> = [
    ['model loader dump', 'llama_model_loader: - kv   0:                       general.architecture str              = llama'],
    ['print_info', 'print_info: file format = GGUF V3 (latest)'],
    ['load', 'load: special tokens cache size = 256'],
    ['llm_load_print_meta', 'llm_load_print_meta: n_layer          = 32'],
    ['llm_load_vocab', 'llm_load_vocab: special tokens definition check successful ( 259/32000 ).'],
    ['offloading (not offloaded)', 'load_tensors: offloading 32 repeating layers to GPU'],
    ['systemd starting the unit, by its description', 'Started Ollama Service.'],
    ['journalctl boot separator', '-- Boot 0123456789abcdef0123456789abcdef --'],
    ['journalctl header', '-- Logs begin at Mon 2026-03-02 10:00:00 UTC, end at Tue 2026-03-03 10:00:00 UTC. --'],
    [
      'gdb cannot attach after an abort',
      'Could not attach to process.  If your uid matches the uid of the target process, check the setting of /proc/sys/kernel/yama/ptrace_scope.',
    ],
    ['gdb ptrace', 'ptrace: Inappropriate ioctl for device.'],
    ['gdb no stack', 'No stack.'],
    ['gdb not running', 'The program is not being run.'],
    ['the call a CUDA error names', '  cublasCreate_v2(&cublas_handles[device])'],
    ['glibc backtrace frame', '/usr/lib/ollama/libggml-base.so(+0x1a2b3)[0x7f0011223344]'],
    ['ggml_metal_init', 'ggml_metal_init: allocating'],
    ['Metal library failure without OOM', 'ggml_metal_init: error: failed to initialize the Metal library'],
    ['ggml_cuda_init flags', 'ggml_cuda_init: GGML_CUDA_FORCE_MMQ:    no'],
    ['ggml_vulkan device', 'ggml_vulkan: 0 = NVIDIA GeForce RTX 3050 (NVIDIA) | uma: 0 | fp16: 1 | warp size: 32'],
    [
      'ggml_backend_* without colon',
      'ggml_backend_cuda_device_get_memory device GPU-0000 utilizing NVML memory reporting free: 1 total: 2',
    ],
    ['sched_reserve', 'sched_reserve: graph splits = 2'],
    ['graph_reserve', 'graph_reserve: reserving a graph for ubatch with n_tokens =  512'],
    ['clip', 'clip_model_loader: model name:   vision'],
    ['mtmd', 'mtmd_init_from_file: using projector'],
    ['common_*', 'common_init_from_params: warming up the model with an empty run - please wait ... (--no-warmup to disable)'],
    ['main', 'main: build = 3171 (7c26775a)'],
    ['system_info', 'system_info: n_threads = 8 / 16 | AVX = 1 | AVX2 = 1 | FMA = 1 |'],
    ['llama_model_load', 'llama_model_load: vocab only - skipping tensors'],
    ['load progress dots', '.................................................................................................'],
    [
      'sampler params continuation',
      '\ttop_k = 40, top_p = 0.950, min_p = 0.050, xtc_probability = 0.000, xtc_threshold = 0.100, typical_p = 1.000, top_n_sigma = -1.000, temp = 0.800',
    ],
    ['device_info continuation', '  - CUDA0   : NVIDIA GeForce RTX 4090 (24000 MiB, 23000 MiB free)'],
    ['chat template example', 'Hello<|im_end|>'],
    ['chat template example, closing quote', "'"],
    ['GGML_ASSERT with a source location', '/tmp/ggml/src/ggml.c:1234: GGML_ASSERT(ctx->mem_buffer != NULL) failed'],
    ['lldb after an abort', '(lldb) process attach --pid 4242'],
    ['first-start key generation', "Couldn't find '/home/u/.ollama/id_ed25519'. Generating new private key."],
    ['public key announcement', 'Your new public key is: '],
    ['public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly0000000000000000000000'],
    ['macOS malloc logging', "ollama(4242) MallocStackLogging: can't turn off malloc stack logging because it was not enabled."],
    ['gpu_info debug line', '[GPU-00000000-1111-2222-3333-444444444444] CUDA totalMem 24000 mb'],
    ['dyn_ext_server', 'loading library /tmp/ollama123/cuda_v11/libext_server.so'],
    ['gin debug continuation', ' - using env:\texport GIN_MODE=release'],
    ['nohup', 'nohup: ignoring input'],
    ['a Go CLI exit message', 'Error: listen tcp 127.0.0.1:11434: bind: address already in use'],
  ];
  it.each(rows)('%s', (_name, line) => {
    expect(parseRunnerOutput(line)).toEqual(noise);
  });
});

describe('parseRunnerOutput: hints inside the model dump and Metal init', () => {
  it.each<[string, string, LineEvent]>([
    [
      'GGUF metadata dump',
      'llama_model_loader: - kv   2:                               general.name str              = Qwen2.5 Coder 1.5B Instruct',
      { type: 'model_hint', name: 'Qwen2.5 Coder 1.5B Instruct' },
    ],
    ['print_info (2025)', 'print_info: general.name          = Qwen2.5 7B Instruct', { type: 'model_hint', name: 'Qwen2.5 7B Instruct' }],
    ['llm_load_print_meta (2024)', 'llm_load_print_meta: general.name     = LLaMA v2', { type: 'model_hint', name: 'LLaMA v2' }],
    ['no name in the file', 'print_info: general.name          = n/a', { type: 'noise' }],
    [
      'Metal working set (ggml_metal_init)',
      'ggml_metal_init: recommendedMaxWorkingSetSize  = 11453.25 MB',
      { type: 'working_set', bytes: 11_453_250_000 },
    ],
    [
      'Metal working set (ggml_metal_device_init)',
      'ggml_metal_device_init: recommendedMaxWorkingSetSize  = 40200.90 MB',
      { type: 'working_set', bytes: 40_200_900_000 },
    ],
  ])('%s', (_name, line, want) => {
    expect(parseRunnerOutput(line)).toEqual(want);
  });
});

describe('parseRunnerOutput: the MLX runner giving up', () => {
  it('reads `Error: MLX not available` as the library missing', () => {
    expect(
      parseRunnerOutput(
        'Error: MLX not available: failed to load MLX dynamic library (searched: [/Applications/Ollama.app/Contents/Resources])',
      ),
    ).toEqual({
      type: 'mlx_unavailable',
      at: null,
      error: 'MLX not available: failed to load MLX dynamic library (searched: [/Applications/Ollama.app/Contents/Resources])',
    });
  });
});

describe('parseRunnerOutput: not runner output', () => {
  const rows: Array<[string, string]> = [
    ['empty', ''],
    ['slog', 'time=2026-08-23T13:28:31.113-07:00 level=INFO source=routes.go:1951 msg="server config" env="map[]"'],
    [
      'slog OOM text stays with the slog parser',
      'time=2026-08-23T13:53:31.118-07:00 level=ERROR source=sched.go:734 msg="error loading llama server" error="cudaMalloc failed: out of memory"',
    ],
    ['gin', '[GIN] 2024/08/25 - 20:15:48 | 200 |    3.728994ms |       127.0.0.1 | POST     "/api/show"'],
    ['Go log', '2024/05/18 17:01:52 routes.go:1008: INFO server config env="map[]"'],
    ['garbage', 'hello world'],
    ['capitalised word and colon', 'Foo: bar'],
    ['JSON-wrapped Ollama line', '{"level":"INFO","msg":"time=2026-01-01T00:00:00Z level=INFO msg=x"}'],
    ['broken JSON', '{"function": "main", oops'],
    ['Go stack header', 'goroutine 1 [running]:'],
    ['Go stack frame', '\t/usr/local/go/src/runtime/proc.go:402 +0x1c'],
    ['Go panic', 'panic: runtime error: invalid memory address or nil pointer dereference'],
    ['register dump', 'r0      0x0'],
    ['PowerShell error record', '    + CategoryInfo          : NotSpecified: (time=2026-01-...:String) [], RemoteException'],
  ];
  it.each(rows)('%s → null', (_name, line) => {
    expect(parseRunnerOutput(line)).toBeNull();
  });
});

// ---- the real users' logs, read in place (never copied into the repository) ----

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'ollama-logs');
const present = existsSync(CORPUS);
if (!present) console.warn(`\n*** parseRunnerOutput CORPUS TEST SKIPPED: ${CORPUS} does not exist. ***\n`);

// Lines that other parsers own: Ollama's own formats, blank lines, Go crash output and PowerShell
// capture records (agent/parse/noise.ts), JSON-wrapped lines.
const OTHERS: readonly RegExp[] = [
  /^time=|^\[GIN|^\d{4}\/\d\d\/\d\d /,
  /^\s*$/,
  /^goroutine \d|^\t|^created by |^[\w./*()-]+\(.*\)$|^(?:r\d+|[a-z]{2,6})\s+0x[0-9a-f]+$|^PC=0x|^SIG[A-Z]+: |^signal arrived |^panic: |^fatal error: |^\[signal /,
  /^\s*\+ |^At line:|^In \S+\.ps1:|^PS [A-Z]:\\|^ollama(?:\.exe)? : /,
  /^\{"level":/,
];

// A PowerShell `Out-File` capture hard-wraps long records; its continuation fragments
// (`cmd="C:\\…" …`, `GGUF V3 (latest))`) are pieces of other lines that no line rule can own.
const isWrappedCapture = (text: string) => /^(?:\uFEFF)?ollama(?:\.exe)? : /m.test(text);

describe.skipIf(!present)('parseRunnerOutput over the real log corpus', () => {
  it('recognises nearly every runner line', () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const count = { total: 0, unrecognised: 0, plainTotal: 0, plainUnrecognised: 0 };
    const unrecognised: string[] = [];
    const types = new Set<string>();
    for (const file of files) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      const wrapped = isWrappedCapture(text);
      for (const raw of text.split(/\r?\n/)) {
        const line = stripPrefix(raw);
        if (OTHERS.some((re) => re.test(line))) continue;
        const e = parseRunnerOutput(line);
        count.total++;
        if (!wrapped) count.plainTotal++;
        if (e) {
          types.add(e.type);
          continue;
        }
        count.unrecognised++;
        if (!wrapped) count.plainUnrecognised++;
        unrecognised.push(`${file.slice(0, 3)}${wrapped ? ' (wrapped)' : ''}: ${line.slice(0, 160)}`);
      }
    }
    const share = count.unrecognised / count.total;
    const plainShare = count.plainUnrecognised / count.plainTotal;
    if (share > 0.02 || plainShare > 0.002) {
      console.error(`unrecognised runner lines (${count.unrecognised}/${count.total}):\n${unrecognised.join('\n')}`);
    }
    expect(count.plainTotal).toBeGreaterThan(3000);
    expect(plainShare).toBeLessThanOrEqual(0.002);
    expect(share).toBeLessThanOrEqual(0.02);
    // The corpus spans the eras: every kind of fact shows up at least once.
    for (const t of [
      'offloaded',
      'kv_buffer',
      'ctx_info',
      'backend_hint',
      'slot_prompt',
      'timing',
      'slot_release',
      'slot_activity',
      'oom',
      'noise',
    ]) {
      expect(types, t).toContain(t);
    }
  });
});
