// llama-server's per-request lines (`slot <func>: id  0 | task N | …`) in its printf layouts, and
// the context-shift arithmetic of upstream `update_slots`, which decides what those lines say.
import { fmtD, fmtF } from '../logLines.js';

/** `--keep 4` on the llama-server command line. */
export const KEEP = 4;

/** `SLT_*` prefix: the function name is printed in a 12-character field. */
export const slot = (task: number, text: string, fn: string): string => `slot ${fn.padStart(12)}: id  0 | task ${task} | ${text}`;

export interface Shift {
  /** Tokens generated when the slot ran out of room. */
  atToken: number;
  nKeep: number;
  nLeft: number;
  nDiscard: number;
}

/**
 * Context shifts during a generation of `gen` tokens after a `prompt`-token prefill. Upstream
 * shifts when the cache reaches `n_ctx - 1` tokens: it keeps `n_keep` (+1 for a BOS token) and
 * drops half of the rest. The cache holds prompt + generated - 1 (the newest token is not yet in).
 */
export function contextShifts(prompt: number, gen: number, nCtx: number, addBos: boolean): Shift[] {
  const nKeep = Math.min(nCtx - 4, KEEP + (addBos ? 1 : 0));
  const shifts: Shift[] = [];
  let dropped = 0;
  for (let k = 1; k <= gen; k++) {
    const cache = prompt + k - 1 - dropped;
    if (cache + 1 < nCtx) continue;
    const nLeft = cache - nKeep;
    const nDiscard = Math.floor(nLeft / 2);
    shifts.push({ atToken: k, nKeep, nLeft, nDiscard });
    dropped += nDiscard;
  }
  return shifts;
}

export const shiftLine = (task: number, s: Shift): string =>
  slot(task, `slot context shift, n_keep = ${s.nKeep}, n_left = ${s.nLeft}, n_discard = ${s.nDiscard}`, 'update_slots');

/** Upstream `print_timings()`, newer layout: every line carries the slot prefix. */
export function timingLines(task: number, processed: number, prefillMs: number, gen: number, decodeMs: number): string[] {
  const t = (text: string): string => slot(task, text, 'print_timing');
  return [
    t(
      `prompt eval time = ${fmtF(prefillMs, 10)} ms / ${fmtD(processed, 5)} tokens (${fmtF(prefillMs / processed, 8)} ms per token, ${fmtF((processed / prefillMs) * 1000, 8)} tokens per second)`,
    ),
    t(
      `       eval time = ${fmtF(decodeMs, 10)} ms / ${fmtD(gen, 5)} tokens (${fmtF(decodeMs / gen, 8)} ms per token, ${fmtF((gen / decodeMs) * 1000, 8)} tokens per second)`,
    ),
    t(`      total time = ${fmtF(prefillMs + decodeMs, 10)} ms / ${fmtD(processed + gen, 5)} tokens`),
    t(`   graphs reused = ${fmtD(gen - 1, 10)}`),
  ];
}
