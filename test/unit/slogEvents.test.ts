// Ollama's own lines → events, one row per message and era, written in the layouts Ollama prints,
// with made-up values.
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../agent/parse/parseLine.js';

const AT = '2026-08-23T13:28:31.113-07:00';
const T = `time=${AT}`;
const BLOB = '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';
const DIGEST = 'sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';
const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('slog messages → events', () => {
  it.each([
    [
      'server config (slog, v0.7+)',
      `${T} level=INFO source=routes.go:1951 msg="server config" env="map[HTTPS_PROXY: OLLAMA_CONTEXT_LENGTH:0 OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_ORIGINS:[http://localhost https://localhost] OLLAMA_USE_MLX:1 no_proxy:]"`,
      {
        type: 'server_config',
        at: AT,
        env: {
          HTTPS_PROXY: '',
          OLLAMA_CONTEXT_LENGTH: '0',
          OLLAMA_HOST: 'http://127.0.0.1:11434',
          OLLAMA_ORIGINS: '[http://localhost https://localhost]',
          OLLAMA_USE_MLX: '1',
          no_proxy: '',
        },
      },
    ],
    [
      'server config (Go log, v0.5)',
      '2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[OLLAMA_DEBUG:false OLLAMA_NUM_PARALLEL:0]"',
      { type: 'server_config', at: '2025-02-13T17:38:14', env: { OLLAMA_DEBUG: 'false', OLLAMA_NUM_PARALLEL: '0' } },
    ],
    [
      'inference compute, v0.3 lowercase',
      `${T} level=INFO source=types.go:107 msg="inference compute" id=GPU-14ff library=cuda variant=v12 compute=8.9 driver=12.5 name="NVIDIA GeForce RTX 4090" total="23.6 GiB" available="23.2 GiB"`,
      { type: 'inference_compute', at: AT, library: 'cuda', name: 'NVIDIA GeForce RTX 4090', totalBytes: Math.round(23.6 * GiB) },
    ],
    [
      'inference compute, v0.12.4+ description',
      `${T} level=INFO source=types.go:32 msg="inference compute" id=0 filter_id="" library=Metal compute=0.0 name=MTL0 description="Apple M3 Max" libdirs="" driver=0.0 pci_id="" type=iGPU total="96.0 GiB" available="96.0 GiB"`,
      { type: 'inference_compute', at: AT, library: 'Metal', name: 'Apple M3 Max', totalBytes: 96 * GiB },
    ],
    [
      'vram-based default context',
      `${T} level=INFO source=routes.go:2031 msg="vram-based default context" total_vram="113.5 GiB" default_num_ctx=262144`,
      { type: 'default_ctx', at: AT, numCtx: 262144 },
    ],
    [
      'MLX load',
      `${T} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=registry.ollama.ai/library/qwen3.5:35b-a3b port=54164`,
      { type: 'load_intent', at: AT, engine: 'mlx', model: 'qwen3.5:35b-a3b', blob: null },
    ],
    [
      'llama-server load',
      `${T} level=INFO source=server.go:109 msg="using llama-server for model" model=${BLOB}`,
      { type: 'load_intent', at: AT, engine: 'llama.cpp', model: null, blob: DIGEST },
    ],
    [
      'era B C++ runner cmd',
      `${T} level=INFO source=server.go:384 msg="starting llama server" cmd="/var/folders/x/T/ollama1/runners/metal/ollama_llama_server --model ${BLOB} --ctx-size 8192 --batch-size 512 --embedding --log-disable --parallel 4 --port 54216"`,
      {
        type: 'runner_cmd',
        at: AT,
        engine: 'llama.cpp',
        blob: DIGEST,
        ctxSize: 8192,
        parallel: 4,
        gpuLayers: null,
        kvType: null,
        library: 'metal',
      },
    ],
    [
      'era C Windows variant dir',
      `${T} level=INFO source=server.go:368 msg="starting llama server" cmd="C:\\\\Ollama\\\\ollama_runners\\\\cuda_v11.3\\\\ollama_llama_server.exe --model C:\\\\m\\\\blobs\\\\sha256-242c830e781874518a173314459477f796bb2ce65bf98aff2e000beb99bd0345 --ctx-size 2048 --n-gpu-layers 33 --parallel 1 --port 60955"`,
      { type: 'runner_cmd', engine: 'llama.cpp', ctxSize: 2048, parallel: 1, gpuLayers: 33, library: 'cuda' },
    ],
    [
      'era D --ollama-engine',
      `${T} level=INFO source=server.go:438 msg="starting llama server" cmd="/usr/local/bin/ollama runner --ollama-engine --model ${BLOB} --ctx-size 8192 --batch-size 512 --n-gpu-layers 48 --threads 28 --parallel 1 --port 37606"`,
      { type: 'runner_cmd', engine: 'ollama-engine', ctxSize: 8192, parallel: 1, gpuLayers: 48, library: null },
    ],
    [
      'era E starting runner',
      `${T} level=INFO source=server.go:392 msg="starting runner" cmd="/Applications/Ollama.app/Contents/Resources/ollama runner --model ${BLOB} --port 52409"`,
      { type: 'runner_cmd', engine: 'llama.cpp', blob: DIGEST, ctxSize: null, parallel: null },
    ],
    [
      'era E GPU discovery runner (no --model) is not a load',
      `${T} level=INFO source=server.go:429 msg="starting runner" cmd="/usr/bin/ollama runner --ollama-engine --port 63257"`,
      { type: 'clock', at: AT },
    ],
    [
      'era F llama-server cmd',
      `${T} level=INFO source=llama_server.go:431 msg="starting llama-server" cmd="/usr/lib/ollama/llama-server --model ${BLOB} --port 37160 -c 131072 -np 2 --cache-type-k q8_0 --cache-type-v q8_0 -ngl 0 --context-shift --keep 4"`,
      { type: 'runner_cmd', engine: 'llama.cpp', ctxSize: 131072, parallel: 2, gpuLayers: 0, kvType: 'q8_0' },
    ],
    [
      'child: go runner',
      `${T} level=INFO source=runner.go:963 msg="starting go runner"`,
      { type: 'runner_flavor', at: AT, engine: 'llama.cpp' },
    ],
    [
      'child: ollama engine',
      `${T} level=INFO source=runner.go:1398 msg="starting ollama engine"`,
      { type: 'runner_flavor', at: AT, engine: 'ollama-engine' },
    ],
    [
      'offload to gpu (v0.1.32)',
      `${T} level=INFO source=server.go:127 msg="offload to gpu" reallayers=33 layers=33 required="4765.5 MiB" kv="1024.0 MiB"`,
      { type: 'load_library', at: AT, library: 'gpu', layersOffload: 33, layersModel: 33 },
    ],
    [
      'offload to rocm (v0.1.45–v0.5.11)',
      `${T} level=INFO source=memory.go:309 msg="offload to rocm" layers.requested=-1 layers.model=81 layers.offload=43 layers.split="" memory.required.kv="640.0 MiB"`,
      { type: 'load_library', at: AT, library: 'rocm', layersOffload: 43, layersModel: 81 },
    ],
    [
      'offload library= (v0.5.12–v0.12.10)',
      `${T} level=INFO source=server.go:175 msg=offload library=cuda layers.requested=-1 layers.model=49 layers.offload=48 layers.split=""`,
      { type: 'load_library', at: AT, library: 'cuda', layersOffload: 48, layersModel: 49 },
    ],
    [
      'gpu memory (scheduler, per load)',
      `${T} level=INFO source=sched.go:620 msg="gpu memory" id=0 library=Vulkan available="31.9 GiB" free="32.3 GiB" minimum="457.0 MiB" overhead="0 B"`,
      { type: 'load_library', at: AT, library: 'Vulkan', layersOffload: null, layersModel: null },
    ],
    [
      'era E load request',
      `${T} level=INFO source=runner.go:1271 msg=load request="{Operation:commit LoraPath:[] Parallel:2 BatchSize:512 FlashAttention:Enabled KvSize:8192 KvCacheType:q8_0 NumThreads:12 GPULayers:29[ID:0 Layers:29(0..28)] MultiUserCache:false}"`,
      { type: 'load_request', at: AT, operation: 'commit', kvSize: 8192, parallel: 2, gpuLayers: 29, kvType: 'q8_0' },
    ],
    [
      'era E load request on the CPU',
      `${T} level=INFO source=runner.go:1271 msg=load request="{Operation:fit LoraPath:[] Parallel:1 BatchSize:512 KvSize:4096 KvCacheType: GPULayers:[] MultiUserCache:false}"`,
      { type: 'load_request', operation: 'fit', gpuLayers: 0, kvType: null },
    ],
    [
      '"model layers" quoted key',
      `${T} level=INFO source=server.go:702 msg="loading model" "model layers"=29 requested=-1`,
      { type: 'model_layers', at: AT, layers: 29 },
    ],
    [
      'kv cache device',
      `${T} level=INFO source=backend.go:321 msg="kv cache" device=CUDA0 size="936.0 MiB"`,
      { type: 'kv_device', at: AT, device: 'CUDA0', bytes: 936 * MiB },
    ],
    [
      'total memory',
      `${T} level=INFO source=backend.go:342 msg="total memory" size="5.4 GiB"`,
      { type: 'memory_total', at: AT, bytes: Math.round(5.4 * 1024 * MiB) },
    ],
    [
      'Ollama engine offloaded',
      `${T} level=INFO source=ggml.go:362 msg="offloaded 41/41 layers to GPU"`,
      { type: 'offloaded', gpuLayers: 41, totalLayers: 41 },
    ],
    [
      'llama runner started',
      `${T} level=INFO source=server.go:1272 msg="llama runner started in 9.16 seconds"`,
      { type: 'runner_ready', at: AT, seconds: 9.16 },
    ],
    [
      'llama runner started (2023 Go log, %f)',
      '2023/12/05 18:12:11 llama.go:492: llama runner started in 9.200880 seconds',
      { type: 'runner_ready', at: '2023-12-05T18:12:11', seconds: 9.20088 },
    ],
    [
      'llama-server started',
      `${T} level=INFO source=llama_server.go:1362 msg="llama-server started in 252.60 seconds"`,
      { type: 'runner_ready', at: AT, seconds: 252.6 },
    ],
    [
      'mlx runner is ready',
      `${T} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
      { type: 'runner_ready', at: AT, seconds: null },
    ],
    [
      'error loading llama server',
      `${T} level=ERROR source=sched.go:489 msg="error loading llama server" error="llama runner process has terminated: exit status 2"`,
      { type: 'load_failed', at: AT, error: 'llama runner process has terminated: exit status 2' },
    ],
    [
      'Load failed (v0.30+)',
      `${T} level=INFO source=sched.go:646 msg="Load failed" model=${BLOB} error="llama-server process has terminated: exit status 1: failed to allocate buffer"`,
      { type: 'load_failed', at: AT, error: 'llama-server process has terminated: exit status 1: failed to allocate buffer' },
    ],
    [
      'llama runner terminated',
      `${T} level=ERROR source=server.go:426 msg="llama runner terminated" error="exit status 2"`,
      { type: 'runner_exit', at: AT, error: 'exit status 2' },
    ],
    [
      'llama-server terminated',
      `${T} level=ERROR source=llama_server.go:985 msg="llama-server terminated" error="exit status 1" exit=1`,
      { type: 'runner_exit', at: AT, error: 'exit status 1' },
    ],
    [
      'stopping mlx runner',
      `${T} level=INFO source=server.go:361 msg="stopping mlx runner subprocess" pid=33737`,
      { type: 'runner_stop', at: AT, engine: 'mlx' },
    ],
    [
      'MLX engine on the CPU',
      `${T} level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=cpu`,
      { type: 'mlx_device', at: AT, device: 'cpu' },
    ],
    [
      'MLX library missing (Go log)',
      '2026/02/22 17:04:03 WARN MLX dynamic library not available error="failed to load MLX dynamic library (searched: [/opt/homebrew/lib])"',
      { type: 'mlx_unavailable', at: '2026-02-22T17:04:03', error: 'failed to load MLX dynamic library (searched: [/opt/homebrew/lib])' },
    ],
    [
      'MLX working set',
      `${T} level=WARN source=runner.go:155 msg="MLX model exceeds the recommended working set; performance may be degraded" active="78.70 GiB" recommended="72.00 GiB"`,
      { type: 'mlx_working_set', at: AT, activeBytes: Math.round(78.7 * GiB), recommendedBytes: 72 * GiB },
    ],
    [
      'template selection names the model',
      `${T} level=INFO source=images.go:354 msg="template selection" model=registry.ollama.ai/library/gpt-oss:120b selected=harmony`,
      { type: 'model_name', at: AT, model: 'gpt-oss:120b' },
    ],
    [
      'finished setting up: the runner summary (DEBUG)',
      `${T} level=DEBUG source=sched.go:470 msg="finished setting up" runner.name=registry.ollama.ai/library/llama3.2:latest runner.inference=metal runner.devices=1 runner.size="3.1 GiB" runner.vram="3.1 GiB" runner.parallel=2 runner.pid=4242 runner.model=${BLOB} runner.num_ctx=8192`,
      { type: 'runner_info', at: AT, model: 'llama3.2:latest', blob: DIGEST, numCtx: 8192, parallel: 2, library: 'metal' },
    ],
    [
      'finished setting up by blob is no name',
      `${T} level=DEBUG source=sched.go:462 msg="finished setting up runner" model=${BLOB}`,
      { type: 'clock', at: AT },
    ],
    ['loaded runners', `${T} level=INFO source=sched.go:728 msg="loaded runners" count=2`, { type: 'loaded_runners', at: AT, count: 2 }],
    [
      'using mlx backend (product brief)',
      `${T} level=INFO source=routes.go:1 msg="using mlx backend" model=qwen3.5:35b-a3b`,
      { type: 'using_mlx', at: AT, model: 'qwen3.5:35b-a3b' },
    ],
    [
      'MLX cache hit',
      `${T} level=INFO source=prefix_cache.go:125 msg="cache hit" total=1610 matched=1540 cached=1536 left=74`,
      { type: 'mlx_cache', at: AT, total: 1610, cached: 1536 },
    ],
    [
      'MLX Cache miss (v0.16–v0.17)',
      `${T} level=INFO source=cache.go:1 msg="Cache miss" total=1532`,
      { type: 'mlx_cache', at: AT, total: 1532, cached: null },
    ],
    [
      'MLX peak memory',
      `${T} level=INFO source=pipeline.go:91 msg="peak memory" size="19.87 GiB"`,
      { type: 'mlx_peak', at: AT, bytes: Math.round(19.87 * GiB) },
    ],
    [
      'truncating input prompt',
      `${T} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048`,
      { type: 'truncation', at: AT, limit: 2048, prompt: 5065, detail: 'prompt of 5065 tokens truncated to 2048 (limit 2048)' },
    ],
    [
      'truncating messages (DEBUG)',
      `${T} level=DEBUG source=prompt.go:77 msg="truncating input messages which exceed context length" truncated=3`,
      { type: 'truncation', at: AT, limit: null, prompt: null, detail: '3 messages dropped to fit the context' },
    ],
    [
      'Go runner context shift (DEBUG)',
      `${T} level=DEBUG source=cache.go:286 msg="context limit hit - shifting" id=0 limit=4096 input=4096 keep=4 discard=2046`,
      { type: 'context_shift', at: AT, detail: 'context limit 4096 hit: discarded 2046 tokens' },
    ],
    [
      'runtime OOM (v0.30+)',
      `${T} level=WARN source=sched.go:1648 msg="runtime OOM detected; expiring loaded models to clear memory before next request" model=${BLOB} error="cudaMalloc failed: out of memory"`,
      { type: 'oom', at: AT, text: 'cudaMalloc failed: out of memory' },
    ],
    [
      'MLX relay of a slog line (v0.15.5–v0.17.0)',
      `${T} level=WARN source=client.go:12 msg=mlx-runner msg="time=${AT} level=INFO source=server.go:44 msg=\\"MLX engine initialized\\" \\"MLX version\\"=0.30.6 device=gpu"`,
      { type: 'mlx_device', at: AT, device: 'gpu' },
    ],
    [
      'MLX relay of raw output',
      `${T} level=INFO source=client.go:12 msg=mlx-runner msg="load_tensors: offloaded 33/33 layers to GPU"`,
      { type: 'offloaded', gpuLayers: 33, totalLayers: 33 },
    ],
    ['a message we do not read is a clock', `${T} level=INFO source=images.go:473 msg="total blobs: 5"`, { type: 'clock', at: AT }],
    ['a message named like an Object property is a clock', `${T} level=INFO source=x.go:1 msg=constructor`, { type: 'clock', at: AT }],
    // Which messages are read is decided on the line itself (NEEDS_PARSE), and their head from its positions.
    [
      'a known message written bare',
      `${T} level=INFO source=server.go:175 msg=offload library=cuda layers.offload=29 layers.model=33`,
      { type: 'load_library', at: AT, library: 'cuda', layersOffload: 29, layersModel: 33 },
    ],
    [
      'a known message as the start of a longer one is a clock',
      `${T} level=INFO source=x.go:1 msg="offload library"`,
      { type: 'clock', at: AT },
    ],
    [
      'a known message written with an escape is still read',
      `${T} level=INFO source=sched.go:728 msg="loaded\u0020runners" count=2`,
      { type: 'loaded_runners', at: AT, count: 2 },
    ],
    [
      'a message without its closing quote is unquoted to the end',
      `${T} level=INFO source=sched.go:728 msg="loaded runners`,
      { type: 'clock', at: AT },
    ],
    [
      'a message beginning like one read for its values',
      `${T} level=INFO source=x.go:1 msg="llama-server started in 1.50 seconds"`,
      { type: 'runner_ready', at: AT, seconds: 1.5 },
    ],
    ['no source key', `${T} level=INFO msg="loaded runners" count=3`, { type: 'loaded_runners', at: AT, count: 3 }],
    ['a quoted source key', `${T} level=INFO source="x y.go:1" msg="loaded runners" count=4`, { type: 'loaded_runners', at: AT, count: 4 }],
    [
      'another key between level and msg',
      `${T} level=INFO model=a source=x.go:1 msg="using mlx backend" x=1`,
      { type: 'using_mlx', at: AT, model: 'a' },
    ],
    [
      'a later time key wins for a line that is read',
      `${T} level=INFO source=x.go:1 msg="loaded runners" count=1 time=2026-01-01T00:00:00Z`,
      { type: 'loaded_runners', at: '2026-01-01T00:00:00Z', count: 1 },
    ],
    ['mlx-runner with nothing after it is a clock', `${T} level=INFO source=x.go:1 msg=mlx-runner`, { type: 'clock', at: AT }],
  ])('%s', (_name, line, want) => {
    expect(parseLine(line)).toMatchObject(want);
  });

  it('two lines with the same time give equal times', () => {
    const a = parseLine(`${T} level=INFO source=x.go:1 msg="total blobs: 5"`);
    const b = parseLine(`${T} level=INFO source=x.go:2 msg="total blobs: 6"`);
    const c = parseLine(`time=2026-08-23T13:28:31.114-07:00 level=INFO source=x.go:2 msg="total blobs: 6"`);
    expect([a, b, c]).toEqual([
      { type: 'clock', at: AT },
      { type: 'clock', at: AT },
      { type: 'clock', at: '2026-08-23T13:28:31.114-07:00' },
    ]);
  });

  it('is not fooled by `key=` inside a quoted value', () => {
    expect(
      parseLine(
        `${T} level=WARN source=runner.go:131 msg="truncating input prompt" note="limit=1 prompt=2" limit=4096 prompt=9000 keep=4 new=4096`,
      ),
    ).toMatchObject({ type: 'truncation', limit: 4096, prompt: 9000 });
  });
});
