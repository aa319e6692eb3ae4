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

const TIMING = /^\s*(prompt eval|generation eval|eval|total|sample|sampling|load) time\s*=\s*(\d+(?:\.\d+)?) ms(?:\s*\/\s*(\d+) (?:tokens|runs))?/;
const TPS = /(\d+(?:\.\d+)?) tokens per second/;

export function parseTiming(text: string): TimingFigures | null {
  const m = TIMING.exec(text);
  if (!m) return null;
  const name = m[1];
  const phase = name === 'prompt eval' ? 'prompt' : name === 'eval' || name === 'generation eval' ? 'eval' : name === 'total' ? 'total' : null;
  const tokens = m[3] === undefined ? null : Number(m[3]);
  const t = TPS.exec(text);
  // "0 tokens (inf ms per token, 0.00 tokens per second)" is not a rate.
  const tps = t && tokens !== 0 ? Number(t[1]) : null;
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
