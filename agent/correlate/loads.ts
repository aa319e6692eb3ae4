// One model load's facts, gathered from whichever era's lines the log has, and what they add up to:
// context per sequence, KV bytes across devices, and the backend it really ran on.
import type { Backend } from '../../shared/types.js';
import type { LoadEvent } from '../parse/events.js';
import { backendFamily, isGpuFamily } from './families.js';
import type { NewLoad } from './records.js';
import type { CorrelatorState, LoadState, ServerState } from './state.js';

export function newLoad(st: CorrelatorState, at: string | null, ts: number | null): LoadState {
  const load: LoadState = {
    key: st.nextKey++,
    serverKey: st.server?.run.key ?? null,
    at,
    ts,
    model: null,
    blob: null,
    displayName: null,
    engine: null,
    ctx: null,
    ctxTotal: null,
    parallel: null,
    kvBuffers: null,
    kvDevices: null,
    kvFamilies: [],
    gpuLayers: null,
    totalLayers: null,
    requestedGpuLayers: null,
    library: null,
    hint: null,
    gpuUnsupported: false,
    mlxDevice: null,
    loadSeconds: null,
    status: 'loading',
    endedTs: null,
    error: null,
    checked: false,
    hasCmd: false,
  };
  if (st.pendingLibrary) {
    load.library = st.pendingLibrary;
    st.pendingLibrary = null;
  }
  st.loads.push(load);
  // A server that runs for months without `loaded runners` lines (older eras) would keep every load
  // it ever started; far more than Ollama keeps loaded, and all of it in every checkpoint.
  if (st.loads.length > MAX_TRACKED_LOADS) st.loads.splice(0, st.loads.length - MAX_TRACKED_LOADS);
  return load;
}

const MAX_TRACKED_LOADS = 32;

/** The load that raw runner output belongs to: the latest one still coming up. */
export function loadingLoad(st: CorrelatorState): LoadState | null {
  for (let i = st.loads.length - 1; i >= 0; i--) if (st.loads[i]!.status === 'loading') return st.loads[i]!;
  return null;
}

const add = (a: number | null, b: number): number => (a ?? 0) + b;

/** Applies a fact that belongs to a load being set up. */
export function applyLoadFact(load: LoadState, e: LoadEvent): void {
  switch (e.type) {
    case 'runner_cmd':
      load.hasCmd = true;
      load.engine = load.engine === 'mlx' ? 'mlx' : e.engine;
      load.blob ??= e.blob;
      if (e.ctxSize !== null) load.ctxTotal = e.ctxSize;
      // Runners before llama-server defaulted to one slot when `--parallel` was not passed.
      load.parallel = e.parallel ?? (e.ctxSize !== null ? (load.parallel ?? 1) : load.parallel);
      if (e.gpuLayers !== null) load.requestedGpuLayers = e.gpuLayers;
      if (e.library) load.library = e.library;
      return;
    case 'runner_flavor':
      if (load.engine !== 'mlx') load.engine = e.engine;
      return;
    case 'load_request':
      // fit/alloc/commit repeat the request while memory is negotiated; the last one wins.
      if (e.kvSize !== null) load.ctxTotal = e.kvSize;
      if (e.parallel !== null) load.parallel = e.parallel;
      if (e.gpuLayers !== null) load.requestedGpuLayers = e.gpuLayers;
      return;
    case 'kv_device': {
      load.kvDevices = add(load.kvDevices, e.bytes);
      noteFamily(load, e.device);
      return;
    }
    case 'kv_buffer':
      // Only llama.cpp prints these; the Ollama engine logs `kv cache device=` instead.
      load.engine ??= 'llama.cpp';
      load.kvBuffers = add(load.kvBuffers, e.bytes);
      noteFamily(load, e.device);
      return;
    case 'kv_summary':
      load.kvSummaries = (load.kvSummaries ?? 0) + 1;
      if (e.bytes !== null) load.kvSummaryBytes = e.bytes;
      if (e.cells !== null) load.kvCells = e.cells;
      return;
    case 'kv_layout':
      load.kvLayered = true;
      return;
    case 'buffer':
      if (e.kind === 'model') load.modelBuffers = add(load.modelBuffers ?? null, e.bytes);
      else load.computeBuffers = add(load.computeBuffers ?? null, e.bytes);
      return;
    case 'memory_total':
      load.totalMemory = e.bytes;
      return;
    case 'offloaded':
      load.gpuLayers = e.gpuLayers;
      load.totalLayers = e.totalLayers;
      return;
    case 'ctx_info':
      if (e.nCtxPerSeq !== undefined) load.ctx = e.nCtxPerSeq;
      if (e.nCtxSlot !== undefined) load.ctx = e.nCtxSlot;
      if (e.nSeqMax !== undefined) load.parallel = e.nSeqMax;
      if (e.nCtx !== undefined) load.ctxTotal = e.nCtx;
      return;
    case 'backend_hint':
      // `loaded CPU backend` is printed on GPU machines too; a GPU library outranks it.
      if (load.hint === null || !isGpuFamily(backendFamily(load.hint))) load.hint = e.library;
      return;
    case 'gpu_unsupported':
      load.gpuUnsupported = true;
      return;
    case 'mlx_device':
      load.mlxDevice = e.device;
      return;
    case 'model_hint':
      load.displayName ??= e.name;
      return;
    default:
      return;
  }
}

function noteFamily(load: LoadState, device: string): void {
  const f = backendFamily(device);
  if (f && !load.kvFamilies.includes(f)) load.kvFamilies.push(f);
}

export function loadCtx(load: LoadState): number | null {
  if (load.ctx !== null) return load.ctx;
  if (load.ctxTotal === null) return null;
  return load.parallel ? Math.floor(load.ctxTotal / load.parallel) : null;
}

/** The backend the load really ran on, from the strongest evidence present; null when unknown. */
export function loadBackend(load: LoadState, server: ServerState | null): Backend | null {
  if (load.engine === 'mlx') return load.mlxDevice === 'cpu' ? 'cpu' : 'mlx';
  if (load.gpuUnsupported || load.gpuLayers === 0 || load.requestedGpuLayers === 0) return 'cpu';
  const gpuKv = load.kvFamilies.find((f) => f !== 'cpu');
  if (gpuKv) return gpuKv;
  // KV only on the CPU and no layer count: the runner placed everything in host memory.
  if (load.kvFamilies.length > 0 && load.gpuLayers === null) return 'cpu';
  const named = [backendFamily(load.hint), backendFamily(load.library)];
  const gpu = named.find(isGpuFamily);
  if (gpu) return gpu;
  if (load.gpuLayers !== null && load.gpuLayers > 0) return isGpuFamily(server?.gpu ?? null) ? server!.gpu : null;
  if (named.includes('cpu') || server?.gpu === 'cpu') return 'cpu';
  return null;
}

/** Whether the machine has a GPU this load could have used. */
export function gpuAvailable(load: LoadState, server: ServerState | null): Backend | null {
  for (const b of [server?.gpu ?? null, backendFamily(load.library), backendFamily(load.hint)]) if (isGpuFamily(b)) return b;
  return null;
}

export function loadRecord(load: LoadState, server: ServerState | null): NewLoad {
  return {
    key: load.key,
    serverKey: load.serverKey,
    at: load.at,
    ts: load.ts,
    model: load.model,
    blob: load.blob,
    displayName: load.displayName,
    engine: load.engine,
    backend: loadBackend(load, server),
    device: load.mlxDevice,
    ctx: loadCtx(load),
    parallel: load.parallel,
    kvBytes: load.kvBuffers ?? load.kvDevices,
    gpuLayers: load.gpuLayers,
    totalLayers: load.totalLayers,
    loadSeconds: load.loadSeconds,
    outcome: load.status === 'loading' ? null : load.status,
    error: load.error,
  };
}

/**
 * KV bytes per token the log states for a plain cache: one summary line (size and cells) and no
 * sliding-window or recurrent cache. Null otherwise (SPEC §6.1: only then does `analyze` give kvUsedBytes).
 */
export function loggedKvPerCell(load: LoadState): { bytes: number; cells: number } | null {
  const bytes = load.kvSummaryBytes ?? load.kvBuffers;
  const cells = load.kvCells ?? null;
  if (load.kvLayered === true || (load.kvSummaries ?? 0) !== 1 || bytes === null || bytes === undefined || cells === null || cells <= 0) return null;
  return { bytes, cells };
}

/**
 * Memory the log says a load holds: the Ollama engine's `total memory`, else llama.cpp's weights + KV +
 * compute buffers as printed (all three needed). Null otherwise.
 */
export function loggedLoadMemory(load: LoadState): number | null {
  if (load.totalMemory != null) return Math.round(load.totalMemory);
  const kv = load.kvBuffers;
  if (load.modelBuffers == null || load.computeBuffers == null || kv === null) return null;
  return Math.round(load.modelBuffers + kv + load.computeBuffers);
}
