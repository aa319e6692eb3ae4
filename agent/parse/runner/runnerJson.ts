// Ollama's C++ runner (`ollama_llama_server`, eras A–B) logged through server.cpp's server_log in two
// layouts with the same content: JSON objects in v0.1.2x–v0.1.34
// (`{"function":"update_slots","level":"INFO","line":1648,"msg":"slot released","n_ctx":2048,…}`,
// `message` instead of `msg` in the oldest llama.cpp server) and text from v0.1.35
// (`INFO [update_slots] slot released | n_ctx=2048 n_past=306 … truncated=false`).
// Several such lines come with every request, so fields are read on demand from the flat objects
// the runner prints instead of running JSON.parse (or a key=value tokenizer) on each line.
import type { LineEvent } from '../events.js';
import { contentEvent } from './contentRules.js';
import { contextShift } from './llamaServerSlots.js';
import { parseTiming, timingEvent } from './timings.js';
import { NOISE, SLOT_ACTIVITY, clip } from './shared.js';

interface CppRecord {
  line: string;
  func: string;
  msg: string;
  /** The raw scalar text of a top-level field (`2048`, `false`, the inside of a string), or undefined. */
  field(key: string): string | undefined;
}

// Functions whose lines are about a slot serving a task, even when the message does not say "slot".
const SLOT_FUNCS =
  /^(?:update_slots|launch_slot_with_data|process_single_task|prefix_slot|print_timings|get_available_slot|process_tasks)$/;

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function bool(v: string | undefined): boolean | null {
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : null;
}

function summary(rec: CppRecord, keys: readonly string[]): string {
  const parts: string[] = [];
  for (const k of keys) {
    const v = rec.field(k);
    if (v !== undefined) parts.push(`${k}=${v}`);
  }
  return clip(parts.length ? `${rec.msg} (${parts.join(' ')})` : rec.msg);
}

function recordEvent(rec: CppRecord): LineEvent {
  const { msg } = rec;
  const content = contentEvent(msg, rec.line);
  if (content) return content;
  if (msg.includes(' time')) {
    const t = parseTiming(msg);
    if (t) {
      if (t.tokens === null && t.phase !== 'total')
        t.tokens = num(rec.field(t.phase === 'prompt' ? 'n_prompt_tokens_processed' : 'n_decoded'));
      return timingEvent(t);
    }
  }
  if (msg === 'slot released') {
    // n_cache_tokens is exactly prompt + generated (the API's prompt_eval_count + eval_count);
    // n_past is one less, the last sampled token never being evaluated. Older builds lack the former.
    const nTokens = num(rec.field('n_cache_tokens')) ?? num(rec.field('n_past'));
    return { type: 'slot_release', nTokens, nCtx: num(rec.field('n_ctx')), truncated: bool(rec.field('truncated')) };
  }
  if (msg.startsWith('input truncated')) {
    return {
      type: 'truncation',
      at: null,
      limit: num(rec.field('n_ctx')),
      prompt: null,
      detail: summary(rec, ['n_ctx', 'n_keep', 'n_left', 'n_erase', 'n_shift']),
    };
  }
  if (contextShift(msg))
    return { type: 'context_shift', at: null, detail: summary(rec, ['n_ctx', 'n_keep', 'n_left', 'n_discard', 'n_past']) };
  if (rec.func === 'initialize') {
    // One slot per parallel sequence: n_slots is what llama.cpp elsewhere calls n_seq_max.
    const slots = msg === 'initializing slots' ? num(rec.field('n_slots')) : null;
    if (slots !== null) return { type: 'ctx_info', nSeqMax: slots };
    const n = msg === 'new slot' ? num(rec.field('n_ctx_slot')) : null;
    return n !== null ? { type: 'ctx_info', nCtxSlot: n } : NOISE;
  }
  if (SLOT_FUNCS.test(rec.func) || msg.includes('slot') || rec.field('slot_id') !== undefined || rec.field('task_id') !== undefined) {
    return SLOT_ACTIVITY;
  }
  return NOISE;
}

/** The value after `"key":` in a flat JSON object line: a string's raw inside or a scalar's text. */
function jsonValue(line: string, key: string): string | undefined {
  const at = line.indexOf(`"${key}":`);
  if (at < 0) return undefined;
  let i = at + key.length + 3;
  if (line.charCodeAt(i) === 0x22 /* " */) {
    const start = ++i;
    while (i < line.length && line.charCodeAt(i) !== 0x22) i += line.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
    return i < line.length ? line.slice(start, i) : undefined;
  }
  const start = i;
  while (i < line.length && line.charCodeAt(i) !== 0x2c /* , */ && line.charCodeAt(i) !== 0x7d /* } */) i++;
  return line.slice(start, i).trim();
}

/** A JSON runner line, or null when the object is not server_log output (e.g. a JSON-wrapped Ollama line). */
export function parseRunnerJson(line: string): LineEvent | null {
  if (!line.trimEnd().endsWith('}')) return null;
  const func = jsonValue(line, 'function');
  const msg = jsonValue(line, 'msg') ?? jsonValue(line, 'message');
  if (func === undefined || msg === undefined) return null;
  return recordEvent({ line, func, msg, field: (k) => jsonValue(line, k) });
}

const TEXT = /^(?:INFO|WARN|WARNING|ERR|ERROR|DEBUG|VERB) \[\s*([\w:~]+)\] /;
const fieldPatterns = new Map<string, RegExp>();

/** `k=v` or `k="v"` after the ` | ` of a text runner line. */
function textValue(fields: string, key: string): string | undefined {
  let re = fieldPatterns.get(key);
  if (!re) fieldPatterns.set(key, (re = new RegExp(`(?:^| )${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|(\\S*))`)));
  const m = re.exec(fields);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** `LEVEL [function] message | k=v …`, or null when the line has another shape. */
export function parseRunnerText(line: string): LineEvent | null {
  const m = TEXT.exec(line);
  if (!m) return null;
  const bar = line.indexOf(' | ', m[0].length);
  const msg = (bar < 0 ? line.slice(m[0].length) : line.slice(m[0].length, bar)).trim();
  const fields = bar < 0 ? '' : line.slice(bar + 3);
  return recordEvent({ line, func: m[1] ?? '', msg, field: (k) => textValue(fields, k) });
}
