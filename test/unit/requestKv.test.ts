// Memory on the request itself: peak memory from the log, the KV cache's allocation and the part the
// context filled (from the log's plain-cache summary, or the API's geometry in the live agent), and
// the KV-fill flag on context_near_limit. Through the real pipeline, lines written from the formats.
import { describe, expect, it } from 'vitest';
import type { KvModelFacts } from '../../agent/correlate/kvFacts.js';
import { DEFAULT_CORRELATOR_OPTIONS, type CorrelatorOptions } from '../../agent/correlate/options.js';
import type { CorrelatedRecord, NewIncident, NewRequest } from '../../agent/correlate/records.js';
import { kvGeometry, type KvGeometry } from '../../agent/kv/kvGeometry.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';

const T = (hms: string): string => `time=2026-08-23T${hms}.000-07:00`;
const GIN = (hms: string, latency: string): string =>
  `[GIN] 2026/08/23 - ${hms} | 200 | ${latency.padStart(13)} |       127.0.0.1 | POST     "/api/chat"`;
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const BLOB = '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';

const SERVER = [
  `${T('13:28:31')} level=INFO source=routes.go:1951 msg="server config" env="map[OLLAMA_NUM_PARALLEL:1]"`,
  `${T('13:28:31')} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
];

const mlxRequest = (prompt: number, peak: string): string[] => [
  `${T('13:30:00')} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=qwen3.5:35b-a3b port=54164`,
  `${T('13:30:01')} level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu`,
  `${T('13:30:04')} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
  `${T('13:30:05')} level=INFO source=prefix_cache.go:125 msg="cache miss" total=${prompt} matched=0 cached=0 left=${prompt}`,
  `${T('13:30:29')} level=INFO source=pipeline.go:91 msg="peak memory" size="${peak}"`,
  GIN('13:30:29', '24s'),
];

const llamaRequest = (kvLines: string[], prompt: number, gen: number): string[] => [
  `${T('13:30:09')} level=INFO source=server.go:109 msg="using llama-server for model" model=${BLOB}`,
  `${T('13:30:09')} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/Applications/Ollama.app/Contents/Resources/llama-server --model ${BLOB} --port 52409 -c 8192 -np 1"`,
  'load_tensors: offloaded 33/33 layers to GPU',
  ...kvLines,
  'slot   load_model: id  0 | task -1 | new slot, n_ctx = 8192',
  `${T('13:30:12')} level=INFO source=llama_server.go:1362 msg="llama-server started in 3.87 seconds"`,
  `slot update_slots: id  0 | task 0 | new prompt, n_ctx_slot = 8192, n_keep = 0, task.n_tokens = ${prompt}`,
  `slot print_timing: id  0 | task 0 | prompt eval time =     766.00 ms / ${prompt} tokens (    0.50 ms per token,  2000.00 tokens per second)`,
  `slot print_timing: id  0 | task 0 |        eval time =    5790.21 ms /    ${gen} tokens (   60.31 ms per token,    16.58 tokens per second)`,
  `slot      release: id  0 | task 0 | stop processing: n_tokens = ${prompt + gen}, truncated = 0`,
  GIN('13:30:19', '6.2s'),
];

function run(lines: string[], opts: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS): { requests: NewRequest[]; incidents: NewIncident[] } {
  const p = new LogPipeline(undefined, opts);
  const out: CorrelatedRecord[] = [];
  for (const line of lines) p.push(line, out);
  p.flush(out);
  return {
    requests: out.flatMap((r) => (r.kind === 'request' ? [r.record] : [])),
    incidents: out.flatMap((r) => (r.kind === 'incident' ? [r.record] : [])),
  };
}

/** Qwen3.5-35B-A3B's geometry as /api/show gives it: 10 full-attention layers × 2 KV heads × (256 + 256) × 2 B = 20 KiB per token. */
const QWEN35: KvGeometry = kvGeometry({
  'general.architecture': 'qwen35moe',
  'qwen35moe.block_count': 40,
  'qwen35moe.attention.head_count': 16,
  'qwen35moe.attention.head_count_kv': 2,
  'qwen35moe.attention.key_length': 256,
  'qwen35moe.attention.value_length': 256,
  'qwen35moe.full_attention_interval': 4,
  'qwen35moe.ssm.conv_kernel': 4,
  'qwen35moe.ssm.state_size': 128,
  'qwen35moe.ssm.group_count': 16,
  'qwen35moe.ssm.inner_size': 4096,
})!;

const live = (facts: Partial<KvModelFacts> = {}): CorrelatorOptions => ({
  ...DEFAULT_CORRELATOR_OPTIONS,
  kvModel: (model) => (model === 'qwen3.5:35b-a3b' ? { geometry: QWEN35, cacheType: 'f16', ctx: 32_768, parallel: 1, ...facts } : null),
});

describe('memory on the request', () => {
  it('MLX, log only: peak memory is stated; no KV figure is invented', () => {
    const { requests, incidents } = run([...SERVER, ...mlxRequest(28_000, '21.50 GiB')]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ backend: 'mlx', peakMemoryBytes: 21.5 * GiB, kvBytes: null, kvUsedBytes: null, kvFill: null });
    expect(incidents).toEqual([]);
  });

  it('MLX with the API geometry: KV used from the prompt held, allocated at the listed context, and the fill flagged at the ratio', () => {
    const { requests, incidents } = run([...SERVER, ...mlxRequest(28_000, '21.50 GiB')], live());
    expect(requests[0]).toMatchObject({
      peakMemoryBytes: 21.5 * GiB,
      kvUsedBytes: 28_000 * 20 * 1024,
      kvBytes: 32_768 * 20 * 1024,
      kvFill: 0.8545,
    });
    // No token count and no context limit in the log: the token rule cannot fire, the KV fill does.
    expect(requests[0]!.ctxLimit).toBeNull();
    expect(incidents.map((i) => [i.kind, i.detail])).toEqual([
      ['context_near_limit', 'qwen3.5:35b-a3b: KV cache 85% full (547 MiB of 640 MiB allocated)'],
    ]);
    expect(incidents[0]!.requestKey).toBe(requests[0]!.key);
  });

  it('below the ratio: the figures, no flag', () => {
    const { requests, incidents } = run([...SERVER, ...mlxRequest(16_384, '21.00 GiB')], live());
    expect(requests[0]!.kvFill).toBe(0.5);
    expect(incidents).toEqual([]);
  });

  it('a context unknown to the API leaves the allocation (and fill) unknown, the part used still given', () => {
    const { requests } = run([...SERVER, ...mlxRequest(28_000, '21.50 GiB')], live({ ctx: null }));
    expect(requests[0]).toMatchObject({ kvUsedBytes: 28_000 * 20 * 1024, kvBytes: null, kvFill: null });
  });

  it('llama.cpp plain cache, log only: tokens × size ÷ cells', () => {
    const { requests } = run([
      ...SERVER,
      ...llamaRequest(
        [
          'llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB',
          'llama_kv_cache: size = 1024.00 MiB (  8192 cells,  32 layers,  1/1 seqs), K (f16):  512.00 MiB, V (f16):  512.00 MiB',
        ],
        1500,
        100,
      ),
    ]);
    expect(requests[0]).toMatchObject({ ctxUsed: 1600, kvBytes: 1024 * MiB, kvUsedBytes: 1600 * 128 * 1024, kvFill: 0.1953 });
  });

  it('llama.cpp sliding-window cache, log only: the allocation, but no per-token figure', () => {
    const { requests } = run([
      ...SERVER,
      ...llamaRequest(
        [
          'llama_kv_cache_iswa: creating non-SWA KV cache, size = 8192 cells',
          'llama_kv_cache:       MTL0 KV buffer size =   416.00 MiB',
          'llama_kv_cache: size =  416.00 MiB (  8192 cells, 13 layers, 1/1 seqs), K (f16): 208.00 MiB, V (f16): 208.00 MiB',
          'llama_kv_cache_iswa: creating     SWA KV cache, size =  2560 cells',
          'llama_kv_cache:       MTL0 KV buffer size =    97.50 MiB',
          'llama_kv_cache: size =   97.50 MiB (  2560 cells, 39 layers, 1/1 seqs), K (f16):  48.75 MiB, V (f16):  48.75 MiB',
        ],
        1500,
        100,
      ),
    ]);
    expect(requests[0]).toMatchObject({ kvBytes: 513.5 * MiB, kvUsedBytes: null, kvFill: null });
  });

  it('model memory from the log: llama.cpp weights + KV + compute buffers as printed', () => {
    const { requests } = run([
      ...SERVER,
      ...llamaRequest(
        [
          'load_tensors:   CPU_Mapped model buffer size =   281.81 MiB',
          'load_tensors:  MTL0_Mapped model buffer size =  4403.49 MiB',
          'llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB',
          'sched_reserve:       MTL0 compute buffer size =   560.00 MiB',
          'sched_reserve:        CPU compute buffer size =    24.01 MiB',
        ],
        1500,
        100,
      ),
    ]);
    const mib = (n: number): number => Math.round(n * MiB);
    expect(requests[0]!.modelMemoryBytes).toBe(mib(281.81) + mib(4403.49) + mib(1024) + mib(560) + mib(24.01));
  });

  it("model memory from the log: the Ollama engine's total memory line; unknown without totals", () => {
    const engineLoad = [
      `${T('13:30:09')} level=INFO source=server.go:400 msg="starting runner" cmd="/usr/local/bin/ollama runner --ollama-engine --model ${BLOB} --port 52409"`,
      `${T('13:30:10')} level=INFO source=backend.go:342 msg="total memory" size="5.4 GiB"`,
      `${T('13:30:12')} level=INFO source=server.go:1274 msg="llama runner started in 3.00 seconds"`,
      `${T('13:30:14')} level=INFO source=runner.go:1 msg="truncating input prompt" limit=4096 prompt=5000 keep=4 new=4096`,
      GIN('13:30:19', '6.2s'),
    ];
    expect(run([...SERVER, ...engineLoad]).requests[0]!.modelMemoryBytes).toBe(Math.round(5.4 * GiB));
    const { requests } = run([...SERVER, ...llamaRequest(['llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB'], 1500, 100)]);
    expect(requests[0]!.modelMemoryBytes).toBeNull();
  });

  it('llama.cpp with only KV buffer lines (no cells): the allocation, no per-token figure', () => {
    const { requests } = run([...SERVER, ...llamaRequest(['llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB'], 1500, 100)]);
    expect(requests[0]).toMatchObject({ kvBytes: 1024 * MiB, kvUsedBytes: null, kvFill: null, peakMemoryBytes: null });
  });
});
