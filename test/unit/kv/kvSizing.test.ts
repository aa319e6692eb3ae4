import { describe, expect, it } from 'vitest';
import { kvGeometry } from '../../../agent/kv/kvGeometry.js';
import { cacheTypeFromConfig, kvSizing } from '../../../agent/kv/kvSizing.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const LLAMA_8B = kvGeometry({
  'general.architecture': 'llama',
  'llama.block_count': 32,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.attention.key_length': 128,
  'llama.attention.value_length': 128,
  'llama.context_length': 131072,
})!;

const GEMMA3_27B = kvGeometry({
  'general.architecture': 'gemma3',
  'gemma3.block_count': 62,
  'gemma3.attention.head_count': 32,
  'gemma3.attention.head_count_kv': 16,
  'gemma3.attention.key_length': 128,
  'gemma3.attention.value_length': 128,
  'gemma3.attention.sliding_window': 1024,
})!;

const QWEN3_36L = kvGeometry({
  'general.architecture': 'qwen3',
  'qwen3.block_count': 36,
  'qwen3.attention.head_count': 32,
  'qwen3.attention.head_count_kv': 8,
  'qwen3.attention.key_length': 128,
  'qwen3.attention.value_length': 128,
})!;

describe('kvSizing', () => {
  it('fills every field: Llama-3.1-8B at 8192 × 1, matching its log, 12 GiB free', () => {
    expect(
      kvSizing({ geometry: LLAMA_8B, ctx: 8192, parallel: 1, cacheType: 'f16', loggedBytes: 1024 * MiB, freeBytes: 12 * GiB }),
    ).toEqual({
      cacheType: 'f16',
      bytesPerToken: 131_072,
      fixedBytes: 0,
      ctx: 8192,
      parallel: 1,
      estimatedBytes: 1024 * MiB,
      loggedBytes: 1024 * MiB,
      disagreement: 0,
      freeBytes: 12 * GiB,
      moreTokens: 98_304,
    });
  });

  it('measures disagreement against the log: q8_0 assumed (612 MiB) where the log says f16 (1152 MiB)', () => {
    const s = kvSizing({ geometry: QWEN3_36L, ctx: 8192, parallel: 1, cacheType: 'q8_0', loggedBytes: 1152 * MiB, freeBytes: null });
    expect(s.estimatedBytes).toBe(612 * MiB);
    expect(s.disagreement).toBeCloseTo(540 / 1152, 12);
    expect(s.moreTokens).toBeNull();
  });

  it('counts parallel sequences and the SWA part (Gemma 3 at 32768 × 2)', () => {
    const s = kvSizing({ geometry: GEMMA3_27B, ctx: 32768, parallel: 2, cacheType: 'f16', loggedBytes: null, freeBytes: 1 * GiB });
    const swa = 52 * 16 * 256 * 2 * 2560; // 2 × 1024 + 512 cells
    expect(s).toMatchObject({ bytesPerToken: 81_920, fixedBytes: swa, estimatedBytes: 81_920 * 32768 * 2 + swa, disagreement: null });
    expect(s.moreTokens).toBe(Math.floor(GiB / 81_920));
  });

  it('without ctx it still gives bytes/token and moreTokens, but no estimate', () => {
    const dense = kvSizing({
      geometry: LLAMA_8B,
      ctx: null,
      parallel: 1,
      cacheType: 'q4_0',
      loggedBytes: 500 * MiB,
      freeBytes: 36_864 * 10,
    });
    expect(dense).toMatchObject({ bytesPerToken: 36_864, fixedBytes: 0, estimatedBytes: null, disagreement: null, moreTokens: 10 });
    // The SWA part depends on ctx: unknown.
    expect(
      kvSizing({ geometry: GEMMA3_27B, ctx: 8192, parallel: null, cacheType: 'f16', loggedBytes: null, freeBytes: null }),
    ).toMatchObject({ bytesPerToken: 81_920, fixedBytes: null, estimatedBytes: null, parallel: null });
  });

  it('is all null but the inputs without a geometry', () => {
    expect(kvSizing({ geometry: null, ctx: 4096, parallel: 1, cacheType: 'q8_0', loggedBytes: 300 * MiB, freeBytes: GiB })).toEqual({
      cacheType: 'q8_0',
      bytesPerToken: null,
      fixedBytes: null,
      ctx: 4096,
      parallel: 1,
      estimatedBytes: null,
      loggedBytes: 300 * MiB,
      disagreement: null,
      freeBytes: GiB,
      moreTokens: null,
    });
  });

  it('counts only whole tokens that fit', () => {
    const s = kvSizing({
      geometry: LLAMA_8B,
      ctx: 4096,
      parallel: 1,
      cacheType: 'f16',
      loggedBytes: null,
      freeBytes: 131_072 * 10 + 131_071,
    });
    expect(s.moreTokens).toBe(10);
  });

  it('gives no disagreement against a zero logged size, and no negative token count', () => {
    const s = kvSizing({ geometry: LLAMA_8B, ctx: 4096, parallel: 1, cacheType: 'f16', loggedBytes: 0, freeBytes: -5 });
    expect(s.disagreement).toBeNull();
    expect(s.moreTokens).toBe(0);
  });

  it('leaves blanked geometry (needsVerbose) unknown', () => {
    const blank = kvGeometry({
      'general.architecture': 'lfm2',
      'lfm2.block_count': 16,
      'lfm2.attention.head_count_kv': [],
      'lfm2.attention.key_length': 64,
    })!;
    expect(kvSizing({ geometry: blank, ctx: 4096, parallel: 1, cacheType: 'f16', loggedBytes: MiB, freeBytes: GiB })).toMatchObject({
      bytesPerToken: null,
      fixedBytes: null,
      estimatedBytes: null,
      moreTokens: null,
      disagreement: null,
    });
  });
});

describe('cacheTypeFromConfig', () => {
  it.each([
    [{ OLLAMA_KV_CACHE_TYPE: 'q8_0' }, 'q8_0'],
    [{ OLLAMA_KV_CACHE_TYPE: 'q4_0' }, 'q4_0'],
    [{ OLLAMA_KV_CACHE_TYPE: 'f16' }, 'f16'],
    [{ OLLAMA_KV_CACHE_TYPE: 'Q8_0' }, 'q8_0'],
    [{ OLLAMA_KV_CACHE_TYPE: ' q4_0 ' }, 'q4_0'],
    [{ OLLAMA_KV_CACHE_TYPE: '"q8_0"' }, 'q8_0'],
    [{ OLLAMA_KV_CACHE_TYPE: '' }, 'f16'],
    [{ OLLAMA_KV_CACHE_TYPE: 'q5_1' }, 'f16'],
    [{ OLLAMA_KV_CACHE_TYPE: 'fp8' }, 'f16'],
    [{ OLLAMA_FLASH_ATTENTION: 'true' }, 'f16'],
    [{}, 'f16'],
  ] as const)('%j → %s', (env, want) => {
    expect(cacheTypeFromConfig(env)).toBe(want);
  });
});
