// llama-server's tagged lines. Since the 2024 server rewrite every line is
// `<tag:4> <function:12, right-aligned>: ` + message, and slot lines add `id N | task N | ` before the
// message (`slot print_timing: id  0 | task 160 | prompt eval time = …`). Function names differ between
// builds (`update_slots`, `operator()`, `launch_slot_`), so facts are read from the message only.
// The pre-2024 server (Ollama ≤ v0.1.17) printed `slot 0 released (N tokens in cache)` and the like.
import type { LineEvent } from '../events.js';
import { parseTiming, timingEvent } from './timings.js';
import { contentEvent } from './contentRules.js';
import { NOISE, SLOT_ACTIVITY, clip, int } from './shared.js';

const NEW_PROMPT = /^new prompt\b.*?\b(?:task\.n_tokens|n_prompt_tokens) = (\d+)/;
const N_CTX_SLOT = /\bn_ctx_slot = (\d+)/;
const N_SLOTS = /\bn_slots = (\d+)/;
const NEW_SLOT = /^new slot,? n_ctx(?:_slot)? = (\d+)/;
const STOP = /^stop processing: n_(?:tokens|past) = (\d+), truncated = (\d)/;
const INPUT_TRUNCATED = /^input truncated\b.*?\bn_ctx = (\d+)/;
const OLD_RELEASED = /^\d+ released \((\d+) tokens in cache\)/;
const SHIFT_REFUSED = /disabled|not (?:supported|enabled)|cannot|can't/i;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `… | task 5 | message` → `message`; the old untagged form keeps everything after `slot `. */
function slotMessage(line: string): string {
  const task = line.indexOf('| task ', 19);
  if (task < 0) return line.slice(5);
  const bar = line.indexOf('|', task + 7);
  return bar < 0 ? '' : line.slice(bar + 1).trimStart();
}

/** Context shift says a conversation outgrew the window; a refusal to shift is not one. */
export function contextShift(message: string): LineEvent | null {
  if (!message.includes('context shift') || SHIFT_REFUSED.test(message)) return null;
  return { type: 'context_shift', at: null, detail: clip(message) };
}

export function parseSlotLine(line: string): LineEvent {
  const msg = slotMessage(line);
  let m: RegExpExecArray | null;
  switch (msg.charCodeAt(0)) {
    case 0x6e /* n */:
      if ((m = NEW_PROMPT.exec(msg))) {
        return { type: 'slot_prompt', nCtxSlot: int(N_CTX_SLOT.exec(msg)?.[1]), nTokens: Number(m[1]) };
      }
      if ((m = NEW_SLOT.exec(msg))) return { type: 'ctx_info', nCtxSlot: Number(m[1]) };
      break;
    case 0x73 /* s */:
      if ((m = STOP.exec(msg))) return { type: 'slot_release', nTokens: Number(m[1]), nCtx: null, truncated: m[2] !== '0' };
      break;
    case 0x69 /* i */:
      if ((m = INPUT_TRUNCATED.exec(msg))) {
        return { type: 'truncation', at: null, limit: Number(m[1]), prompt: null, detail: clip(msg) };
      }
      break;
    default:
      if (isDigit(msg.charCodeAt(0)) && (m = OLD_RELEASED.exec(msg))) {
        return { type: 'slot_release', nTokens: Number(m[1]), nCtx: null, truncated: null };
      }
  }
  // Older builds print a bare `slot print_timing: … | ` and the three figures on unprefixed lines;
  // newer ones prefix each figure. Progress lines (`n_gen = …, tg = …`, `prompt processing, …`) fall through.
  if (msg.includes('time =')) {
    const t = parseTiming(msg);
    if (t) return timingEvent(t);
  }
  return contextShift(msg) ?? SLOT_ACTIVITY;
}

// Start-up and shutdown functions; every other `srv` line is the server handling a request.
const SRV_STARTUP = /^(?:llama_server|load_model|init|start|main)$/;

/** A `srv` line; the caller has checked the fixed-width head (see serverTag). */
export function parseSrvLine(line: string): LineEvent {
  if (!SRV_STARTUP.test(line.slice(5, 17).trimStart())) return contextShift(line.slice(19)) ?? SLOT_ACTIVITY;
  // `initializing slots, n_slots = 1` / `initializing, n_slots = 1, n_ctx_slot = 131072`: one slot
  // per parallel sequence (n_seq_max) and the context each gets.
  const slots = int(N_SLOTS.exec(line)?.[1]);
  const perSlot = int(N_CTX_SLOT.exec(line)?.[1]);
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
