// Loads begin, gather facts, come up or fail, and stop; the incidents they raise are in loadIncidents.ts.
import type { LoadEvent } from '../parse/events.js';
import { epochMs } from '../parse/timestamps.js';
import { backendFamily, isGpuFamily } from './families.js';
import { describeModel, raise, subject } from './incidents.js';
import { checkLoad, failureIncidents } from './loadIncidents.js';
import { applyLoadFact, loadingLoad, loadRecord, newLoad } from './loads.js';
import type { CorrelatedRecord } from './records.js';
import type { CorrelatorState, LoadState } from './state.js';

/** Lines reporting one failure (`error loading llama server`, `Load failed`, `triggering expiration…`) come this close together. */
const SAME_FAILURE_MS = 2000;

export function emitLoad(st: CorrelatorState, load: LoadState, out: CorrelatedRecord[]): void {
  out.push({ kind: 'load', record: loadRecord(load, st.server) });
}

const tsOf = (at: string | null): number | null => {
  const ts = at ? epochMs(at) : NaN;
  return Number.isFinite(ts) ? ts : null;
};

/** The load a runner-level failure concerns: the one coming up, else the only one running. */
export function failingLoad(st: CorrelatorState): LoadState | null {
  const loading = loadingLoad(st);
  if (loading) return loading;
  const running = st.loads.filter((l) => l.status === 'ready');
  return running.length === 1 ? running[0]! : null;
}

/**
 * Load-phase facts that open a load when none is coming up: a log slice (a paste, a backfill, a
 * rotated file) may start after the load's first line. Each gives the load what it states.
 */
const IMPLICIT = new Set<LoadEvent['type']>([
  'kv_buffer',
  'kv_total',
  'kv_part',
  'kv_device',
  'weights_buffer',
  'offloaded',
  'ctx_info',
  'load_request',
  'runner_flavor',
  'model_layers',
]);
/** Facts that change a load's record (the others only feed incidents or display names). */
const STATED = new Set<LoadEvent['type']>([...IMPLICIT, 'backend_hint', 'gpu_unsupported', 'load_library']);
/** Lines printed while the KV cache is being listed: a load they open saw only part of that list. */
const KV_LINES = new Set<LoadEvent['type']>(['kv_buffer', 'kv_total', 'kv_part', 'kv_device']);
/** Only llama.cpp prints these. */
const LLAMA_CPP_LINES = new Set<LoadEvent['type']>(['kv_buffer', 'kv_total', 'kv_part', 'weights_buffer', 'ctx_info']);

/** A load known only from a line after its start (the slice began later); `at` is the line's time. */
function implicitLoad(st: CorrelatorState, e: LoadEvent, at: string | null, begun = false): LoadState {
  const hints = st.pendingHints ?? [];
  const load = newLoad(st, at, tsOf(at));
  load.hints.push(...hints);
  load.implicit = true;
  if (KV_LINES.has(e.type)) load.kvFromStart = false;
  // A weights or KV line opens it in the middle of the weights list (or after it), unless the line
  // llama.cpp prints just before that list came last (the slice began in the model dump).
  if (KV_LINES.has(e.type) || (e.type === 'weights_buffer' && !begun)) load.weightsFromStart = false;
  if (LLAMA_CPP_LINES.has(e.type)) load.engine = 'llama.cpp';
  return load;
}

export function applyLoadEvent(st: CorrelatorState, e: LoadEvent, at: string | null, out: CorrelatedRecord[]): void {
  if (e.type === 'tensors_begin') {
    st.tensorsBegun = true;
    return;
  }
  // Only the load-phase line right after it may take it: that line is then the list's first.
  const begun = st.tensorsBegun === true;
  st.tensorsBegun = false;
  switch (e.type) {
    case 'load_intent': {
      const load = newLoad(st, at, tsOf(at));
      load.engine = e.engine;
      load.model = e.model;
      load.blob = e.blob;
      emitLoad(st, load, out);
      return;
    }
    case 'runner_cmd': {
      const current = loadingLoad(st);
      const same =
        current && !current.hasCmd && current.engine !== 'mlx' && (current.blob === null || e.blob === null || current.blob === e.blob);
      const load = same ? current : newLoad(st, at, tsOf(at));
      applyLoadFact(load, e);
      if (!same) emitLoad(st, load, out);
      return;
    }
    case 'load_library': {
      const load = loadingLoad(st);
      if (load) load.library = e.library;
      else st.pendingLibrary = e.library;
      return;
    }
    case 'runner_ready': {
      let load = loadingLoad(st);
      if (!load) {
        // Ollama logs `started in` twice; the second finds the load already up. With no load known at
        // all, the slice began after the load's start: it came up, and took this long.
        if (st.loads.length > 0) return;
        load = implicitLoad(st, e, at);
        load.engine = e.engine;
      }
      load.status = 'ready';
      const ts = tsOf(at);
      load.loadSeconds =
        e.seconds ?? (ts !== null && load.ts !== null && !load.implicit && !e.untimed ? Math.round((ts - load.ts) / 10) / 100 : null);
      emitLoad(st, load, out);
      checkLoad(st, load, at, out);
      return;
    }
    case 'load_failed':
    case 'runner_exit': {
      const load = e.type === 'load_failed' ? failedLoad(st, e, at) : (failingLoad(st) ?? lastFailed(st));
      const error = e.error;
      if (load) {
        const wasLoading = load.status === 'loading';
        // A runner that dies with an error failed, whether it was still coming up or already serving.
        if (wasLoading || load.status === 'failed' || error) {
          if (load.status !== 'failed') load.endedTs = tsOf(at);
          load.status = 'failed';
          if (error && (load.error === null || error.length > load.error.length)) load.error = error;
        } else {
          load.status = 'stopped';
        }
        emitLoad(st, load, out);
        // Placement facts of a load that never came up are still worth their incidents, at this time.
        if (load.kvFamilies.length > 0 || load.gpuLayers !== null) checkLoad(st, load, at, out);
      }
      if (error) failureIncidents(st, load, at, error, out);
      // A failed load stays listed (never attributed) so the scheduler's `Load failed` that follows finds it.
      if (load?.status === 'stopped') st.loads = st.loads.filter((l) => l !== load);
      return;
    }
    case 'runner_stop': {
      const mlx = st.loads.filter((l) => l.engine === 'mlx' && l.status !== 'failed');
      // Without a pid we cannot tell which of several MLX runners stopped: record none, forget all.
      if (mlx.length === 1) {
        mlx[0]!.status = 'stopped';
        emitLoad(st, mlx[0]!, out);
      }
      st.loads = st.loads.filter((l) => l.engine !== 'mlx');
      return;
    }
    case 'mlx_device': {
      const load = [...st.loads].reverse().find((l) => l.engine === 'mlx') ?? null;
      if (load) applyLoadFact(load, e);
      if (e.device === 'cpu') {
        raise(st, out, {
          kind: 'mlx_on_cpu',
          at,
          model: load?.model ?? null,
          load,
          once: `mlx_on_cpu:${subject(load, null)}`,
          detail: `MLX engine for ${describeModel(load)} initialised on the CPU (device=cpu)`,
        });
      }
      if (load) emitLoad(st, load, out);
      return;
    }
    case 'mlx_unavailable':
      if (st.server) st.server.mlxUnavailable = true;
      st.mlxUnavailableBeforeStart = true;
      raise(st, out, {
        kind: 'mlx_unavailable',
        at,
        model: null,
        load: null,
        once: 'mlx_unavailable',
        detail: `MLX dynamic library not available${e.error ? `: ${e.error}` : ''}`,
      });
      return;
    case 'working_set':
      st.workingSetBytes = e.bytes;
      return;
    case 'mlx_working_set': {
      if (e.recommendedBytes !== null) st.workingSetBytes = e.recommendedBytes;
      const load = [...st.loads].reverse().find((l) => l.engine === 'mlx') ?? null;
      const gib = (b: number | null): string => (b === null ? '?' : `${(b / 2 ** 30).toFixed(1)} GiB`);
      raise(st, out, {
        kind: 'mlx_working_set',
        at,
        model: load?.model ?? null,
        load,
        once: `mlx_working_set:${subject(load, null)}`,
        detail: `${describeModel(load)} needs ${gib(e.activeBytes)}, over Metal's recommended working set of ${gib(e.recommendedBytes)}`,
      });
      return;
    }
    case 'model_name': {
      const load = st.loads[st.loads.length - 1];
      if (load && load.model === null) {
        load.model = e.model;
        emitLoad(st, load, out);
      }
      return;
    }
    case 'runner_info': {
      // Matched by blob when the line names one; the summary fills only what the load lacks. With no
      // load it can be, the slice began after the load started: it is up (the line comes after).
      let load = [...st.loads].reverse().find((l) => e.blob !== null && l.blob === e.blob) ?? st.loads[st.loads.length - 1];
      if (
        load &&
        ((e.blob !== null && load.blob !== null && load.blob !== e.blob) ||
          (e.model !== null && load.model !== null && load.model !== e.model))
      )
        load = undefined;
      if (!load) {
        load = implicitLoad(st, e, at);
        load.status = 'ready';
      }
      load.model ??= e.model;
      load.blob ??= e.blob;
      if (load.ctx === null && load.ctxTotal === null) load.ctx = e.numCtx;
      load.parallel ??= e.parallel;
      load.library ??= e.library;
      emitLoad(st, load, out);
      return;
    }
    case 'loaded_runners': {
      // The scheduler counts the runners it keeps; older ones were unloaded without an INFO line.
      const active = st.loads.filter((l) => l.status === 'loading' || l.status === 'ready');
      st.hiddenRunners = Math.max(0, e.count - active.length);
      const keep = new Set(active.slice(Math.max(0, active.length - e.count)));
      const last = st.loads[st.loads.length - 1];
      st.loads = st.loads.filter((l) => keep.has(l) || (l === last && l.status === 'failed'));
      return;
    }
    default: {
      let load = loadingLoad(st);
      // Load-phase lines with no load coming up: a slice that began mid-load, unless they are the late
      // lines of a load that just failed (`starting go runner` after its `Load failed`).
      if (!load && IMPLICIT.has(e.type) && st.loads[st.loads.length - 1]?.status !== 'failed') load = implicitLoad(st, e, at, begun);
      if (load) {
        applyLoadFact(load, e);
        // Every fact is in the load's record at once: a slice may end at any line.
        if (STATED.has(e.type)) emitLoad(st, load, out);
      } else if (e.type === 'backend_hint' && st.loads.length === 0) {
        const f = backendFamily(e.library);
        if (isGpuFamily(f) && !(st.pendingHints ??= []).includes(f!)) st.pendingHints.push(f!);
      }
      return;
    }
  }
}

/**
 * The load a load failure concerns: the one coming up, the one that just failed (Ollama reports a
 * failure on several lines), the one it names. A failure known only from the scheduler (the slice
 * began after the load started) is a failed load of its own, with the model the line names.
 */
function failedLoad(st: CorrelatorState, e: Extract<LoadEvent, { type: 'load_failed' }>, at: string | null): LoadState | null {
  const named = (l: LoadState): boolean => (e.blob !== null && l.blob === e.blob) || (e.model !== null && l.model === e.model);
  const fits = (l: LoadState | null): l is LoadState =>
    l !== null && (named(l) || (e.blob === null && e.model === null) || (l.blob === null && l.model === null));
  // The same failure is reported on several lines; once a request has ended since, a failure is another attempt.
  const ts = tsOf(at);
  const last = lastFailed(st);
  const quiet =
    last !== null &&
    (last.endedTs === null || st.lastRequestTs === null || st.lastRequestTs === undefined || st.lastRequestTs < last.endedTs);
  const recent = last && (quiet || ts === null || last.endedTs === null || ts - last.endedTs <= SAME_FAILURE_MS) ? last : null;
  const load = [loadingLoad(st), recent, [...st.loads].reverse().find((l) => named(l) && l.status !== 'failed') ?? null].find(fits);
  if (load) {
    load.model ??= e.model;
    load.blob ??= e.blob;
    return load;
  }
  const failed = implicitLoad(st, e, at);
  failed.model = e.model;
  failed.blob = e.blob;
  return failed;
}

function lastFailed(st: CorrelatorState): LoadState | null {
  const last = st.loads[st.loads.length - 1];
  return last && last.status === 'failed' ? last : null;
}
