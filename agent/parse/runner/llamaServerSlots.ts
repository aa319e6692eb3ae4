// llama-server's tagged lines. Since the 2024 server rewrite every line is
// `<tag:4> <function:12, right-aligned>: ` + message, and slot lines add `id N | task N | ` before the
// message (`slot print_timing: id  0 | task 160 | prompt eval time = …`). Function names differ between
// builds (`update_slots`, `operator()`, `launch_slot_`), so facts are read from the message only.
// The pre-2024 server (Ollama ≤ v0.1.17) printed `slot 0 released (N tokens in cache)` and the like.
import type { LineEvent } from '../events.js';
import { parseTimingAt, timingEvent } from './timings.js';
import { contentEvent } from './contentRules.js';
import { NOISE, SLOT_ACTIVITY, clip, int, isTrimmed } from './shared.js';

// Read in place at the message's start (sticky, or global from there): slot lines are the most
// common lines of a llama-server log, and slicing off their head cost more than reading them.
const NEW_PROMPT = /new prompt\b.*?\b(?:task\.n_tokens|n_prompt_tokens) = (\d+)/y;
const N_CTX_SLOT = /\bn_ctx_slot = (\d+)/g;
const N_SLOTS = /\bn_slots = (\d+)/;
const NEW_SLOT = /new slot,? n_ctx(?:_slot)? = (\d+)/y;
const STOP = /stop processing: n_(?:tokens|past) = (\d+), truncated = (\d)/y;
const INPUT_TRUNCATED = /input truncated\b.*?\bn_ctx = (\d+)/y;
const OLD_RELEASED = /\d+ released \((\d+) tokens in cache\)/y;
const SHIFT_REFUSED = /disabled|not (?:supported|enabled)|cannot|can't/gi;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** line.indexOf('| task ', 19), found by its `|` (a one-character search) and confirmed. */
function indexOfTask(line: string): number {
  for (let p = line.indexOf('|', 19); p >= 0; p = line.indexOf('|', p + 1)) if (line.startsWith('| task ', p)) return p;
  return -1;
}

/**
 * Where the message starts: after `… | task 5 | ` and the spaces that follow; the old untagged form
 * keeps everything after `slot `. The line's length when there is no message.
 */
function slotMessageStart(line: string): number {
  const task = indexOfTask(line);
  if (task < 0) return 5;
  const bar = line.indexOf('|', task + 7);
  if (bar < 0) return line.length;
  let i = bar + 1;
  while (i < line.length && isTrimmed(line.charCodeAt(i))) i++;
  return i;
}

/** Context shift says a conversation outgrew the window; a refusal to shift is not one. */
export function contextShift(message: string): LineEvent | null {
  return contextShiftAt(message, 0);
}

/** contextShift(line.slice(start)). */
function contextShiftAt(line: string, start: number): LineEvent | null {
  if (!hasContextShift(line, start)) return null;
  SHIFT_REFUSED.lastIndex = start;
  if (SHIFT_REFUSED.test(line)) return null;
  return { type: 'context_shift', at: null, detail: clip(line.slice(start)) };
}

/**
 * line.indexOf('context shift', start) >= 0, by its `x` (rare in runner messages, and a
 * one-character search is far cheaper than a search for the phrase in every slot line).
 */
function hasContextShift(line: string, start: number): boolean {
  for (let x = line.indexOf('x', start + 5); x >= 0; x = line.indexOf('x', x + 1)) if (line.startsWith('context shift', x - 5)) return true;
  return false;
}

/** A sticky regex's match at `start`, or null. */
function execAt(re: RegExp, line: string, start: number): RegExpExecArray | null {
  re.lastIndex = start;
  return re.exec(line);
}

export function parseSlotLine(line: string): LineEvent {
  const start = slotMessageStart(line);
  let m: RegExpExecArray | null;
  const first = line.charCodeAt(start);
  switch (first) {
    case 0x6e /* n */:
      if ((m = execAt(NEW_PROMPT, line, start))) {
        return { type: 'slot_prompt', nCtxSlot: int(execAt(N_CTX_SLOT, line, start)?.[1]), nTokens: Number(m[1]) };
      }
      if ((m = execAt(NEW_SLOT, line, start))) return { type: 'ctx_info', nCtxSlot: Number(m[1]) };
      break;
    case 0x73 /* s */:
      if ((m = execAt(STOP, line, start))) return { type: 'slot_release', nTokens: Number(m[1]), nCtx: null, truncated: m[2] !== '0' };
      break;
    case 0x69 /* i */:
      if ((m = execAt(INPUT_TRUNCATED, line, start))) {
        return { type: 'truncation', at: null, limit: Number(m[1]), prompt: null, detail: clip(line.slice(start)) };
      }
      break;
    default:
      if (isDigit(first) && (m = execAt(OLD_RELEASED, line, start))) {
        return { type: 'slot_release', nTokens: Number(m[1]), nCtx: null, truncated: null };
      }
  }
  // Older builds print a bare `slot print_timing: … | ` and the three figures on unprefixed lines;
  // newer ones prefix each figure. Progress lines (`n_gen = …, tg = …`, `prompt processing, …`) fall through.
  // The figures first: their sticky regex fails at once on other messages, where looking for
  // `time =` would read the whole message.
  const t = parseTimingAt(line, start);
  if (t && line.indexOf('time =', start) >= 0) return timingEvent(t);
  return contextShiftAt(line, start) ?? SLOT_ACTIVITY;
}

// Start-up and shutdown functions; every other `srv` line is the server handling a request.
const SRV_STARTUP = /^(?:llama_server|load_model|init|start|main)$/;

/** A `srv` line; the caller has checked the fixed-width head (see serverTag). */
export function parseSrvLine(line: string): LineEvent {
  if (!SRV_STARTUP.test(line.slice(5, 17).trimStart())) return contextShiftAt(line, 19) ?? SLOT_ACTIVITY;
  // `initializing slots, n_slots = 1` / `initializing, n_slots = 1, n_ctx_slot = 131072`: one slot
  // per parallel sequence (n_seq_max) and the context each gets.
  const slots = int(N_SLOTS.exec(line)?.[1]);
  const perSlot = int(execAt(N_CTX_SLOT, line, 0)?.[1]);
  if (slots === null && perSlot === null) return contentEvent(line) ?? NOISE;
  const e: LineEvent = { type: 'ctx_info' };
  if (slots !== null) e.nSeqMax = slots;
  if (perSlot !== null) e.nCtxSlot = perSlot;
  return e;
}

function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

/**
 * The fixed-width `<tag> <function>: ` head of a llama-server line (`srv  update_slots: `,
 * `cmn  common_param: `, `spec common_specu: `), or null. Checked character by character because
 * it runs on every llama-server line.
 */
export function serverTag(line: string): string | null {
  if (line.length < 19 || line.charCodeAt(17) !== 0x3a || line.charCodeAt(18) !== 0x20 || line.charCodeAt(4) !== 0x20) return null;
  let n = 0;
  while (n < 4 && isLower(line.charCodeAt(n))) n++;
  if (n < 3 || (n === 3 && line.charCodeAt(3) !== 0x20)) return null;
  // The function name is right-aligned in 12 columns: leading spaces, then no space.
  let i = 5;
  while (i < 17 && line.charCodeAt(i) === 0x20) i++;
  if (i === 17) return null;
  for (; i < 17; i++) if (line.charCodeAt(i) === 0x20) return null;
  return line.slice(0, n);
}

/**
 * Lines with a server tag: `slot` and `srv` by content, request plumbing (`que`, `res`) is activity,
 * the rest (`cmn`, `spec`) start-up noise. Only the rare start-up lines get the content check.
 */
export function parseTaggedLine(tag: string, line: string): LineEvent {
  if (tag === 'slot') return parseSlotLine(line);
  if (tag === 'srv') return parseSrvLine(line);
  if (tag === 'que' || tag === 'res') return SLOT_ACTIVITY;
  return contentEvent(line) ?? NOISE;
}
