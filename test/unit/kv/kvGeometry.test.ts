import { describe, expect, it } from 'vitest';
import type { KvCacheType } from '../../../shared/models.js';
import { BYTES_PER_ELEMENT, kvBytes, kvGeometry, type KvGeometry } from '../../../agent/kv/kvGeometry.js';

// Ground truths: ggml's element sizes, KV sizes llama.cpp and Ollama logged, and a table of real models
// whose geometry was read from their GGUF metadata ("tokens at 12 GiB" is rounded there: these are floors).
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const BUDGET = 12 * GiB;

/** The model table's "tokens at 12 GiB": what is left after the fixed part, at bytes/token. */
function tokensAt(geom: KvGeometry, budget: number, cacheType: KvCacheType, ctx = 131072): number {
  const b = kvBytes(geom, { ctx, parallel: 1, cacheType });
  return Math.floor((budget - b.fixedBytes!) / b.bytesPerToken!);
}

const dense = (arch: string, layers: number, kvHeads: number, dim: number, extra: Record<string, unknown> = {}) => ({
  'general.architecture': arch,
  [`${arch}.block_count`]: layers,
  [`${arch}.attention.head_count`]: kvHeads * 4,
  [`${arch}.attention.head_count_kv`]: kvHeads,
  [`${arch}.attention.key_length`]: dim,
  [`${arch}.attention.value_length`]: dim,
  ...extra,
});

/** Real qwen3moe /api/show excerpt: key_length 128 although 2048 / 32 = 64. */
const QWEN3_MOE = {
  'general.architecture': 'qwen3moe',
  'general.basename': 'Qwen3',
  'general.file_type': 15,
  'general.parameter_count': 31478618425,
  'general.size_label': '30B-A3B',
  'qwen3moe.attention.head_count': 32,
  'qwen3moe.attention.head_count_kv': 4,
  'qwen3moe.attention.key_length': 128,
  'qwen3moe.attention.value_length': 128,
  'qwen3moe.attention.layer_norm_rms_epsilon': 0.000001,
  'qwen3moe.block_count': 48,
  'qwen3moe.context_length': 40960,
  'qwen3moe.embedding_length': 2048,
  'qwen3moe.expert_count': 128,
  'qwen3moe.expert_used_count': 8,
  'tokenizer.ggml.tokens': [],
};

/** docs/api.md llama model_info: no key_length, so embedding_length / head_count = 128. */
const LLAMA_31_8B = {
  'general.architecture': 'llama',
  'general.parameter_count': 8030261248,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.block_count': 32,
  'llama.context_length': 131072,
  'llama.embedding_length': 4096,
  'llama.rope.dimension_count': 128,
  'tokenizer.ggml.merges': [],
};

/** Gemma-3-27B with its vision tower's keys, which must not be read as the text model's. */
const GEMMA3_27B = {
  'general.architecture': 'gemma3',
  'gemma3.block_count': 62,
  'gemma3.context_length': 131072,
  'gemma3.embedding_length': 5376,
  'gemma3.attention.head_count': 32,
  'gemma3.attention.head_count_kv': 16,
  'gemma3.attention.key_length': 128,
  'gemma3.attention.value_length': 128,
  'gemma3.attention.sliding_window': 1024,
  'gemma3.vision.block_count': 27,
  'gemma3.vision.attention.head_count': 16,
  'gemma3.vision.embedding_length': 1152,
  'clip.vision.block_count': 27,
  'clip.vision.attention.head_count_kv': 99,
};

const GPT_OSS_20B = {
  'general.architecture': 'gpt-oss',
  'gpt-oss.block_count': 24,
  'gpt-oss.context_length': 131072,
  'gpt-oss.embedding_length': 2880,
  'gpt-oss.attention.head_count': 64,
  'gpt-oss.attention.head_count_kv': 8,
  'gpt-oss.attention.key_length': 64,
  'gpt-oss.attention.value_length': 64,
  'gpt-oss.attention.sliding_window': 128,
};

/** Qwen3.5-35B-A3B GGUF metadata: 10 attention layers of 40, Gated DeltaNet in between. */
const QWEN35_MOE = {
  'general.architecture': 'qwen35moe',
  'qwen35moe.block_count': 40,
  'qwen35moe.context_length': 262144,
  'qwen35moe.embedding_length': 2048,
  'qwen35moe.attention.head_count': 16,
  'qwen35moe.attention.head_count_kv': 2,
  'qwen35moe.attention.key_length': 256,
  'qwen35moe.attention.value_length': 256,
  'qwen35moe.full_attention_interval': 4,
  'qwen35moe.ssm.conv_kernel': 4,
  'qwen35moe.ssm.state_size': 128,
  'qwen35moe.ssm.group_count': 16,
  'qwen35moe.ssm.time_step_rank': 32,
  'qwen35moe.ssm.inner_size': 4096,
};

describe('kvGeometry + kvBytes: the model table', () => {
  it.each([
    // name, model_info, KV layers, bytes/token f16, tokens at 12 GiB f16 / q8_0 / q4_0
    ['Qwen3-30B-A3B (qwen3moe)', QWEN3_MOE, 48, 98_304, [131_072, 246_723, 466_033]],
    ['Qwen2.5-7B (qwen2)', dense('qwen2', 28, 4, 128, { 'qwen2.context_length': 32768 }), 28, 57_344, [224_694, 422_955, 798_915]],
    ['Llama-3.1-8B (llama)', LLAMA_31_8B, 32, 131_072, [98_304, 185_042, 349_525]],
    ['Llama-3.3-70B (llama)', dense('llama', 80, 8, 128), 80, 327_680, [39_321, 74_017, 139_810]],
    ['Mistral-Small-24B (llama)', dense('llama', 40, 8, 128), 40, 163_840, [78_643, 148_034, 279_620]],
    ['Gemma-3-27B, iSWA (gemma3)', GEMMA3_27B, 10, 81_920, [149_299, 281_033, 530_841]],
    ['gpt-oss-20b, iSWA (gpt-oss)', GPT_OSS_20B, 12, 24_576, [523_520, 985_449, 1_861_404]],
    ['Qwen3.5-35B-A3B (qwen35moe)', QWEN35_MOE, 10, 20_480, [625_929, 1_178_220, 2_225_527]],
  ] as const)('%s', (_name, mi, kvLayers, bytesF16, [t16, t8, t4]) => {
    const geom = kvGeometry(mi)!;
    expect(geom.kvLayers).toBe(kvLayers);
    expect(geom.needsVerbose).toBe(false);
    expect(kvBytes(geom, { ctx: 4096, parallel: 1, cacheType: 'f16' }).bytesPerToken).toBe(bytesF16);
    expect(tokensAt(geom, BUDGET, 'f16')).toBe(t16);
    expect(tokensAt(geom, BUDGET, 'q8_0')).toBe(t8);
    expect(tokensAt(geom, BUDGET, 'q4_0')).toBe(t4);
  });
});

describe('kvBytes: logged KV sizes', () => {
  it('36 layers × 8 KV heads × dim 128 at ctx 8192: 1152.00 MiB f16, 612.00 MiB q8_0', () => {
    const geom = kvGeometry(dense('qwen3', 36, 8, 128))!;
    expect(kvBytes(geom, { ctx: 8192, parallel: 1, cacheType: 'f16' }).totalBytes! / MiB).toBe(1152);
    expect(kvBytes(geom, { ctx: 8192, parallel: 1, cacheType: 'q8_0' }).totalBytes! / MiB).toBe(612);
    expect(kvBytes(geom, { ctx: 8192, parallel: 1, cacheType: 'q4_0' }).totalBytes! / MiB).toBe(324);
  });

  it('keeps llama.cpp#21551 ratios: 1040.00 / 552.50 / 292.50 MiB', () => {
    const geom = kvGeometry(dense('llama', 26, 8, 128))!;
    const at = (t: KvCacheType) => kvBytes(geom, { ctx: 10240, parallel: 1, cacheType: t }).totalBytes! / MiB;
    expect([at('f16'), at('q8_0'), at('q4_0')]).toEqual([1040, 552.5, 292.5]);
  });

  it('Llama-3.3-70B in Ollama 0.10.1: 2560.00 MiB at 8192 cells', () => {
    expect(kvBytes(kvGeometry(dense('llama', 80, 8, 128))!, { ctx: 8192, parallel: 1, cacheType: 'f16' }).totalBytes! / MiB).toBe(2560);
  });

  it('an MHA model without head_count_kv (Ollama 0.7.0, --ctx-size 8192 --parallel 2): 4096.00 MiB', () => {
    const mi = {
      'general.architecture': 'llama',
      'llama.block_count': 32,
      'llama.attention.head_count': 32,
      'llama.embedding_length': 4096,
    };
    const geom = kvGeometry(mi)!;
    expect(geom.kvHeadsFull).toBe(32 * 32);
    expect(geom.keyLength).toBe(128);
    expect(kvBytes(geom, { ctx: 4096, parallel: 2, cacheType: 'f16' })).toEqual({
      bytesPerToken: 524_288,
      fixedBytes: 0,
      totalBytes: 4096 * MiB,
    });
  });

  it('Gemma-3-27B without a window (2024 llama.cpp): 63,488 MiB at 131,072', () => {
    const { 'gemma3.attention.sliding_window': _w, ...noSwa } = GEMMA3_27B;
    const b = kvBytes(kvGeometry(noSwa)!, { ctx: 131072, parallel: 1, cacheType: 'f16' });
    expect(b.bytesPerToken).toBe(507_904);
    expect(b.totalBytes! / MiB).toBe(63_488);
  });

  it('gpt-oss SWA part: 12 layers, 768 cells, 18.00 MiB, kept in f16 under a q8_0 cache', () => {
    const geom = kvGeometry(GPT_OSS_20B)!;
    expect(geom).toMatchObject({ kvLayers: 12, swaLayers: 12, recurrentLayers: 0, slidingWindow: 128, contextTrain: 131072 });
    expect(kvBytes(geom, { ctx: 8192, parallel: 1, cacheType: 'f16' }).fixedBytes).toBe(18 * MiB);
    const q8 = kvBytes(geom, { ctx: 8192, parallel: 1, cacheType: 'q8_0' });
    expect(q8.fixedBytes).toBe(18 * MiB);
    expect(q8.bytesPerToken).toBe(13_056);
    expect(q8.totalBytes).toBe(13_056 * 8192 + 18 * MiB);
    // KV at max context ≈ 3.0 GiB.
    expect(kvBytes(geom, { ctx: 131072, parallel: 1, cacheType: 'f16' }).totalBytes).toBe(3 * GiB + 18 * MiB);
  });

  it('gpt-oss under Ollama’s own architecture name `gptoss` uses the same pattern', () => {
    const mi = Object.fromEntries(
      Object.entries(GPT_OSS_20B).map(([k, v]) => [k.replace(/^gpt-oss\./, 'gptoss.'), v === 'gpt-oss' ? 'gptoss' : v]),
    );
    expect(kvGeometry(mi)).toMatchObject({ architecture: 'gptoss', kvLayers: 12, swaLayers: 12 });
  });

  it('Gemma-3-27B: globals at 5, 11, …, 59; 52 SWA layers × 1,536 cells = 624 MiB; 10.6 GiB at max', () => {
    const geom = kvGeometry(GEMMA3_27B)!;
    expect(geom).toMatchObject({ kvLayers: 10, swaLayers: 52, kvHeadsFull: 160, kvHeadsSwa: 832, keyLength: 128, contextTrain: 131072 });
    const max = kvBytes(geom, { ctx: 131072, parallel: 1, cacheType: 'f16' });
    expect(max.fixedBytes).toBe(624 * MiB);
    expect(max.totalBytes).toBe(11_391_729_664);
    // A context shorter than window + n_ubatch caps the SWA cells: 1024 cells → 416 MiB.
    expect(kvBytes(geom, { ctx: 1024, parallel: 1, cacheType: 'f16' }).fixedBytes).toBe(416 * MiB);
    // Two sequences: 2 × 1024 + 512 = 2560 cells.
    expect(kvBytes(geom, { ctx: 8192, parallel: 2, cacheType: 'f16' }).fixedBytes).toBe(52 * 16 * 256 * 2 * 2560);
  });

  it('Qwen3.5-35B-A3B: 30 recurrent layers hold 62.81 MiB per sequence; 5 GiB of KV at 262,144', () => {
    const geom = kvGeometry(QWEN35_MOE)!;
    expect(geom).toMatchObject({
      kvLayers: 10,
      swaLayers: 0,
      recurrentLayers: 30,
      fullAttentionInterval: 4,
      recurrentBytesPerSeq: 65_863_680,
    });
    const b = kvBytes(geom, { ctx: 262144, parallel: 1, cacheType: 'f16' });
    expect(b).toEqual({ bytesPerToken: 20_480, fixedBytes: 65_863_680, totalBytes: 5 * GiB + 65_863_680 });
    expect(kvBytes(geom, { ctx: 262144, parallel: 2, cacheType: 'f16' }).fixedBytes).toBe(2 * 65_863_680);
  });
});

describe('kvGeometry: keys and fallbacks', () => {
  it('reads key_length for qwen3moe rather than embedding_length / head_count (= 64)', () => {
    expect(kvGeometry(QWEN3_MOE)).toMatchObject({ keyLength: 128, valueLength: 128, kvHeadsFull: 192, contextTrain: 40960 });
  });

  it('ignores clip.* and {arch}.vision.* keys', () => {
    const geom = kvGeometry(GEMMA3_27B)!;
    expect(geom.blockCount).toBe(62);
    expect(geom.kvHeadsFull! + geom.kvHeadsSwa!).toBe(62 * 16);
  });

  it('defaults full_attention_interval for qwen35moe, but without ssm.* keys the fixed part is unknown', () => {
    const mi = Object.fromEntries(Object.entries(QWEN35_MOE).filter(([k]) => !k.includes('ssm.') && !k.includes('full_attention')));
    const geom = kvGeometry(mi)!;
    expect(geom).toMatchObject({ kvLayers: 10, recurrentLayers: 30, fullAttentionInterval: 4, recurrentBytesPerSeq: null });
    expect(kvBytes(geom, { ctx: 4096, parallel: 1, cacheType: 'f16' })).toEqual({
      bytesPerToken: 20_480,
      fixedBytes: null,
      totalBytes: null,
    });
  });

  it('reads a per-layer head_count_kv array; 0 marks a recurrent layer', () => {
    const mi = dense('lfm2', 6, 8, 64, { 'lfm2.attention.head_count_kv': [0, 0, 8, 0, 4, 8] });
    const geom = kvGeometry(mi)!;
    expect(geom).toMatchObject({ kvLayers: 3, kvHeadsFull: 20, recurrentLayers: 3, needsVerbose: false, recurrentBytesPerSeq: null });
    expect(kvBytes(geom, { ctx: 1000, parallel: 1, cacheType: 'f16' }).bytesPerToken).toBe(20 * 128 * 2);
  });

  it.each([
    ['an empty array', []],
    ['null', null],
  ])('a blanked head_count_kv (%s) means unknown and needsVerbose', (_name, blank) => {
    const geom = kvGeometry(dense('nemotron_h', 52, 8, 128, { 'nemotron_h.attention.head_count_kv': blank }))!;
    expect(geom.needsVerbose).toBe(true);
    expect(geom.kvLayers).toBeNull();
    expect(kvBytes(geom, { ctx: 4096, parallel: 1, cacheType: 'f16' })).toEqual({
      bytesPerToken: null,
      fixedBytes: null,
      totalBytes: null,
    });
  });

  it('a head_count_kv array of the wrong length is unknown, and verbose would not help', () => {
    const geom = kvGeometry(dense('lfm2', 6, 8, 64, { 'lfm2.attention.head_count_kv': [8, 8, 8] }))!;
    expect(geom).toMatchObject({ kvLayers: null, needsVerbose: false });
  });

  it('uses a sliding_window_pattern key when present (true = sliding)', () => {
    const mi = dense('gemma3n', 6, 2, 256, {
      'gemma3n.attention.sliding_window': 512,
      'gemma3n.attention.sliding_window_pattern': [true, true, true, true, false, true],
    });
    expect(kvGeometry(mi)).toMatchObject({ kvLayers: 1, swaLayers: 5, needsVerbose: false });
  });

  it('a blanked sliding_window_pattern asks for verbose and falls back to the table meanwhile', () => {
    const geom = kvGeometry({ ...GEMMA3_27B, 'gemma3.attention.sliding_window_pattern': [] })!;
    expect(geom).toMatchObject({ needsVerbose: true, kvLayers: 10, swaLayers: 52 });
  });

  it('a window on an architecture without a known pattern counts every layer as growing', () => {
    expect(kvGeometry(dense('mistral', 32, 8, 128, { 'mistral.attention.sliding_window': 4096 }))).toMatchObject({
      kvLayers: 32,
      swaLayers: 0,
    });
  });

  it('leaves MLA caches (deepseek2 kv_lora_rank) unknown rather than pricing them as K/V heads', () => {
    const geom = kvGeometry(dense('deepseek2', 27, 16, 192, { 'deepseek2.attention.kv_lora_rank': 512 }))!;
    expect(geom.keyLength).toBeNull();
    expect(kvBytes(geom, { ctx: 4096, parallel: 1, cacheType: 'f16' }).bytesPerToken).toBeNull();
  });

  it('has unknown dims when neither key_length nor an even embedding split is there', () => {
    const mi = { 'general.architecture': 'x', 'x.block_count': 4, 'x.attention.head_count': 3, 'x.embedding_length': 100 };
    expect(kvGeometry(mi)).toMatchObject({ keyLength: null, valueLength: null, kvLayers: 4 });
  });

  it.each([
    ['null', null],
    ['an array', [['general.architecture', 'llama']]],
    ['no architecture', { 'llama.block_count': 32 }],
    ['no block_count', { 'general.architecture': 'llama', 'llama.attention.head_count_kv': 8 }],
    ['a string block_count', { 'general.architecture': 'llama', 'llama.block_count': '32' }],
    ['a safetensors map without GGUF keys', { 'general.architecture': 'Qwen3_5MoeForConditionalGeneration' }],
  ])('null for %s', (_name, mi) => {
    expect(kvGeometry(mi)).toBeNull();
  });

  it('element sizes are the ggml block sizes', () => {
    expect(BYTES_PER_ELEMENT).toEqual({ f16: 2, q8_0: 1.0625, q4_0: 0.5625 });
  });
});
