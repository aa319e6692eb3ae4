// Requests: runner lines describe a request while it runs; its access-log line comes when it ends.
// The facts in between are kept as evidence and given to the next inference request — only when
// they describe exactly one request and are not older than that request's start (end − latency).
import type { Backend } from '../../shared/records.js';
import type { GinEvent, RequestEvent } from '../parse/events.js';
import { loadBackend, loadCtx } from './loads.js';
import type { Evidence, CorrelatorState, LoadState } from './state.js';
import { emptyEvidence } from './state.js';

/** Folds one runner fact into the pending evidence. `ms` is set only for lines with their own time. */
export function noteEvidence(ev: Evidence, e: RequestEvent, ms: number | null): void {
  if (ms !== null && ev.firstMs === null) ev.firstMs = ms;
  switch (e.type) {
    case 'using_mlx':
      engineSeen(ev, 'mlx');
      ev.usingMlx = true;
      if (e.model) ev.model = e.model;
      return;
    case 'mlx_cache':
      engineSeen(ev, 'mlx');
      ev.starts++;
      ev.promptTokens = e.total;
      return;
    case 'mlx_progress':
      engineSeen(ev, 'mlx');
      return;
    case 'mlx_peak':
      engineSeen(ev, 'mlx');
      // Printed with two decimals of a GiB: a whole number of bytes, as stored.
      ev.peakBytes = Math.round(e.bytes);
      return;
    case 'slot_prompt':
      engineSeen(ev, 'llama.cpp');
      ev.starts++;
      ev.promptTokens = e.nTokens;
      if (e.nCtxSlot !== null) ev.ctxLimit = e.nCtxSlot;
      return;
    case 'timing':
      engineSeen(ev, 'llama.cpp');
      if (e.phase === 'prompt') {
        // Before llama-server (no `new prompt` line) the prompt timing is the one marker per request,
        // and the API then reported the processed tokens as prompt_eval_count.
        ev.promptTimings++;
        if (ev.starts === 0) ev.promptTokens = e.tokens;
        ev.prefillTps = e.tps;
      } else if (e.phase === 'eval') {
        ev.completionTokens = e.tokens;
        ev.decodeTps = e.tps;
      }
      return;
    case 'slot_release':
      engineSeen(ev, 'llama.cpp');
      if (e.nTokens !== null) ev.ctxUsed = e.nTokens;
      if (e.nCtx !== null) ev.ctxLimit = e.nCtx;
      if (e.truncated !== null) ev.truncated = ev.truncated === true || e.truncated;
      if (e.truncated) ev.truncationDetail ??= 'the runner truncated the prompt to fit the context';
      return;
    case 'slot_activity':
      engineSeen(ev, 'llama.cpp');
      return;
    case 'truncation':
      ev.truncations++;
      ev.truncated = true;
      ev.truncationDetail = e.detail;
      if (e.limit !== null) ev.truncLimit = e.limit;
      if (e.kept != null) ev.keptTokens = e.kept;
      return;
    case 'context_shift':
      engineSeen(ev, 'llama.cpp');
      ev.shift = e.detail;
      return;
    case 'oom':
      return;
  }
}

function engineSeen(ev: Evidence, engine: 'mlx' | 'llama.cpp'): void {
  if (ev.engine === null) ev.engine = engine;
  else if (ev.engine !== engine) ev.starts = Math.max(ev.starts, 2); // two runners at once
}

export interface Attribution {
  load: LoadState | null;
  model: string | null;
  backend: Backend | null;
}

/**
 * The one load the evidence points at, if there is exactly one. A request that ended in a server
 * error (`failedSinceMs`) may have been served by a runner that crashed while it ran.
 */
export function attribute(st: CorrelatorState, ev: Evidence, failedSinceMs: number | null = null): Attribution {
  // One pass for the loads alive then and on the engine the evidence names: this runs per request.
  const engine = ev.engine;
  let candidates: LoadState[] = [];
  for (const l of st.loads) {
    const alive =
      l.status === 'ready' ||
      l.status === 'loading' ||
      (failedSinceMs !== null && l.status === 'failed' && l.endedTs !== null && l.endedTs >= failedSinceMs);
    if (!alive) continue;
    if (engine === 'mlx' ? l.engine !== 'mlx' : engine !== null && l.engine === 'mlx') continue;
    candidates.push(l);
  }
  if (ev.model !== null && candidates.length > 1) {
    const named = candidates.filter((l) => l.model === ev.model);
    if (named.length > 0) candidates = named;
  }
  if (ev.ctxLimit !== null && candidates.length > 1)
    candidates = candidates.filter((l) => loadCtx(l) === null || loadCtx(l) === ev.ctxLimit);
  // Runners the scheduler counts but the log never showed could have served it as well.
  if (st.hiddenRunners > 0 && !ev.usingMlx) return { load: null, model: ev.model, backend: null };
  const load = candidates.length === 1 ? candidates[0]! : null;
  if (load) return { load, model: load.model ?? ev.model, backend: loadBackend(load, st.server) };
  // Several candidates on one backend: the backend is known even though the runner is not.
  if (candidates.length > 1) {
    const backends = new Set(candidates.map((l) => loadBackend(l, st.server)));
    if (backends.size === 1) return { load: null, model: ev.model, backend: [...backends][0]! };
  }
  // MLX's own per-request lines (or the brief's `using mlx backend`) name the engine even when no runner is known.
  return { load: null, model: ev.model, backend: ev.usingMlx || (candidates.length === 0 && ev.engine === 'mlx') ? 'mlx' : null };
}

/** Whether this access-log line ends a request the runner worked on (4xx never reached it). */
export const consumesEvidence = (gin: GinEvent): boolean => gin.status < 400 || gin.status >= 500;

/** Takes the pending evidence for a request that started at `startMs`; stale or mixed evidence is dropped. */
export function takeEvidence(st: CorrelatorState, startMs: number): { ev: Evidence; usable: boolean } {
  const ev = st.evidence;
  st.evidence = emptyEvidence();
  // GIN times have whole seconds; allow for that and for clock jitter between the two writers.
  const stale = ev.firstMs !== null && Number.isFinite(startMs) && ev.firstMs < startMs - 2000;
  return { ev, usable: !stale && Math.max(ev.starts, ev.promptTimings, ev.truncations) <= 1 };
}
