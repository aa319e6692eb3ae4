// Raw runner output: what llama.cpp, ggml (Metal, CUDA, ROCm, Vulkan, SYCL), llama-server and the old
// C++ `ollama_llama_server` write into Ollama's log without an Ollama prefix. The caller has already
// stripped journald/Docker prefixes. Pure; dispatches on the first characters so the common noise line
// costs a couple of comparisons and one small regex.
import type { LineEvent } from './events.js';
import { contentEvent } from './runner/contentRules.js';
import { parseSlotLine, parseTaggedLine, serverTag } from './runner/llamaServerSlots.js';
import { parseRunnerJson, parseRunnerText } from './runner/runnerJson.js';
import { dumpEvent, functionPrefix, isDumpLine, parseLlamaCppLine } from './runner/llamaCppLines.js';
import { parseTiming, timingEvent } from './runner/timings.js';
import { backendFamily } from './runner/backendFamily.js';
import { isBareNoise } from './runner/bareLines.js';
import { NOISE } from './runner/shared.js';
import { hintEvent } from './runner/hints.js';

const GO_LOG_DATE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;
// llama.cpp's own `<seconds>.<ms>.<us> <level> ` head, present when llama-server runs without
// Ollama's --no-log-prefix --no-log-timestamps (upstream logs, hand-started servers).
const LLAMA_LOG_HEAD = /^\d+\.\d+\.\d+\.\d+ [IWEDT] /;
const USING_DEVICE = /^using device (\S+)/;
const MLX_MISSING = /\bMLX\b.*not available|not available.*\bMLX\b/i;

/** One raw runner line → its event, `noise` when recognised without a fact, null when unrecognised. */
export function parseRunnerOutput(line: string): LineEvent | null {
  const c = line.charCodeAt(0);
  if (Number.isNaN(c)) return null;
  // Ollama's own lines (slog, gin, Go log) belong to other parsers.
  if (c === 0x74 /* t */ && line.startsWith('time=')) return null;
  if (c === 0x5b /* [ */ && line.startsWith('[GIN')) return null;
  if (c >= 0x30 && c <= 0x39) {
    if (GO_LOG_DATE.test(line)) return null;
    const head = LLAMA_LOG_HEAD.exec(line);
    if (head) return parseRunnerOutput(line.slice(head[0].length));
  }

  // The per-request families first (llama-server's tagged lines, the C++ runner's JSON and text
  // records), then the model dump that makes up most of a load. None of them needs the whole-line
  // content check below: llama-server reports allocation failures through ggml/llama lines, and the
  // runner records check their message themselves.
  if (c === 0x73 /* s */ && line.startsWith('slot ')) return parseSlotLine(line);
  const tag = serverTag(line);
  if (tag) return parseTaggedLine(tag, line);
  if (c === 0x7b /* { */) return parseRunnerJson(line);
  if (c >= 0x44 && c <= 0x57 /* D…W: the text record levels */) {
    const e = parseRunnerText(line);
    if (e) return e;
  }
  const hint = hintEvent(line);
  if (hint) return hint;
  if (isDumpLine(line)) return dumpEvent(line);

  const content = contentEvent(line);
  if (content) return content;

  const prefix = functionPrefix(line);
  if (prefix !== null) {
    const e = parseLlamaCppLine(prefix, line);
    if (e) return e;
  }

  // The older llama-server timing block: the figures follow `slot print_timing: … | ` unprefixed.
  if (line.includes(' time')) {
    const t = parseTiming(line);
    if (t) return timingEvent(t);
  }
  // Ollama's own comments show this line without a function prefix.
  const dev = USING_DEVICE.exec(line);
  if (dev) {
    const library = backendFamily(dev[1] ?? '');
    if (library) return { type: 'backend_hint', library };
  }
  // A Go CLI (cobra) exit message: the MLX runner's `Error: MLX not available: …`, or `ollama serve`'s own.
  if (c === 0x45 /* E */ && line.startsWith('Error: ')) {
    return MLX_MISSING.test(line) ? { type: 'mlx_unavailable', at: null, error: line.slice(7, 207) } : NOISE;
  }
  return isBareNoise(line) ? NOISE : null;
}
