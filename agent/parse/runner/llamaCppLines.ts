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
const BUFFER = /^\S+ (model|compute) buffer size\s*=\s*(\d+(?:\.\d+)?\s*[KMGT]?i?B)\b/;
const CTX = /^(n_ctx|n_ctx_per_seq|n_ctx_seq|n_seq_max)\s*=\s*(\d+)\s*$/;
const USING_DEVICE = /^using device (\S+)/;
const ACCELERATION = /^using (\w+) for GPU acceleration/;
const LOADED_BACKEND = /^loaded (\w+) backend/;
const FOUND_DEVICES = /^[Ff]ound (\d+) (\w+) devices?:/;
const METAL_DEVICE = /^(?:found device|GPU name|picking default device):/;

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
  if (rest.indexOf('K') >= 0 && rest.includes('KV buffer size') && (m = KV_BUFFER.exec(rest))) {
    const bytes = parseBytes(m[2]);
    return bytes === null ? null : { type: 'kv_buffer', device: m[1] ?? '', bytes };
  }
  if (rest.includes(' buffer size') && (m = BUFFER.exec(rest))) {
    const bytes = parseBytes(m[2]);
    return bytes === null ? null : { type: 'buffer', kind: m[1] as 'model' | 'compute', bytes };
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
      m = prefix.startsWith('llama_') ? CTX.exec(rest) : null;
      return m ? ctxInfo(m[1] ?? '', Number(m[2])) : null;
    case 0x75 /* u */:
      return hint((USING_DEVICE.exec(rest) ?? ACCELERATION.exec(rest))?.[1]);
    case 0x6c /* l */:
      return prefix === 'load_backend' ? hint(LOADED_BACKEND.exec(rest)?.[1]) : null;
    case 0x61 /* a */:
      return rest.startsWith('applying K-shift') ? { type: 'context_shift', at: null, detail: 'applying K-shift' } : null;
    case 0x66 /* f */:
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

const KV_SUMMARY = /^size\s*=\s*(\d+(?:\.\d+)?\s*[KMGT]?i?B)\s*\(\s*(\d+) cells/;
const KV_SIZE = /^kv_size\s*=\s*(\d+)/;

/**
 * The KV cache's own summary lines (`llama_kv_cache…:` / `llama_memory_…:`), which tell a plain
 * cache (size over cells) from a sliding-window or recurrent one. Null for their other lines.
 */
function kvCacheFact(prefix: string, rest: string): LineEvent | null {
  if (prefix.startsWith('llama_memory_recurrent') || prefix.startsWith('llama_memory_hybrid')) return { type: 'kv_layout', layout: 'recurrent' };
  if (!prefix.startsWith('llama_kv_cache')) return null;
  if (prefix.includes('iswa')) return { type: 'kv_layout', layout: 'sliding' };
  let m = KV_SUMMARY.exec(rest);
  if (m) return { type: 'kv_summary', bytes: parseBytes(m[1]), cells: Number(m[2]) };
  m = KV_SIZE.exec(rest);
  return m ? { type: 'kv_summary', bytes: null, cells: Number(m[1]) } : null;
}

/** A `function: message` line: its fact, noise for a known llama.cpp/ggml function, else null. */
export function parseLlamaCppLine(prefix: string, line: string): LineEvent | null {
  // trimStart without the intermediate slice: this runs for most runner lines.
  let start = prefix.length + 1;
  while (start < line.length && isTrimmed(line.charCodeAt(start))) start++;
  const rest = line.slice(start);
  return fact(prefix, rest) ?? (prefix.startsWith('llama_') ? kvCacheFact(prefix, rest) : null) ?? (isNoisePrefix(prefix) ? NOISE : null);
}
