// The shared pieces of the runner-output parser: timing figures, backend families, llama-server heads.
import { describe, expect, it } from 'vitest';
import { parseTiming } from '../../agent/parse/runner/timings.js';
import { backendFamily } from '../../agent/parse/runner/backendFamily.js';
import { serverTag } from '../../agent/parse/runner/llamaServerSlots.js';
import { functionPrefix } from '../../agent/parse/runner/llamaCppLines.js';

describe('parseTiming', () => {
  it.each([
    [
      'prompt eval time =     252.01 ms /     4 tokens (   63.00 ms per token,    15.87 tokens per second)',
      { phase: 'prompt', ms: 252.01, tokens: 4, tps: 15.87 },
    ],
    [
      '       eval time =   10536.28 ms /   111 tokens (   94.92 ms per token,    10.54 tokens per second)',
      { phase: 'eval', ms: 10536.28, tokens: 111, tps: 10.54 },
    ],
    [
      'generation eval time =    3519.62 ms /   158 runs   (   22.28 ms per token,    44.89 tokens per second)',
      { phase: 'eval', ms: 3519.62, tokens: 158, tps: 44.89 },
    ],
    ['      total time =   12910.35 ms /   511 tokens', { phase: 'total', ms: 12910.35, tokens: 511, tps: null }],
    ['          total time =    5403.72 ms', { phase: 'total', ms: 5403.72, tokens: null, tps: null }],
    [
      '     sample time =     107.35 ms /   396 runs   (    0.27 ms per token,  3688.73 tokens per second)',
      { phase: null, ms: 107.35, tokens: 396, tps: 3688.73 },
    ],
    [
      'prompt eval time =      99.00 ms /     0 tokens (     inf ms per token,     0.00 tokens per second)',
      { phase: 'prompt', ms: 99, tokens: 0, tps: null },
    ],
    // The rate is found from `tokens per second` back to its number: the earliest number that ends there.
    ['eval time = 1 ms / 2 tokens (x1.2.34 tokens per second)', { phase: 'eval', ms: 1, tokens: 2, tps: 2.34 }],
    ['eval time = 1 ms / 2 tokens (. tokens per second, 12 tokens per second)', { phase: 'eval', ms: 1, tokens: 2, tps: 12 }],
    ['eval time = 1 ms / 2 tokens (x.5 tokens per second)', { phase: 'eval', ms: 1, tokens: 2, tps: 5 }],
  ])('%s', (text, want) => {
    expect(parseTiming(text)).toEqual(want);
  });

  it.each([['prompt processing, n_tokens = 1536, progress = 0.10'], ['n_gen = 215, tg = 18.96 t/s'], ['eval time is long']])(
    'is null for %s',
    (text) => {
      expect(parseTiming(text)).toBeNull();
    },
  );
});

describe('backendFamily', () => {
  it.each([
    ['MTL0', 'metal'],
    ['Metal', 'metal'],
    ['CUDA1', 'cuda'],
    ['ROCm0', 'rocm'],
    ['HIP', 'rocm'],
    ['Vulkan0', 'vulkan'],
    ['SYCL0', 'sycl'],
    ['CPU', 'cpu'],
    ['BLAS', null],
    ['RPC', null],
  ])('%s → %s', (name, family) => {
    expect(backendFamily(name)).toBe(family);
  });
});

describe('serverTag', () => {
  it.each([
    ['srv  update_slots: all slots are idle', 'srv'],
    ['slot print_timing: id  0 | task 1 | ', 'slot'],
    ['cmn  common_param: device_info:', 'cmn'],
    ['spec common_specu: no implementations specified', 'spec'],
    ['que    start_loop: processing new tasks', 'que'],
    ['llama_context: n_ctx         = 8192', null],
    ['Hello there, this is a long line: yes', null],
    ['srv short', null],
  ])('%s → %s', (line, tag) => {
    expect(serverTag(line)).toBe(tag);
  });
});

describe('functionPrefix', () => {
  it.each([
    ['llama_context: n_ctx = 8192', 'llama_context'],
    ['load_tensors:', 'load_tensors'],
    ['ggml_metal_init: allocating', 'ggml_metal_init'],
    ['OLLAMA_HOST:http://127.0.0.1:11434', null],
    ['ollama.exe : time=…', null],
    ['goroutine 1 [running]:', null],
  ])('%s → %s', (line, prefix) => {
    expect(functionPrefix(line)).toBe(prefix);
  });
});
