// The final-timings wording llama.cpp has kept since 2023 in every layout Ollama passed through:
// `prompt eval time = X ms / N tokens (… ms per token, T tokens per second)`, `eval time = X ms / N runs`,
// the ext_server's `generation eval time = …` and `total time = X ms [/ N tokens]`. Callers strip
// whatever sits in front (`llama_print_timings: `, `slot print_timing: id 0 | task 5 | `, JSON `msg`).
import type { LineEvent } from '../events.js';
import { NOISE, SLOT_ACTIVITY } from './shared.js';

export interface TimingFigures {
  /** null for phases we do not report (`sample time`, `load time`). */
  phase: 'prompt' | 'eval' | 'total' | null;
  ms: number;
  tokens: number | null;
  tps: number | null;
}

const TIMING =
  /\s*(prompt eval|generation eval|eval|total|sample|sampling|load) time\s*=\s*(\d+(?:\.\d+)?) ms(?:\s*\/\s*(\d+) (?:tokens|runs))?/y;
const TPS_TEXT = ' tokens per second';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * The rate `/(\d+(?:\.\d+)?) tokens per second/` finds in `text` from `start`, found from the words
 * back to the number: that regex tries every digit of the line as a start and costs more than the
 * rest of the line's parse.
 */
function tokensPerSecond(text: string, start: number): number | null {
  for (let p = text.indexOf(TPS_TEXT, start); p >= 0; p = text.indexOf(TPS_TEXT, p + 1)) {
    // The earliest start of `\d+(\.\d+)?` ending at p: a run of digits, and before a dot the run before it.
    let s = p;
    while (s > start && isDigit(text.charCodeAt(s - 1))) s--;
    if (s === p) continue;
    if (s - 2 >= start && text.charCodeAt(s - 1) === 0x2e && isDigit(text.charCodeAt(s - 2))) {
      s -= 2;
      while (s > start && isDigit(text.charCodeAt(s - 1))) s--;
    }
    return Number(text.slice(s, p));
  }
  return null;
}

export function parseTiming(text: string): TimingFigures | null {
  return parseTimingAt(text, 0);
}

/**
 * parseTiming(text.slice(start)) without the slice: the figures of llama-server's timing lines
 * follow a `slot print_timing: id 0 | task 5 | ` head that need not be cut off first.
 */
export function parseTimingAt(text: string, start: number): TimingFigures | null {
  TIMING.lastIndex = start;
  const m = TIMING.exec(text);
  if (!m) return null;
  const name = m[1];
  const phase =
    name === 'prompt eval' ? 'prompt' : name === 'eval' || name === 'generation eval' ? 'eval' : name === 'total' ? 'total' : null;
  const tokens = m[3] === undefined ? null : Number(m[3]);
  // "0 tokens (inf ms per token, 0.00 tokens per second)" is not a rate.
  const tps = tokens !== 0 ? tokensPerSecond(text, start) : null;
  return { phase, ms: Number(m[2]), tokens, tps };
}

/**
 * A timing event when the phase and token count are known. A `total time` without a count (ext_server,
 * old llama_print_timings) still marks the end of a request, so it is activity, not noise.
 */
export function timingEvent(f: TimingFigures): LineEvent {
  if (f.phase === null) return NOISE;
  if (f.tokens === null) return SLOT_ACTIVITY;
  return { type: 'timing', phase: f.phase, ms: f.ms, tokens: f.tokens, tps: f.tps };
}
