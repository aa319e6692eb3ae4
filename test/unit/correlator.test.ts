// The correlator, driven through the real pipeline (logical lines → parser → correlator) with log
// lines written in the layouts Ollama prints in each era, with made-up values.
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';
import { Correlator } from '../../agent/correlate/correlator.js';
import { requestKind } from '../../agent/correlate/requestKind.js';
import type { CorrelatedRecord } from '../../agent/correlate/records.js';
import { LogPipeline, type PipelineState } from '../../agent/pipeline/LogPipeline.js';
import { parseLine } from '../../agent/parse/parseLine.js';

const T = (hms: string, zone = '-07:00'): string => `time=2026-08-23T${hms}.000${zone}`;
const GIN = (hms: string, latency: string, path = '/api/chat', status = 200, method = 'POST'): string =>
  `[GIN] 2026/08/23 - ${hms} | ${status} | ${latency.padStart(13)} |       127.0.0.1 | ${method.padEnd(8)} "${path}"`;
const BLOB = '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';

const serverStart = (env = 'OLLAMA_CONTEXT_LENGTH:0 OLLAMA_NUM_PARALLEL:1'): string[] => [
  `${T('13:28:31')} level=INFO source=routes.go:1951 msg="server config" env="map[HTTPS_PROXY: ${env} OLLAMA_ORIGINS:[http://localhost https://localhost] no_proxy:]"`,
  `${T('13:28:31')} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
  `${T('13:28:31')} level=INFO source=types.go:32 msg="inference compute" id=0 filter_id="" library=Metal compute=0.0 name=MTL0 description="Apple M3 Max" libdirs="" driver=0.0 pci_id="" type=iGPU total="96.0 GiB" available="96.0 GiB"`,
];

/** An era-F llama-server load: `ngl` GPU layers of 33, KV split as llama-server prints it. */
const llamaServerLoad = (hms: string, { ctx = 8192, np = 1, gpu = 33 } = {}): string[] => [
  `${T(hms)} level=INFO source=server.go:109 msg="using llama-server for model" model=${BLOB}`,
  `${T(hms)} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/Applications/Ollama.app/Contents/Resources/llama-server --model ${BLOB} --port 52409 --host 127.0.0.1 -c ${ctx * np} -np ${np} --log-verbosity 4${gpu === 0 ? ' -ngl 0' : ''}"`,
  `${T(hms)} level=INFO source=sched.go:620 msg="gpu memory" id=0 library=Metal available="95.5 GiB" free="96.0 GiB" minimum="512.0 MiB" overhead="0 B"`,
  `load_tensors: offloaded ${gpu}/33 layers to GPU`,
  ...(gpu > 0 ? ['llama_kv_cache:       MTL0 KV buffer size =   896.00 MiB'] : []),
  ...(gpu < 33 ? ['llama_kv_cache:        CPU KV buffer size =   128.00 MiB'] : []),
  `slot   load_model: id  0 | task -1 | new slot, n_ctx = ${ctx}`,
  `${T(hms)} level=INFO source=llama_server.go:1362 msg="llama-server started in 3.87 seconds"`,
  `${T(hms)} level=INFO source=images.go:354 msg="template selection" model=registry.ollama.ai/library/llama3.1:8b selected=go_template`,
];

const llamaServerRequest = (task: number, prompt: number, gen: number, ctx = 8192): string[] => [
  `slot launch_slot_: id  0 | task ${task} | processing task, is_child = 0`,
  `slot   operator(): id  0 | task ${task} | new prompt, n_ctx_slot = ${ctx}, n_keep = 4, task.n_tokens = ${prompt}`,
  `slot print_timing: id  0 | task ${task} | prompt eval time =     252.01 ms /  ${prompt} tokens (    0.50 ms per token,  2000.00 tokens per second)`,
  `slot print_timing: id  0 | task ${task} |        eval time =    5729.20 ms /    ${gen} tokens (   60.31 ms per token,    16.58 tokens per second)`,
  `slot print_timing: id  0 | task ${task} |       total time =    5981.21 ms /   ${prompt + gen} tokens`,
  `slot      release: id  0 | task ${task} | stop processing: n_tokens = ${prompt + gen}, truncated = 0`,
  'srv  update_slots: all slots are idle',
];

describe('Correlator: era F llama-server', () => {
  const { result } = analyzeLines([
    ...serverStart(),
    ...llamaServerLoad('13:30:09'),
    ...llamaServerRequest(0, 1532, 96),
    GIN('13:30:16', '6.2s'),
  ]);

  it('records the server run with config and devices', () => {
    expect(result.servers).toEqual([
      {
        at: '2026-08-23T13:28:31.000-07:00',
        version: '0.33.0',
        config: expect.objectContaining({ OLLAMA_NUM_PARALLEL: '1', OLLAMA_ORIGINS: '[http://localhost https://localhost]' }),
        devices: [{ library: 'Metal', name: 'Apple M3 Max', totalBytes: 96 * 2 ** 30 }],
      },
    ]);
  });

  it('records the load: engine, backend, context per sequence, KV, layers, load time, name', () => {
    expect(result.loads).toEqual([
      {
        at: '2026-08-23T13:30:09.000-07:00',
        model: 'llama3.1:8b',
        engine: 'llama.cpp',
        backend: 'metal',
        device: null,
        ctx: 8192,
        parallel: 1,
        kvBytes: 896 * 2 ** 20,
        gpuLayers: 33,
        totalLayers: 33,
        loadSeconds: 3.87,
        outcome: 'ready',
        error: null,
      },
    ]);
  });

  it('attributes the request and takes tokens and rates from the final timings', () => {
    expect(result.requests).toEqual([
      {
        at: '2026-08-23T13:30:16-07:00',
        method: 'POST',
        path: '/api/chat',
        status: 200,
        latencyMs: 6200,
        client: '127.0.0.1',
        kind: 'inference',
        model: 'llama3.1:8b',
        backend: 'metal',
        promptTokens: 1532,
        completionTokens: 96,
        prefillTps: 2000,
        decodeTps: 16.58,
        ctxUsed: 1628,
        ctxLimit: 8192,
        truncated: false,
        // The KV buffer lines give the allocation; without a size/cells summary the log states no per-token figure.
        peakMemoryBytes: null,
        kvBytes: 896 * 2 ** 20,
        kvUsedBytes: null,
      },
    ]);
    expect(result.incidents).toEqual([]);
  });
});

describe('Correlator: context per sequence', () => {
  it.each([
    [
      'era B --ctx-size without --parallel',
      `${T('10:00:00')} level=INFO source=server.go:384 msg="starting llama server" cmd="/tmp/ollama1/runners/metal/ollama_llama_server --model ${BLOB} --ctx-size 2048 --batch-size 512 --port 54216"`,
      2048,
      1,
    ],
    [
      'era D --ctx-size 8192 --parallel 4',
      `${T('10:00:00')} level=INFO source=server.go:384 msg="starting llama server" cmd="/usr/bin/ollama runner --model ${BLOB} --ctx-size 8192 --batch-size 512 --n-gpu-layers 33 --parallel 4 --port 1"`,
      2048,
      4,
    ],
    [
      'era F -c 131072 -np 2',
      `${T('10:00:00')} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/usr/lib/ollama/llama-server --model ${BLOB} -c 131072 -np 2"`,
      65536,
      2,
    ],
  ])('%s', (_n, cmd, ctx, parallel) => {
    const { result } = analyzeLines([
      cmd,
      'load_tensors: offloaded 33/33 layers to GPU',
      `${T('10:00:05')} level=INFO source=server.go:1 msg="llama runner started in 5.00 seconds"`,
    ]);
    expect(result.loads[0]).toMatchObject({ ctx, parallel, outcome: 'ready', loadSeconds: 5 });
  });

  it('era E: KvSize of the committed load request, divided by Parallel', () => {
    const { result } = analyzeLines([
      `${T('10:00:00')} level=INFO source=server.go:392 msg="starting runner" cmd="/Applications/Ollama.app/Contents/Resources/ollama runner --ollama-engine --model ${BLOB} --port 52409"`,
      `${T('10:00:00')} level=INFO source=runner.go:1271 msg=load request="{Operation:fit LoraPath:[] Parallel:2 BatchSize:512 FlashAttention:Enabled KvSize:4096 KvCacheType: NumThreads:12 GPULayers:29[ID:0 Layers:29(0..28)] MultiUserCache:false}"`,
      `${T('10:00:01')} level=INFO source=runner.go:1271 msg=load request="{Operation:commit LoraPath:[] Parallel:2 BatchSize:512 FlashAttention:Enabled KvSize:8192 KvCacheType: NumThreads:12 GPULayers:29[ID:0 Layers:29(0..28)] MultiUserCache:false}"`,
      `${T('10:00:01')} level=INFO source=device.go:240 msg="kv cache" device=Metal size="448.0 MiB"`,
      `${T('10:00:01')} level=INFO source=ggml.go:494 msg="offloaded 29/29 layers to GPU"`,
      `${T('10:00:02')} level=INFO source=server.go:1272 msg="llama runner started in 2.44 seconds"`,
    ]);
    expect(result.loads[0]).toMatchObject({
      engine: 'ollama-engine',
      backend: 'metal',
      ctx: 4096,
      parallel: 2,
      kvBytes: 448 * 2 ** 20,
      gpuLayers: 29,
    });
  });
});

describe('Correlator: incidents', () => {
  it('gpu_fallback: 0 layers on the GPU of a machine that has one', () => {
    const { result } = analyzeLines([...serverStart(), ...llamaServerLoad('13:30:09', { gpu: 0 })]);
    expect(result.loads[0]).toMatchObject({ backend: 'cpu', gpuLayers: 0 });
    expect(result.incidents).toEqual([
      expect.objectContaining({ kind: 'gpu_fallback', detail: expect.stringMatching(/CPU although a Metal GPU/) }),
    ]);
  });

  it('no gpu_fallback on a machine without a GPU', () => {
    const { result } = analyzeLines([
      `${T('10:00:00')} level=INFO source=types.go:105 msg="inference compute" id="" library=cpu compute="" driver=0.0 name="" total="64.0 GiB" available="44.3 GiB"`,
      `${T('10:00:01')} level=INFO source=server.go:384 msg="starting llama server" cmd="/tmp/o/runners/cpu_avx2/ollama_llama_server --model ${BLOB} --ctx-size 2048 --port 1"`,
      'llama_kv_cache_init:        CPU KV buffer size =   112.00 MiB',
      `${T('10:00:03')} level=INFO source=server.go:1 msg="llama runner started in 2.00 seconds"`,
    ]);
    expect(result.loads[0]).toMatchObject({ backend: 'cpu' });
    expect(result.incidents).toEqual([]);
  });

  it('partial_offload: some layers on the CPU; backend is still the GPU library', () => {
    const { result } = analyzeLines([...serverStart(), ...llamaServerLoad('13:30:09', { gpu: 31 })]);
    expect(result.loads[0]).toMatchObject({ backend: 'metal', gpuLayers: 31, totalLayers: 33, kvBytes: (896 + 128) * 2 ** 20 });
    expect(result.incidents.map((i) => i.kind)).toEqual(['partial_offload']);
  });

  it('context_near_limit at 0.85 of the slot context; context_truncated from the runner line, linked by time', () => {
    const { result } = analyzeLines([
      ...serverStart(),
      ...llamaServerLoad('13:30:09', { ctx: 8192 }),
      ...llamaServerRequest(0, 7000, 100),
      GIN('13:30:20', '6s'),
      `${T('13:31:00')} level=WARN source=llama_server.go:317 msg="truncating input prompt" limit=4098 prompt=9120 keep=4 new=4098`,
      ...llamaServerRequest(1, 4098, 50),
      GIN('13:31:06', '6s'),
    ]);
    expect(result.requests.map((q) => q.truncated)).toEqual([false, true]);
    expect(result.incidents.map((i) => i.kind)).toEqual(['context_near_limit', 'context_truncated']);
    expect(result.incidents[1]!.detail).toMatch(/9120 tokens truncated to 4098/);
  });

  it('a truncation older than the request that follows is not pinned on it', () => {
    const { result } = analyzeLines([
      `${T('13:00:00')} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048`,
      GIN('13:30:00', '2s'),
    ]);
    expect(result.requests[0]!.truncated).toBeNull();
    expect(result.incidents).toEqual([expect.objectContaining({ kind: 'context_truncated', detail: expect.stringMatching(/5065/) })]);
  });

  it('runner_crash and oom on a Metal OOM, and the load is failed with the error', () => {
    const { result } = analyzeLines([
      ...serverStart(),
      ...llamaServerLoad('13:30:09'),
      'ggml_metal_synchronize: error: command buffer 0 failed with status 5',
      'error: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)',
      `${T('13:31:00')} level=ERROR source=llama_server.go:985 msg="llama-server terminated" error="exit status 2"`,
      GIN('13:31:00', '44.88s', '/api/generate', 500),
    ]);
    expect(result.loads[0]).toMatchObject({ outcome: 'failed', error: 'exit status 2' });
    expect(result.incidents.map((i) => i.kind).sort()).toEqual(['oom', 'runner_crash']);
    // The request that died with the runner is still the crashed model's.
    expect(result.requests[0]).toMatchObject({ status: 500, model: 'llama3.1:8b', backend: 'metal' });
  });

  it('mlx_fallback under OLLAMA_USE_MLX: a request without `using mlx backend`, served by llama.cpp', () => {
    const { result } = analyzeLines([
      ...serverStart('OLLAMA_USE_MLX:1 OLLAMA_NUM_PARALLEL:1'),
      `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=54164`,
      `${T('13:30:01')} level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu`,
      `${T('13:30:04')} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
      `${T('13:30:05')} level=INFO source=routes.go:1 msg="using mlx backend" model=qwen3.5:35b-a3b`,
      `${T('13:30:05')} level=INFO source=prefix_cache.go:125 msg="cache miss" total=1532 matched=0 cached=0 left=1532`,
      `${T('13:30:09')} level=INFO source=pipeline.go:91 msg="peak memory" size="19.87 GiB"`,
      GIN('13:30:09', '4.5s'),
      ...llamaServerLoad('13:31:00'),
      ...llamaServerRequest(0, 300, 20),
      GIN('13:31:10', '5s'),
    ]);
    expect(result.loads.map((l) => [l.model, l.engine, l.backend, l.device, l.loadSeconds])).toEqual([
      ['qwen3.5:35b-a3b', 'mlx', 'mlx', 'gpu', 4],
      ['llama3.1:8b', 'llama.cpp', 'metal', null, 3.87],
    ]);
    // Two runners are loaded: each request is attributed by its own evidence, not by guessing.
    expect(result.requests.map((q) => [q.model, q.backend, q.promptTokens])).toEqual([
      ['qwen3.5:35b-a3b', 'mlx', 1532],
      ['llama3.1:8b', 'metal', 300],
    ]);
    expect(result.incidents.map((i) => i.kind)).toEqual(['mlx_fallback']);
    expect(result.incidents[0]!.detail).toMatch(/llama3\.1:8b expected on MLX \(OLLAMA_USE_MLX\) but served by llama\.cpp\/metal/);
  });

  it('leaves model and backend null when two runners could have served a request', () => {
    const { result } = analyzeLines([
      ...serverStart(),
      `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=54164`,
      `${T('13:30:04')} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
      ...llamaServerLoad('13:31:00'),
      GIN('13:32:00', '1s', '/api/embed'),
    ]);
    expect(result.requests[0]).toMatchObject({ model: null, backend: null, promptTokens: null });
  });

  it('mlx_on_cpu, mlx_failed and mlx_unavailable', () => {
    const { result } = analyzeLines([
      '2026/02/22 17:04:03 WARN MLX dynamic library not available error="failed to load MLX dynamic library (searched: [/opt])"',
      `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3:8b port=1`,
      `${T('13:30:01')} level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=cpu`,
      `${T('13:30:02')} level=INFO source=client.go:106 msg="mlx runner is ready" port=1`,
      `${T('13:31:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=gemma3:27b port=2`,
      `${T('13:31:01')} level=ERROR source=sched.go:734 msg="error loading llama server" error="mlx runner failed: model architecture not supported (exit: 1)"`,
    ]);
    expect(result.incidents.map((i) => i.kind)).toEqual(['mlx_unavailable', 'mlx_on_cpu', 'mlx_failed']);
    expect(result.loads.map((l) => [l.model, l.backend, l.outcome])).toEqual([
      ['qwen3:8b', 'cpu', 'ready'],
      // It failed before MLX said which device it had: the backend is not known.
      ['gemma3:27b', null, 'failed'],
    ]);
  });
});

describe('Correlator: state', () => {
  const lines = [
    ...serverStart(),
    ...llamaServerLoad('13:30:09'),
    ...llamaServerRequest(0, 1532, 96),
    GIN('13:30:16', '6.2s'),
    ...llamaServerRequest(1, 1600, 10),
    GIN('13:30:30', '1s'),
  ];

  it('saved at its resume point through JSON at every line, gives exactly the records of one straight run', () => {
    const run = (cut: number): CorrelatedRecord[] => {
      const out: CorrelatedRecord[] = [];
      let p = new LogPipeline();
      lines.forEach((line, i) => {
        if (i === cut) p = new LogPipeline(JSON.parse(JSON.stringify(p.state)) as PipelineState);
        p.push(line, out);
      });
      p.flush(out);
      return out;
    };
    const straight = run(-1);
    expect(straight.length).toBeGreaterThan(5);
    for (let cut = 1; cut < lines.length; cut++) expect(run(cut), `cut at ${cut}`).toEqual(straight);
  });

  it('gives GIN times the offset of the log, and none when the log never showed one', () => {
    const c = new Correlator();
    const out: CorrelatedRecord[] = [];
    c.feed(parseLine(GIN('13:30:16', '1s'))!, out);
    expect(out[0]).toMatchObject({ kind: 'request', record: { at: '2026-08-23T13:30:16' } });
    c.feed(parseLine(`${T('13:30:17', '+05:30')} level=INFO source=x.go:1 msg=hello`)!, out);
    c.feed(parseLine(GIN('13:30:18', '1s', '/api/generate?x=secret'))!, out);
    expect(out[1]).toMatchObject({
      kind: 'request',
      record: { at: '2026-08-23T13:30:18+05:30', path: '/api/generate', ts: Date.parse('2026-08-23T08:00:18Z') },
    });
  });
});

describe('Correlator: times repeated from line to line', () => {
  const feedAll = (c: Correlator, lines: string[]): CorrelatedRecord[] => {
    const out: CorrelatedRecord[] = [];
    for (const line of lines) c.feed(parseLine(line)!, out);
    return out;
  };

  it('a zone-less time repeated after the zone changed takes the new zone', () => {
    const c = new Correlator();
    const goLog = '2026/08/23 13:30:17 routes.go:1187: INFO total blobs: 5';
    feedAll(c, [`${T('13:30:16')} level=INFO source=x.go:1 msg=hello`, goLog]);
    expect(c.state.lastAt).toBe('2026-08-23T13:30:17-07:00');
    feedAll(c, [`${T('13:30:16', '+05:30')} level=INFO source=x.go:1 msg=hello`, goLog]);
    expect(c.state.lastAt).toBe('2026-08-23T13:30:17+05:30');
    expect(c.state.zone).toBe('+05:30');
  });

  it('requests in the same second before and after the zone is known', () => {
    const out = feedAll(new Correlator(), [
      GIN('13:30:18', '1s', '/api/tags', 200, 'GET'),
      `${T('13:30:18', 'Z')} level=INFO source=x.go:1 msg=hello`,
      GIN('13:30:18', '1s', '/api/tags', 200, 'GET'),
    ]);
    expect(out.map((r) => [r.record.at, r.record.ts])).toEqual([
      ['2026-08-23T13:30:18', Date.parse('2026-08-23T13:30:18')],
      ['2026-08-23T13:30:18Z', Date.parse('2026-08-23T13:30:18Z')],
    ]);
  });

  it('the same `server config` twice is two server runs', () => {
    const out: CorrelatedRecord[] = [];
    const p = new LogPipeline();
    for (const line of [...serverStart(), ...serverStart()]) p.push(line, out);
    const runs = new Set(out.filter((r) => r.kind === 'server').map((r) => r.record.key));
    expect(runs.size).toBe(2);
  });
});

describe('requestKind', () => {
  it.each([
    ['/api/chat', 'POST', 'inference'],
    ['/api/generate', 'POST', 'inference'],
    ['/api/embed', 'POST', 'inference'],
    ['/api/embeddings', 'POST', 'inference'],
    ['/v1/chat/completions', 'POST', 'inference'],
    ['/v1/completions', 'POST', 'inference'],
    ['/v1/responses', 'POST', 'inference'],
    ['/v1/messages', 'POST', 'inference'],
    ['/v1/embeddings', 'POST', 'inference'],
    ['/v1/messages?beta=true', 'POST', 'inference'],
    ['/api/generate', 'OPTIONS', 'other'],
    ['/api/chat', 'GET', 'other'],
    ['/api/tags', 'GET', 'other'],
    ['/api/show', 'POST', 'other'],
    ['/', 'HEAD', 'other'],
    ['/v1/models', 'GET', 'other'],
    ['/api/pull', 'POST', 'other'],
  ])('%s %s is %s', (path, method, kind) => {
    expect(requestKind(path, method)).toBe(kind);
  });
});

describe('Correlator: runners the scheduler unloaded', () => {
  it('`loaded runners count=1` after a second load leaves only that one to attribute requests to', () => {
    const mlx = [
      `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=54164`,
      `${T('13:30:04')} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
    ];
    const before = analyzeLines([...serverStart(), ...mlx, ...llamaServerLoad('13:31:00'), GIN('13:32:00', '1s', '/api/embed')]).result;
    expect(before.requests[0]!.backend).toBeNull();
    const after = analyzeLines([
      ...serverStart(),
      ...mlx,
      ...llamaServerLoad('13:31:00'),
      `${T('13:31:05')} level=INFO source=sched.go:728 msg="loaded runners" count=1`,
      GIN('13:32:00', '1s', '/api/embed'),
    ]).result;
    expect(after.requests[0]).toMatchObject({ model: 'llama3.1:8b', backend: 'metal' });
  });
});

describe('Correlator: configured MLX expectations', () => {
  const lines = (model: string) => [
    ...serverStart(),
    ...llamaServerLoad('13:31:00').map((l) => l.replace('library/llama3.1:8b', `library/${model}`)),
    ...llamaServerRequest(0, 300, 20),
    GIN('13:31:10', '5s'),
  ];

  it.each([
    ['a glob from --expect-mlx', 'qwen3.5:35b', ['qwen3.5:*'], true],
    ['a tag that marks an MLX build', 'qwen3:8b-mlx-4bit', [], true],
    ['a model nobody expects on MLX', 'llama3.1:8b', ['qwen3.5:*'], false],
  ])('%s', (_n, model, expectMlx, fires) => {
    const { result } = analyzeLines(lines(model), { expectMlx, contextAlertTokens: 90_000, contextAlertRatio: 0.85 });
    expect(result.incidents.some((i) => i.kind === 'mlx_fallback' && i.model === model)).toBe(fires);
  });
});

describe("Correlator: MLX evidence without the brief's line", () => {
  it("under OLLAMA_USE_MLX, a request whose runner lines are MLX's is not a fallback even with two MLX runners loaded", () => {
    const mlxLoad = (model: string, port: number, hms: string) => [
      `${T(hms)} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=${model} port=${port}`,
      `${T(hms)} level=INFO source=client.go:106 msg="mlx runner is ready" port=${port}`,
    ];
    const { result } = analyzeLines([
      ...serverStart('OLLAMA_USE_MLX:true'),
      ...mlxLoad('qwen3.5:35b-a3b', 1, '13:30:00'),
      ...mlxLoad('gemma3:27b', 2, '13:30:10'),
      `${T('13:31:00')} level=INFO source=prefix_cache.go:125 msg="cache miss" total=900 matched=0 cached=0 left=900`,
      `${T('13:31:03')} level=INFO source=pipeline.go:91 msg="peak memory" size="9.10 GiB"`,
      GIN('13:31:03', '3s'),
    ]);
    // Which of the two is unknown, but both run on MLX.
    expect(result.requests[0]).toMatchObject({ model: null, backend: 'mlx', promptTokens: 900 });
    expect(result.incidents).toEqual([]);
  });
});

describe('Correlator: lines Ollama prints before its server config', () => {
  it('`MLX dynamic library not available` on the first line belongs to the run it precedes', () => {
    const { result } = analyzeLines([
      '2026/02/22 17:04:03 WARN MLX dynamic library not available error="failed to load MLX dynamic library (searched: [/opt])"',
      ...serverStart('OLLAMA_USE_MLX:1'),
      '2026/02/22 17:04:22 WARN MLX dynamic library not available error="failed to load MLX dynamic library (searched: [/opt])"',
      ...llamaServerLoad('13:31:00'),
      ...llamaServerRequest(0, 300, 20),
      GIN('13:31:10', '5s'),
    ]);
    expect(result.incidents.map((i) => i.kind)).toEqual(['mlx_unavailable', 'mlx_fallback']);
    expect(result.incidents[1]!.detail).toMatch(/the MLX library is not available/);
  });
});

describe("Correlator: the scheduler's runner summary (DEBUG)", () => {
  it('names an era-E load known only by its blob and gives its context per sequence', () => {
    const { result } = analyzeLines([
      `${T('10:00:00')} level=INFO source=server.go:392 msg="starting runner" cmd="/usr/bin/ollama runner --model ${BLOB} --port 52409"`,
      'load_tensors: offloaded 29/29 layers to GPU',
      `${T('10:00:02')} level=INFO source=server.go:1272 msg="llama runner started in 2.44 seconds"`,
      `${T('10:00:02')} level=DEBUG source=sched.go:470 msg="finished setting up" runner.name=registry.ollama.ai/library/llama3.2:latest runner.inference=cuda runner.devices=1 runner.size="3.1 GiB" runner.vram="3.1 GiB" runner.parallel=2 runner.pid=4242 runner.model=${BLOB} runner.num_ctx=8192`,
    ]);
    expect(result.loads).toEqual([
      expect.objectContaining({ model: 'llama3.2:latest', ctx: 8192, parallel: 2, backend: 'cuda', outcome: 'ready' }),
    ]);
  });
});

describe("Correlator: MLX memory against Metal's working set", () => {
  const mlxRequest = (peak: string) => [
    ...serverStart(),
    'ggml_metal_device_init: recommendedMaxWorkingSetSize  = 40200.90 MB',
    `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=1`,
    `${T('13:30:04')} level=INFO source=client.go:106 msg="mlx runner is ready" port=1`,
    `${T('13:31:00')} level=INFO source=prefix_cache.go:125 msg="cache hit" total=3000 matched=2900 cached=2900 left=100`,
    `${T('13:31:09')} level=INFO source=pipeline.go:91 msg="peak memory" size="${peak}"`,
    GIN('13:31:09', '9s'),
  ];

  it('a peak over 0.85 of the working set is context_near_limit with the memory as evidence', () => {
    const { result } = analyzeLines(mlxRequest('32.50 GiB'));
    expect(result.incidents).toEqual([
      expect.objectContaining({
        kind: 'context_near_limit',
        model: 'qwen3.5:35b-a3b',
        detail: expect.stringMatching(/MLX peak memory 32\.5 GiB of Metal's 37\.4 GiB working set/),
      }),
    ]);
  });

  it('a peak at 90 % of the working set or more is also mlx_working_set', () => {
    const { result } = analyzeLines(mlxRequest('35.10 GiB'));
    expect(result.incidents.map((i) => [i.kind, i.detail])).toEqual([
      ['context_near_limit', expect.stringMatching(/MLX peak memory 35\.1 GiB of Metal's 37\.4 GiB working set/)],
      ['mlx_working_set', expect.stringMatching(/MLX peak memory 35\.1 GiB is 94% of Metal's 37\.4 GiB working set/)],
    ]);
  });

  it('a peak well inside the working set is not', () => {
    expect(analyzeLines(mlxRequest('20.00 GiB')).result.incidents).toEqual([]);
  });
});

describe('Correlator: a server that runs for months', () => {
  it('keeps a bounded number of loads in its state', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines.push(
        `${T('10:00:00')} level=INFO source=server.go:384 msg="starting llama server" cmd="/tmp/o/runners/metal/ollama_llama_server --model ${BLOB} --ctx-size 2048 --port ${1000 + i}"`,
      );
      lines.push(`${T('10:00:01')} level=INFO source=server.go:1 msg="llama runner started in 1.00 seconds"`);
    }
    const p = new LogPipeline();
    const out: CorrelatedRecord[] = [];
    for (const l of lines) p.push(l, out);
    expect(p.state.correlator.loads.length).toBeLessThanOrEqual(32);
    expect(out.filter((r) => r.kind === 'load').length).toBeGreaterThanOrEqual(100);
  });
});
