import { describe, expect, it } from 'vitest';
import { kvBytes, kvGeometry, type KvGeometry } from '../../../agent/kv/kvGeometry.js';
import { kvAllocatedBytes, kvFill, kvUsedBytes, kvUsedFromLog } from '../../../agent/kv/kvUsed.js';

// Geometries of real models (their GGUF metadata), as kvGeometry.test.ts checks them.
const KiB = 1024;
const MiB = 2 ** 20;

const geom = (modelInfo: Record<string, unknown>): KvGeometry => {
  const g = kvGeometry(modelInfo);
  if (g === null) throw new Error('no geometry');
  return g;
};

/** Llama 3.1 8B: 32 layers × 8 KV heads × (128 + 128) × 2 B = 128 KiB per token, every layer growing. */
const PLAIN = geom({
  'general.architecture': 'llama',
  'llama.block_count': 32,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.embedding_length': 4096,
  'llama.context_length': 131072,
});

/** gpt-oss-20b: 24 layers alternating sliding (window 128) and full, 8 KV heads × 64 + 64. */
const SLIDING = geom({
  'general.architecture': 'gpt-oss',
  'gpt-oss.block_count': 24,
  'gpt-oss.attention.head_count': 64,
  'gpt-oss.attention.head_count_kv': 8,
  'gpt-oss.attention.key_length': 64,
  'gpt-oss.attention.value_length': 64,
  'gpt-oss.attention.sliding_window': 128,
});

/** Qwen3.5-35B-A3B: 40 layers, every 4th full attention (10), the rest linear attention with a fixed state. */
const HYBRID = geom({
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
});

describe('KV used by a request', () => {
  it('plain cache: every layer holds every token of the context', () => {
    expect(kvUsedBytes(PLAIN, 1000, 'f16')).toBe(1000 * 128 * KiB);
    expect(kvUsedBytes(PLAIN, 1000, 'q8_0')).toBe(Math.round((1000 * 128 * KiB * (34 / 32)) / 2));
    // A full window fills exactly what the geometry allocates for one sequence.
    expect(kvUsedBytes(PLAIN, 8192, 'f16')).toBe(kvAllocatedBytes(PLAIN, 8192, 1, 'f16'));
    expect(kvFill(kvUsedBytes(PLAIN, 8192, 'f16'), kvAllocatedBytes(PLAIN, 8192, 1, 'f16'))).toBe(1);
    // Two sequences allocated, one request's context fills half.
    expect(kvFill(kvUsedBytes(PLAIN, 8192, 'f16'), kvAllocatedBytes(PLAIN, 8192, 2, 'f16'))).toBe(0.5);
  });

  it('sliding-window layers hold at most their window; full layers every token', () => {
    const full = 12 * 8 * 128 * 2; // 24 KiB per token over the 12 full layers
    const swaPerToken = 12 * 8 * 128 * 2; // the 12 sliding layers, always f16
    expect(kvUsedBytes(SLIDING, 100, 'f16')).toBe(100 * (full + swaPerToken));
    expect(kvUsedBytes(SLIDING, 10_000, 'f16')).toBe(10_000 * full + 128 * swaPerToken);
    // The sliding part stays f16 under a quantised cache.
    expect(kvUsedBytes(SLIDING, 10_000, 'q8_0')).toBe(Math.round((10_000 * full * (34 / 32)) / 2 + 128 * swaPerToken));
    // Allocated: the growing layers at the context plus the sliding cache (768 cells for one sequence, as llama.cpp logs).
    expect(kvAllocatedBytes(SLIDING, 32_768, 1, 'f16')).toBe(32_768 * full + 768 * swaPerToken);
  });

  it('hybrid: only the full-attention layers hold KV; the recurrent state counts in neither figure', () => {
    const perToken = 10 * 2 * 512 * 2; // 20 KiB
    expect(kvUsedBytes(HYBRID, 30_000, 'f16')).toBe(30_000 * perToken);
    expect(kvAllocatedBytes(HYBRID, 32_768, 1, 'f16')).toBe(32_768 * perToken);
    // kvBytes (the /api/models sizing) adds the recurrent state on top.
    expect(kvBytes(HYBRID, { ctx: 32_768, parallel: 1, cacheType: 'f16' }).totalBytes!).toBeGreaterThan(
      kvAllocatedBytes(HYBRID, 32_768, 1, 'f16')!,
    );
    expect(kvFill(kvUsedBytes(HYBRID, 28_000, 'f16'), kvAllocatedBytes(HYBRID, 32_768, 1, 'f16'))).toBe(0.8545);
  });

  it('unknown geometry gives null, never a guess', () => {
    const mla = geom({
      'general.architecture': 'deepseek2',
      'deepseek2.block_count': 27,
      'deepseek2.attention.head_count': 16,
      'deepseek2.attention.kv_lora_rank': 512,
    });
    expect(kvUsedBytes(mla, 1000, 'f16')).toBeNull();
    expect(kvAllocatedBytes(mla, 8192, 1, 'f16')).toBeNull();
    const noWindow: KvGeometry = { ...SLIDING, slidingWindow: null };
    expect(kvUsedBytes(noWindow, 1000, 'f16')).toBeNull();
    expect(kvFill(null, 1)).toBeNull();
    expect(kvFill(1, null)).toBeNull();
    expect(kvFill(1, 0)).toBeNull();
  });

  it('from the log: tokens × size ÷ cells', () => {
    expect(kvUsedFromLog(1024 * MiB, 8192, 7100)).toBe(7100 * 128 * KiB);
    expect(kvUsedFromLog(null, 8192, 7100)).toBeNull();
    expect(kvUsedFromLog(1024 * MiB, null, 7100)).toBeNull();
  });
});
