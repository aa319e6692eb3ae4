// The evidence rules, one table per failure class, on lines written in the layouts Ollama prints
// (README, "Backend, right or null", says what each proves). Hosts, times, PIDs, ports and
// digests are made up. Each case is a log slice and the facts analyze must report for it — or null.
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';

const BLOB = 'sha256-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const T = (hms: string): string => `time=2026-03-01T${hms}.000Z level=INFO source=x.go:1`;
const GIN = (hms: string, latency: string, path = '/api/chat', status = 200): string =>
  `[GIN] 2026/03/01 - ${hms} | ${status} | ${latency.padStart(13)} |       127.0.0.1 | POST     "${path}"`;
const MiB = 2 ** 20;

type Facts = Record<string, unknown>;

/** The loads of a slice, with only the keys a case names. */
function loads(lines: string[]): Facts[] {
  return analyzeLines(lines).result.loads;
}

describe('class 1: a load is opened by any load-phase evidence, not only its start line', () => {
  it.each<[string, string[], Facts]>([
    [
      'llama runner started in',
      [`${T('10:00:05')} msg="llama runner started in 3.21 seconds"`],
      { outcome: 'ready', loadSeconds: 3.21, engine: null, backend: null },
    ],
    [
      'llama-server started in',
      [`${T('10:00:05')} msg="llama-server started in 4.52 seconds"`],
      { outcome: 'ready', loadSeconds: 4.52, engine: 'llama.cpp' },
    ],
    [
      'mlx runner is ready (no time invented)',
      [`${T('10:00:05')} msg="mlx runner is ready" port=50123`],
      { outcome: 'ready', loadSeconds: null, engine: 'mlx', backend: 'mlx' },
    ],
    [
      'finished setting up (DEBUG)',
      [
        `time=2026-03-01T10:00:05.000Z level=DEBUG source=sched.go:1 msg="finished setting up" runner.name=registry.ollama.ai/library/qwen3:8b runner.inference=metal runner.devices=1 runner.parallel=1 runner.pid=4242 runner.model=/m/blobs/${BLOB} runner.num_ctx=8192`,
      ],
      { outcome: 'ready', model: 'qwen3:8b', ctx: 8192, parallel: 1 },
    ],
    [
      'a KV line: llama.cpp, its device, but not a size (the list may have begun earlier)',
      ['llama_kv_cache:      CUDA1 KV buffer size =   512.00 MiB'],
      { engine: 'llama.cpp', backend: 'cuda', kvBytes: null },
    ],
    [
      'offloaded, weights, ctx and KV lines, then ready',
      [
        'load_tensors: offloaded 33/33 layers to GPU',
        'load_tensors:   CPU_Mapped model buffer size =   300.00 MiB',
        'load_tensors:        CUDA0 model buffer size =  4000.00 MiB',
        'llama_context: n_ctx_per_seq = 4096',
        'llama_kv_cache:      CUDA0 KV buffer size =   512.00 MiB',
        'llama_kv_cache: size =  512.00 MiB (  4096 cells,  32 layers,  1/1 seqs), K (f16):  256.00 MiB, V (f16):  256.00 MiB',
        `${T('10:00:09')} msg="llama runner started in 2.50 seconds"`,
      ],
      { engine: 'llama.cpp', backend: 'cuda', ctx: 4096, kvBytes: 512 * MiB, gpuLayers: 33, totalLayers: 33, outcome: 'ready' },
    ],
    [
      'load request before starting ollama engine',
      [
        `${T('10:00:01')} msg=load request="{Operation:commit LoraPath:[] Parallel:2 BatchSize:512 FlashAttention:Enabled KvSize:8192 KvCacheType: NumThreads:8 GPULayers:29[ID:GPU-00000000-aaaa Layers:29(0..28)] MultiUserCache:false}"`,
        `${T('10:00:01')} msg="starting ollama engine"`,
      ],
      { engine: 'ollama-engine', ctx: 4096, parallel: 2 },
    ],
    [
      'starting ollama engine before the load request',
      [
        `${T('10:00:01')} msg="starting ollama engine"`,
        `${T('10:00:01')} msg=load request="{Operation:commit LoraPath:[] Parallel:1 BatchSize:512 FlashAttention:Enabled KvSize:4096 KvCacheType: NumThreads:8 GPULayers:29[ID:GPU-00000000-aaaa Layers:29(0..28)] MultiUserCache:false}"`,
      ],
      { engine: 'ollama-engine', ctx: 4096, parallel: 1 },
    ],
  ])('%s', (_name, lines, want) => {
    const got = loads(lines);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject(want);
  });

  it('a second `started in` of a load already up opens no load', () => {
    expect(
      loads([`${T('10:00:05')} msg="llama runner started in 3.21 seconds"`, `${T('10:00:05')} msg="llama runner started in 3.21 seconds"`]),
    ).toHaveLength(1);
  });

  it('requests after MLX runner evidence belong to the one MLX runner known', () => {
    const { result } = analyzeLines([
      `${T('10:00:05')} msg="mlx runner is ready" port=50123`,
      `${T('10:00:06')} msg="cache miss" total=1532 matched=0 cached=0 left=1532`,
      `${T('10:00:07')} msg="Prompt processing progress" processed=1531 total=1532`,
      `${T('10:00:09')} msg="peak memory" size="19.87 GiB"`,
      GIN('10:00:09', '3.5s'),
    ]);
    expect(result.requests).toHaveLength(1);
    expect(result.requests[0]).toMatchObject({ backend: 'mlx', promptTokens: 1532 });
  });

  it('a request is not pinned on the one runner known while the scheduler counts more', () => {
    const { result } = analyzeLines([
      `${T('10:00:05')} msg="llama-server started in 4.52 seconds"`,
      `${T('10:00:05')} msg="loaded runners" count=2`,
      GIN('10:01:00', '2s'),
    ]);
    expect(result.requests[0]).toMatchObject({ backend: null, model: null, ctxLimit: null });
  });
});

describe('class 2: backend from device evidence, with a precedence', () => {
  const CPU_LIB = 'load_backend: loaded CPU backend from /usr/lib/ollama/libggml-cpu-haswell.so';
  const CUDA_LIB = 'load_backend: loaded CUDA backend from /usr/lib/ollama/cuda_v12/libggml-cuda.so';
  const FOUND_CUDA = 'ggml_cuda_init: found 1 CUDA devices:';
  const READY = `${T('10:00:09')} msg="llama runner started in 2.50 seconds"`;
  const CMD = (flags: string): string =>
    `${T('10:00:00')} msg="starting llama server" cmd="/usr/bin/ollama runner --model /m/blobs/${BLOB} --ctx-size 2048 --batch-size 512 ${flags}--threads 6 --parallel 1 --port 40001"`;
  it.each<[string, string[], string | null]>([
    [
      'CPU backend loaded first, then CUDA placement',
      [
        CPU_LIB,
        FOUND_CUDA,
        CUDA_LIB,
        'load_tensors: offloaded 33/33 layers to GPU',
        'llama_kv_cache:      CUDA0 KV buffer size =   256.00 MiB',
        READY,
      ],
      'cuda',
    ],
    ['CPU backend alone proves nothing', [CPU_LIB, READY], null],
    [
      'a CUDA backend loaded, 0 layers offloaded',
      [
        CPU_LIB,
        FOUND_CUDA,
        CUDA_LIB,
        'load_tensors: offloaded 0/33 layers to GPU',
        'llama_kv_cache:        CPU KV buffer size =   256.00 MiB',
        'llama_context:      CUDA0 compute buffer size =   300.00 MiB',
        READY,
      ],
      'cpu',
    ],
    [
      'the scheduler planned CUDA but every buffer is in host memory',
      [
        `${T('10:00:00')} msg=offload library=cuda layers.requested=-1 layers.model=29 layers.offload=27`,
        CMD('--n-gpu-layers 27 '),
        CPU_LIB,
        'load_tensors:          CPU model buffer size =  4460.45 MiB',
        'llama_kv_cache_init:        CPU KV buffer size =   112.00 MiB',
        'llama_init_from_model: KV self size  =  112.00 MiB, K (f16):   56.00 MiB, V (f16):   56.00 MiB',
        READY,
      ],
      'cpu',
    ],
    [
      'the scheduler planned CUDA, and the slice ends before any placement',
      [
        `${T('10:00:00')} msg=offload library=cuda layers.requested=-1 layers.model=29 layers.offload=27`,
        CMD('--n-gpu-layers 27 '),
        CPU_LIB,
      ],
      null,
    ],
    ['-ngl 0 on the command line', [CMD('--n-gpu-layers 0 '), FOUND_CUDA, READY], 'cpu'],
    [
      "GPULayers with a device ID in the runner's load request",
      [
        `${T('10:00:01')} msg="starting ollama engine"`,
        FOUND_CUDA,
        `${T('10:00:01')} msg=load request="{Operation:commit Parallel:1 KvSize:4096 GPULayers:29[ID:GPU-00000000-aaaa Layers:29(0..28)]}"`,
      ],
      'cuda',
    ],
    [
      'GPULayers:[] in the load request',
      [
        `${T('10:00:01')} msg="starting ollama engine"`,
        FOUND_CUDA,
        `${T('10:00:01')} msg=load request="{Operation:commit Parallel:1 KvSize:4096 GPULayers:[]}"`,
      ],
      'cpu',
    ],
    [
      '2023 wording: using ROCm for GPU acceleration, layers offloaded',
      ['llm_load_tensors: using ROCm for GPU acceleration', 'llm_load_tensors: offloaded 43/43 layers to GPU'],
      'rocm',
    ],
    [
      'ROCm_Host buffer and layers offloaded',
      ['load_tensors: offloaded 20/33 layers to GPU', 'llama_context:  ROCm_Host  output buffer size =     0.50 MiB'],
      'rocm',
    ],
    [
      'Metal device names',
      ['load_tensors:  MTL0_Mapped model buffer size =  1918.35 MiB', 'llama_kv_cache:      MTL0 KV buffer size =    18.00 MiB'],
      'metal',
    ],
    ['Vulkan weights', ['load_tensors:      Vulkan0 model buffer size =  1200.00 MiB'], 'vulkan'],
    [
      'two GPU families hold the KV cache',
      ['llama_kv_cache:      CUDA0 KV buffer size =   256.00 MiB', 'llama_kv_cache:    Vulkan0 KV buffer size =   256.00 MiB'],
      null,
    ],
    [
      'a runner built for CUDA',
      [
        `${T('10:00:00')} msg="starting llama server" cmd="/tmp/ollama1/runners/cuda_v11/ollama_llama_server --model /m/blobs/${BLOB} --ctx-size 2048 --batch-size 512 --embedding --log-disable --parallel 1 --port 40001"`,
      ],
      'cuda',
    ],
    [
      'a CUDA build that finds no device',
      [CMD(''), 'ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected', READY],
      'cpu',
    ],
    // A slice that begins in the model dump sees the weights list from its first line; the context set-up ends it.
    [
      'the whole weights list in host memory, KV cut off',
      [
        'llm_load_print_meta: max token length = 256',
        'llm_load_tensors: ggml ctx size =    0.14 MiB',
        'llm_load_tensors:        CPU buffer size =  8137.64 MiB',
        'llama_new_context_with_model: n_ctx      = 8192',
      ],
      'cpu',
    ],
    [
      'the same, 2025 wording, CPU_Mapped alone',
      [
        'print_info: max token length = 256',
        'load_tensors: loading model tensors, this can take a while... (mmap = true)',
        'load_tensors:   CPU_Mapped model buffer size =  8566.04 MiB',
        'llama_context: n_seq_max     = 4',
      ],
      'cpu',
    ],
    [
      'the slice begins at the CPU weights line: GPU buffers may have come before it',
      ['llm_load_tensors:        CPU buffer size =  8137.64 MiB', 'llama_new_context_with_model: n_ctx      = 8192'],
      null,
    ],
    [
      'the slice ends inside the weights list: a GPU buffer may follow',
      ['print_info: max token length = 256', 'load_tensors:   CPU_Mapped model buffer size =  8566.04 MiB'],
      null,
    ],
    [
      'a GPU buffer in the list decides',
      [
        'print_info: max token length = 256',
        'load_tensors:   CPU_Mapped model buffer size =   300.00 MiB',
        'load_tensors:        CUDA0 model buffer size =  4000.00 MiB',
        'llama_context: n_ctx_per_seq = 4096',
      ],
      'cuda',
    ],
    [
      'a device of unknown family in the list is no proof of host memory',
      [
        'print_info: max token length = 256',
        'load_tensors:   CPU_Mapped model buffer size =   300.00 MiB',
        'load_tensors:        SYCL0 model buffer size =  4000.00 MiB',
        'llama_context: n_ctx_per_seq = 4096',
      ],
      null,
    ],
    [
      'the dump line must come right before: a KV line in between opened the load mid-list',
      [
        'print_info: max token length = 256',
        'llama_kv_cache:        CPU KV buffer size =   256.00 MiB',
        'load_tensors:   CPU_Mapped model buffer size =   300.00 MiB',
        'llama_context: n_ctx_per_seq = 4096',
      ],
      null,
    ],
    [
      'layers offloaded to the one GPU family the server lists',
      [
        `${T('10:00:00')} msg="inference compute" id=GPU-00000000-aaaa library=cuda variant=v12 compute=8.9 driver=12.4 name="NVIDIA GeForce RTX 4090" total="23.6 GiB" available="23.2 GiB"`,
        CMD(''),
        `${T('10:00:05')} msg="offloaded 41/41 layers to GPU"`,
      ],
      'cuda',
    ],
  ])('%s → %s', (_name, lines, backend) => {
    const got = loads(lines);
    expect(got).toHaveLength(1);
    expect(got[0]!.backend).toBe(backend);
  });
});

describe('class 3: old eras', () => {
  it('v0.1.x: starting llama runner, n_ctx with one sequence, kv self size, started in', () => {
    const got = loads([
      '2023/12/27 02:44:39 routes.go:895: Listening on 127.0.0.1:11434 (version 0.1.17)',
      '2023/12/27 02:45:00 llama.go:436: starting llama runner',
      'llm_load_tensors: using CUDA for GPU acceleration',
      'llm_load_tensors: offloaded 33/33 layers to GPU',
      'llm_load_tensors: VRAM used: 3577.56 MB',
      'llama_new_context_with_model: n_ctx      = 4096',
      'llama_kv_cache_init: VRAM kv self = 2048.00 MB',
      'llama_new_context_with_model: kv self size  = 2048.00 MB',
      '2023/12/27 02:45:09 llama.go:492: llama runner started in 9.200880 seconds',
    ]);
    expect(got).toEqual([
      expect.objectContaining({
        engine: 'llama.cpp',
        backend: 'cuda',
        ctx: 4096,
        kvBytes: 2048 * MiB,
        gpuLayers: 33,
        loadSeconds: 9.20088,
        outcome: 'ready',
      }),
    ]);
  });

  it('VRAM kv self states the KV size when every layer is offloaded', () => {
    const got = loads(['llm_load_tensors: offloaded 43/43 layers to GPU', 'llama_kv_cache_init: VRAM kv self = 3200.00 MB']);
    expect(got[0]).toMatchObject({ kvBytes: 3200 * MiB });
  });

  it('n_ctx without a version says nothing of the context per sequence', () => {
    expect(loads(['llama_new_context_with_model: n_ctx      = 4096'])[0]).toMatchObject({ ctx: null });
  });

  it.each<[string, string[], number | null]>([
    [
      'VRAM kv self after n_ctx',
      ['llama_new_context_with_model: n_ctx      = 4096', 'llama_kv_cache_init: VRAM kv self = 3200.00 MB'],
      4096,
    ],
    ['VRAM used before n_ctx', ['llm_load_tensors: VRAM used: 6936.01 MB', 'llama_new_context_with_model: n_ctx      = 2048'], 2048],
    [
      '2024 per-device KV lines are no era evidence',
      ['llama_new_context_with_model: n_ctx      = 4096', 'llama_kv_cache_init:      ROCm0 KV buffer size =  3200.00 MiB'],
      null,
    ],
    [
      '2024 KV self size is no era evidence',
      [
        'llama_new_context_with_model: n_ctx      = 4096',
        'llama_new_context_with_model: KV self size  = 3200.00 MiB, K (f16): 1600.00 MiB, V (f16): 1600.00 MiB',
      ],
      null,
    ],
    [
      'no VRAM in use (VRAM used: 0.00 MB) is no evidence either',
      ['llm_load_tensors: VRAM used: 0.00 MB', 'llama_new_context_with_model: n_ctx      = 4096'],
      null,
    ],
  ])("n_ctx with one sequence known from the runner's 2023 wording: %s", (_name, lines, ctx) => {
    expect(loads(lines)[0]).toMatchObject({ ctx });
  });

  it('the n_ctx_per_seq warning states ctx', () => {
    expect(
      loads(['llama_context: n_ctx_per_seq (4096) < n_ctx_train (131072) -- the full capacity of the model will not be utilized'])[0],
    ).toMatchObject({ ctx: 4096 });
  });

  it('error starting the external llama runner is a failed load', () => {
    const got = loads([
      '2023/12/27 02:45:00 llama.go:436: starting llama runner',
      '2023/12/27 02:45:02 llama.go:451: error starting the external llama runner: exit status 1',
    ]);
    expect(got).toEqual([expect.objectContaining({ outcome: 'failed', error: 'exit status 1' })]);
  });

  it('in-process (ext_server) loads: each library load a load, ready when its main loop starts', () => {
    const load = (hms: string, layers: string, kv: string): string[] => [
      `time=2024-03-01T${hms}.000Z level=INFO source=dyn_ext_server.go:87 msg="Loading Dynamic llm server: /tmp/ollama123/runners/cuda_v11/libext_server.so"`,
      `time=2024-03-01T${hms}.000Z level=INFO source=dyn_ext_server.go:147 msg="Initializing llama server"`,
      `llm_load_tensors: offloaded ${layers} layers to GPU`,
      'llama_new_context_with_model: n_ctx      = 2048',
      `llama_kv_cache_init:      CUDA0 KV buffer size =   ${kv} MiB`,
      '{"function":"initialize","level":"INFO","line":444,"msg":"initializing slots","n_slots":1,"tid":"1","timestamp":1709251200}',
      '{"function":"initialize","level":"INFO","line":453,"msg":"new slot","n_ctx_slot":2048,"slot_id":0,"tid":"1","timestamp":1709251200}',
      `time=2024-03-01T${hms}.500Z level=INFO source=dyn_ext_server.go:159 msg="Starting llama main loop"`,
    ];
    const got = loads([...load('10:00:00', '33/33', '128.00'), ...load('10:05:00', '41/41', '256.00')]);
    expect(got).toEqual([
      expect.objectContaining({
        backend: 'cuda',
        ctx: 2048,
        parallel: 1,
        kvBytes: 128 * MiB,
        gpuLayers: 33,
        outcome: 'ready',
        loadSeconds: null,
      }),
      expect.objectContaining({
        backend: 'cuda',
        ctx: 2048,
        parallel: 1,
        kvBytes: 256 * MiB,
        gpuLayers: 41,
        outcome: 'ready',
        loadSeconds: null,
      }),
    ]);
  });
});

describe('class 4: failed loads known only from the scheduler', () => {
  it.each<[string, string[], Facts]>([
    [
      'error loading llama server',
      [
        `time=2026-03-01T10:00:00.000Z level=ERROR source=sched.go:489 msg="error loading llama server" error="llama runner process has terminated: exit status 2"`,
      ],
      { outcome: 'failed', error: 'llama runner process has terminated: exit status 2', model: null },
    ],
    [
      'triggering expiration for failed load, then Load failed',
      [
        `time=2026-03-01T10:00:00.000Z level=DEBUG source=sched.go:1 msg="triggering expiration for failed load" runner.name=registry.ollama.ai/library/llama3.2:latest runner.inference=cuda runner.devices=1 runner.parallel=1 runner.pid=4242 runner.model=/m/blobs/${BLOB} runner.num_ctx=4096`,
        `time=2026-03-01T10:00:00.000Z level=INFO source=sched.go:646 msg="Load failed" model=/m/blobs/${BLOB} error="llama runner process has terminated: exit status 0xc0000409"`,
      ],
      { outcome: 'failed', model: 'llama3.2:latest', error: 'llama runner process has terminated: exit status 0xc0000409' },
    ],
  ])('%s', (_name, lines, want) => {
    const got = loads(lines);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject(want);
  });

  it('the scheduler closes the load that is open, and a canceled load is no crash', () => {
    const { result } = analyzeLines([
      `${T('10:00:00')} msg="starting runner" cmd="/usr/bin/ollama runner --model /m/blobs/${BLOB} --port 40001"`,
      `${T('10:00:00')} msg="starting go runner"`,
      GIN('10:00:01', '3s', '/api/chat'),
      `${T('10:00:02')} msg="Load failed" model=/m/blobs/${BLOB} error="context canceled"`,
    ]);
    expect(result.loads).toEqual([expect.objectContaining({ outcome: 'failed', error: 'context canceled' })]);
    expect(result.incidents.map((i) => i.kind)).not.toContain('runner_crash');
  });
});

describe('class 4: which failures are which', () => {
  const FAIL = (hms: string, msg: string, error: string): string => `${T(hms)} msg="${msg}" model=/m/blobs/${BLOB} error="${error}"`;
  it.each<[string, string[], number, boolean]>([
    [
      'NewLlamaServer failed is a failed load, not a crash',
      [FAIL('10:00:00', 'NewLlamaServer failed', 'unable to load model: /m/blobs/x')],
      1,
      false,
    ],
    [
      'a refusal for want of memory is no crash',
      [FAIL('10:00:00', 'Load failed', 'model requires more system memory (4.3 GiB) than is available (3.9 GiB)')],
      1,
      false,
    ],
    [
      'a runner that terminated is a crash',
      [FAIL('10:00:00', 'error loading llama server', 'llama runner process has terminated: exit status 2')],
      1,
      true,
    ],
    [
      'two attempts, each ending its request, are two loads',
      [
        FAIL('10:00:00', 'NewLlamaServer failed', 'unable to load model: x'),
        GIN('10:00:00', '1.5s', '/api/generate', 500),
        FAIL('10:01:00', 'NewLlamaServer failed', 'unable to load model: x'),
      ],
      2,
      false,
    ],
    [
      'a failure reported again later with no request between is one load',
      [FAIL('10:00:00', 'error loading llama server', 'exit status 1'), FAIL('10:02:00', 'Load failed', 'exit status 1')],
      1,
      true,
    ],
    [
      "the runner's own start line after its Load failed opens no load",
      [
        `${T('10:00:00')} msg="starting runner" cmd="/usr/bin/ollama runner --model /m/blobs/${BLOB} --port 40001"`,
        FAIL('10:00:00', 'Load failed', 'model requires more system memory (4.3 GiB) than is available (3.9 GiB)'),
        `${T('10:00:00')} msg="starting go runner"`,
      ],
      1,
      false,
    ],
  ])('%s', (_name, lines, count, crash) => {
    const { result } = analyzeLines(lines);
    expect(result.loads).toHaveLength(count);
    for (const l of result.loads) expect(l.outcome).toBe('failed');
    expect(result.incidents.some((i) => i.kind === 'runner_crash')).toBe(crash);
  });
});

describe('class 5: servers without a start line', () => {
  const DEVICE = (hms: string): string =>
    `${T(hms)} msg="inference compute" id=GPU-00000000-aaaa library=CUDA compute=8.6 name=CUDA0 description="NVIDIA GeForce RTX 3090" libdirs=ollama,cuda_v12 driver=12.4 pci_id=0000:01:00.0 type=discrete total="24.0 GiB" available="22.8 GiB"`;

  it('a device line with no Listening before it is a server record, version unknown', () => {
    const { result } = analyzeLines([DEVICE('10:00:00')]);
    expect(result.servers).toEqual([
      {
        at: '2026-03-01T10:00:00.000Z',
        version: null,
        config: {},
        devices: [{ library: 'CUDA', name: 'NVIDIA GeForce RTX 3090', totalBytes: 24 * 2 ** 30 }],
      },
    ]);
  });

  it('a start after it is a new server', () => {
    const { result } = analyzeLines([
      DEVICE('10:00:00'),
      `${T('11:00:00')} msg="server config" env="map[OLLAMA_DEBUG:INFO]"`,
      `${T('11:00:00')} msg="Listening on 127.0.0.1:11434 (version 0.12.6)"`,
      DEVICE('11:00:01'),
    ]);
    expect(result.servers.map((s) => [s.version, s.devices.length])).toEqual([
      [null, 1],
      ['0.12.6', 1],
    ]);
  });
});

describe('class 6: captured-terminal damage', () => {
  it.each([
    [
      'pager cut with >',
      'Mär 01 10:00:09 box ollama[4242]: [GIN] 2026/03/01 - 10:00:09 | 200 |  2.5s |       127.0.0.1 | POST     "/api/cha>',
      '/api/cha',
    ],
    [
      'French month, cut with …',
      'janv. 01 10:00:09 box ollama[4242]: [GIN] 2026/03/01 - 10:00:09 | 200 |  2.5s |       127.0.0.1 | POST     "/v1/chat/com…',
      '/v1/chat/com',
    ],
    [
      'Spanish month, whole line',
      'dic 01 10:00:09 box ollama[4242]: [GIN] 2026/03/01 - 10:00:09 | 200 |  2.5s |       127.0.0.1 | POST     "/api/generate"',
      '/api/generate',
    ],
  ])('%s: still a request', (_name, line, path) => {
    const { result } = analyzeLines([line]);
    expect(result.unparsed).toBe(0);
    expect(result.requests).toEqual([expect.objectContaining({ path, status: 200, latencyMs: 2500 })]);
  });
});

describe('class 7: truncation facts reach the request', () => {
  it('truncating input prompt gives truncated, ctxLimit and ctxUsed', () => {
    const { result } = analyzeLines([
      `time=2026-03-01T10:00:01.000Z level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048`,
      GIN('10:00:03', '2.5s', '/api/generate'),
    ]);
    expect(result.requests[0]).toMatchObject({ truncated: true, ctxLimit: 2048, ctxUsed: 2048 });
  });

  it("the load's context wins over the truncation limit", () => {
    const { result } = analyzeLines([
      'llama_context: n_ctx_per_seq = 32768',
      `${T('10:00:00')} msg="llama-server started in 2.00 seconds"`,
      `time=2026-03-01T10:00:01.000Z level=WARN source=llama_server.go:317 msg="truncating input prompt" limit=16387 prompt=40120 keep=5 new=16387`,
      GIN('10:00:03', '2.5s', '/api/generate'),
    ]);
    expect(result.requests[0]).toMatchObject({ truncated: true, ctxLimit: 32768, ctxUsed: 16387 });
  });
});
