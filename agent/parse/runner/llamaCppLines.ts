// llama.cpp / ggml output: `<function>: <message>` (the C `__func__` convention of LLAMA_LOG_*,
// GGML_LOG_*). A few messages carry facts (layers offloaded, KV buffers, context sizes, the device in
// use, timings, K-shift); the thousands of model-dump lines around them are noise.
import type { LineEvent } from '../events.js';
import { parseBytes } from '../bytes.js';
import { backendFamily } from './backendFamily.js';
import { parseTiming, timingEvent } from './timings.js';
import { NOISE, isTrimmed } from './shared.js';

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * `llama_context: n_ctx = 8192` → `llama_context`; null when the line does not open with `name: `.
 * A hand-written scan: this runs on nearly every runner line and beats the equivalent regex.
 */
export function functionPrefix(line: string): string | null {
  const first = line.charCodeAt(0);
  if (!isWordChar(first) || (first >= 0x30 && first <= 0x39)) return null;
  let i = 1;
  while (i < line.length && isWordChar(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 0x3a) return null;
  const next = line.charCodeAt(i + 1);
  return next === 0x20 || Number.isNaN(next) ? line.slice(0, i) : null;
}

// The bulk of a model load (metadata dump, vocab, tensor types): never a fact nor an error. One
// anchored regex on the line is several times cheaper than slicing the prefix and a Set lookup.
const DUMP = /^(?:print_info|llama_model_loader|llm_load_print_meta|llm_load_vocab|load|common_memory_breakdown_print):(?: |$)/;
// Single-word prefixes llama.cpp, ggml and their helpers print; anything snake_case is a C function.
// (Regexes rather than Sets: a Set lookup hashes the freshly sliced prefix on every line.)
const WORDS = /^(?:load|main|init|update|build|warning|error|nohup|GGML_ASSERT)$/;
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;
const TIMING_PREFIX = /^(?:llama_print_timings|print_timings|llama_perf_context_print)$/;

const OFFLOADED = /^offloaded (\d+)\/(\d+) layers to GPU/;
const KV_BUFFER = /^(\S+) KV buffer size\s*=\s*(\d+(?:\.\d+)?\s*[KMGT]?i?B)\b/;
const CTX = /^(n_ctx|n_ctx_per_seq|n_ctx_seq|n_seq_max)\s*=\s*(\d+)\s*$/;
// The warning form states the per-sequence context too: `n_ctx_per_seq (4096) < n_ctx_train (131072) -- …`.
const CTX_WARN = /^(?:n_ctx_per_seq|n_ctx_seq) \((\d+)\) < n_ctx_train\b/;
const SIZE = '(\\d+(?:\\.\\d+)?\\s*[KMGT]?i?B)\\b';
// One whole KV cache: `KV self size  = 896.00 MiB, K (f16): …` (2024), `kv self size  =  256.00 MB` (2023),
// `llama_kv_cache: size =   18.00 MiB (   768 cells, …)` (2025+).
const KV_SELF = new RegExp(`^[Kk][Vv] self size\\s*=\\s*${SIZE}`);
const KV_CACHE_SIZE = new RegExp(`^size\\s*=\\s*${SIZE}\\s*\\(\\s*(?:(\\d+) cells)?`);
// 2023: the GPU's share of the KV cache (`llama_kv_cache_init: VRAM kv self = 64.00 MB`) and of the weights.
const VRAM_KV = new RegExp(`^VRAM kv self\\s*=\\s*${SIZE}`);
const VRAM_USED = /^VRAM used:\s*(\d+(?:\.\d+)?)/;
// Sliding-window models build two caches, each listed with its own buffers and size line.
const KV_PART = /^creating\s+(non-)?SWA KV cache/;
// `CUDA0 model buffer size =`, `CPU_Mapped model buffer size =`, 2024's `Metal buffer size =`, `CUDA_Host compute buffer size =`.
const BUFFER = /^(\S+)\s+(?:(model|compute|output) )?buffer size\s*=\s*(\d+(?:\.\d+)?\s*[KMGT]?i?B)?/;
// Functions that print where the weights (load_tensors) and the compute buffers (context set-up) went.
const TENSORS_PREFIX = /^(?:load_tensors|llm_load_tensors)$/;
const CONTEXT_PREFIX = /^(?:llama_context|llama_new_context_with_model|llama_init_from_model|sched_reserve)$/;
const USING_DEVICE = /^using device (\S+)/;
const ACCELERATION = /^using (\w+) for GPU acceleration/;
const LOADED_BACKEND = /^loaded (\w+) backend/;
const FOUND_DEVICES = /^[Ff]ound (\d+) (\w+) devices?:/;
const METAL_DEVICE = /^(?:found device|GPU name|picking default device):/;

const TENSORS_BEGIN: LineEvent = { type: 'tensors_begin' };
const DUMP_HEAD = /^(?:print_info|llm_load_print_meta): +/;

/**
 * The model dump's `max token length = N`: the dump comes before the weights list of the same load.
 * Checked only on dump lines that open with an `m` after their prefix, so the dump stays cheap.
 */
export function dumpEvent(line: string): LineEvent {
  const m = line.charCodeAt(12) === 0x6d || line.charCodeAt(21) === 0x6d ? DUMP_HEAD.exec(line) : null;
  return m && line.startsWith('max token length', m[0].length) ? TENSORS_BEGIN : NOISE;
}

/** A line of the model-dump families, which never carry a fact nor an error: no further check needed. */
export function isDumpLine(line: string): boolean {
  return DUMP.test(line);
}

export function isNoisePrefix(prefix: string): boolean {
  return SNAKE.test(prefix) || WORDS.test(prefix);
}

function hint(name: string | undefined): LineEvent | null {
  const library = name === undefined ? null : backendFamily(name);
  return library ? { type: 'backend_hint', library } : null;
}

function ctxInfo(key: string, n: number): LineEvent {
  switch (key) {
    case 'n_ctx':
      return { type: 'ctx_info', nCtx: n };
    case 'n_seq_max':
      return { type: 'ctx_info', nSeqMax: n };
    default:
      return { type: 'ctx_info', nCtxPerSeq: n };
  }
}

function fact(prefix: string, rest: string): LineEvent | null {
  let m: RegExpExecArray | null;
  // `K` is rare in these lines: one character search rules most of them out.
  if (rest.indexOf('K') >= 0 && rest.includes('KV buffer size') && (m = KV_BUFFER.exec(rest))) return kvBuffer(m[1] ?? '', m[2]);
  if (rest.indexOf('K') >= 0 && (m = KV_SELF.exec(rest))) return kvTotal(m[1], true);
  if (rest.includes('buffer size') || rest.startsWith('VRAM used')) {
    const placed = placement(prefix, rest);
    if (placed) return placed;
  }
  if (TIMING_PREFIX.test(prefix)) {
    const t = parseTiming(rest);
    return t ? timingEvent(t) : null;
  }
  switch (rest.charCodeAt(0)) {
    case 0x6f /* o */:
      m = OFFLOADED.exec(rest);
      return m ? { type: 'offloaded', gpuLayers: Number(m[1]), totalLayers: Number(m[2]) } : null;
    case 0x6e /* n */:
      if (!prefix.startsWith('llama_')) return null;
      m = CTX.exec(rest);
      if (m) return ctxInfo(m[1] ?? '', Number(m[2]));
      m = CTX_WARN.exec(rest);
      return m ? { type: 'ctx_info', nCtxPerSeq: Number(m[1]) } : null;
    case 0x6b /* k */:
      m = KV_SELF.exec(rest);
      return m ? kvTotal(m[1], true) : null;
    case 0x73 /* s */:
      m = prefix.startsWith('llama_kv_cache') ? KV_CACHE_SIZE.exec(rest) : null;
      return m ? kvTotal(m[1], false, m[2]) : null;
    case 0x63 /* c */:
      m = prefix === 'llama_kv_cache_iswa' || prefix === 'llama_kv_cache_unified_iswa' ? KV_PART.exec(rest) : null;
      return m ? { type: 'kv_part', swa: m[1] === undefined } : null;
    case 0x56 /* V */:
      m = VRAM_KV.exec(rest);
      if (!m) return null;
      return kvBuffer('VRAM', m[1]);
    case 0x75 /* u */:
      return hint((USING_DEVICE.exec(rest) ?? ACCELERATION.exec(rest))?.[1]);
    case 0x6c /* l */:
      if (TENSORS_PREFIX.test(prefix) && rest.startsWith('loading model tensors')) return TENSORS_BEGIN;
      return prefix === 'load_backend' ? hint(LOADED_BACKEND.exec(rest)?.[1]) : null;
    case 0x67 /* g */:
      return TENSORS_PREFIX.test(prefix) && rest.startsWith('ggml ctx size') ? TENSORS_BEGIN : null;
    case 0x61 /* a */:
      return rest.startsWith('applying K-shift') ? { type: 'context_shift', at: null, detail: 'applying K-shift' } : null;
    case 0x66 /* f */:
      // A CUDA/ROCm build that finds no usable device runs everything on the CPU.
      if (prefix === 'ggml_cuda_init' && rest.startsWith('failed to initialize'))
        return { type: 'gpu_unsupported', text: `${prefix}: ${rest}`.slice(0, 200) };
    // falls through
    case 0x46 /* F */:
    case 0x47 /* G */:
    case 0x70 /* p */:
      if (prefix.startsWith('ggml_metal') && METAL_DEVICE.test(rest)) return { type: 'backend_hint', library: 'metal' };
      m = FOUND_DEVICES.exec(rest);
      return m && m[1] !== '0' ? hint(m[2]) : null;
    default:
      return null;
  }
}

const KV_SIZE = /^kv_size\s*=\s*(\d+)/;

/**
 * The KV cache's lines that say what kind of cache it is (`llama_kv_cache…:` / `llama_memory_…:`): a
 * sliding-window or recurrent one (size over cells is then no per-token figure), or its cells alone.
 */
function kvCacheFact(prefix: string, rest: string): LineEvent | null {
  if (prefix.startsWith('llama_memory_recurrent') || prefix.startsWith('llama_memory_hybrid'))
    return { type: 'kv_layout', layout: 'recurrent' };
  if (!prefix.startsWith('llama_kv_cache')) return null;
  if (prefix.includes('iswa')) return { type: 'kv_layout', layout: 'sliding' };
  const m = KV_SIZE.exec(rest);
  return m ? { type: 'kv_summary', bytes: null, cells: Number(m[1]) } : null;
}

/** llama.cpp computes its `MB` as MiB (`/ 1024.0 / 1024.0`); only Metal's working set is decimal. */
function llamaBytes(size: string | undefined): number | null {
  // Not rounded: a load sums these, and a sum of rounded parts can miss the stated total by a byte.
  const m = size === undefined ? null : /^(\d+(?:\.\d+)?)\s*([KMGT])i?B$/.exec(size);
  if (!m) return parseBytes(size);
  return Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2]!);
}

function kvBuffer(device: string, size: string | undefined): LineEvent | null {
  const bytes = llamaBytes(size);
  return bytes === null ? null : { type: 'kv_buffer', device, bytes };
}

function kvTotal(size: string | undefined, whole: boolean, cells: string | undefined = undefined): LineEvent | null {
  const bytes = llamaBytes(size);
  return bytes === null ? null : { type: 'kv_total', bytes, whole, cells: cells === undefined ? null : Number(cells) };
}

/**
 * Weights on a device (`load_tensors: CUDA0 model buffer size`) say where the model was placed; a
 * compute or output buffer, or a pinned host buffer (`CUDA_Host`), only that the GPU backend is loaded.
 */
function placement(prefix: string, rest: string): LineEvent | null {
  const tensors = TENSORS_PREFIX.test(prefix);
  if (tensors) {
    const vram = VRAM_USED.exec(rest);
    if (vram) return Number(vram[1]) > 0 ? { type: 'weights_buffer', device: 'VRAM', bytes: llamaBytes(`${vram[1]} MiB`) } : NOISE;
  }
  if (!tensors && !CONTEXT_PREFIX.test(prefix)) return null;
  const m = BUFFER.exec(rest);
  if (!m) return null;
  const device = m[1]!;
  if (tensors && (m[2] === undefined || m[2] === 'model') && !device.endsWith('_Host'))
    return { type: 'weights_buffer', device, bytes: llamaBytes(m[3]) };
  // A compute graph is memory the load holds wherever it sits; its device only says a backend was loaded.
  if (!tensors && m[2] === 'compute') return { type: 'compute_buffer', device, bytes: llamaBytes(m[3]) };
  return hint(device) ?? NOISE;
}

/** A `function: message` line: its fact, noise for a known llama.cpp/ggml function, else null. */
export function parseLlamaCppLine(prefix: string, line: string): LineEvent | null {
  // trimStart without the intermediate slice: this runs for most runner lines.
  let start = prefix.length + 1;
  while (start < line.length && isTrimmed(line.charCodeAt(start))) start++;
  const rest = line.slice(start);
  return fact(prefix, rest) ?? (prefix.startsWith('llama_') ? kvCacheFact(prefix, rest) : null) ?? (isNoisePrefix(prefix) ? NOISE : null);
}
