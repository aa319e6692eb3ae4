// One model load's facts, gathered from whichever era's lines the log has, and what they add up to:
// context per sequence, KV bytes across devices, and the backend it really ran on.
import type { LoadEvent } from '../parse/events.js';
import { loadBackend } from './loadBackend.js';
import { loadKvBytes } from './kvSize.js';
import { backendFamily, isGpuFamily } from './families.js';
import type { NewLoad } from './records.js';
import type { CorrelatorState, LoadState, ServerState } from './state.js';

export { loadBackend, gpuAvailable } from './loadBackend.js';

/** A load with nothing known yet; also fills in fields a resume point from an older build lacks. */
export function blankLoad(key: number): LoadState {
  return {
    key,
    serverKey: null,
    at: null,
    ts: null,
    model: null,
    blob: null,
    displayName: null,
    engine: null,
    ctx: null,
    ctxTotal: null,
    parallel: null,
    kvBuffers: null,
    kvDevices: null,
    kvTotal: null,
    kvSelf: null,
    vramKv: null,
    kvClosed: false,
    kvCachesLeft: 0,
    kvDeviceNames: [],
    weightDeviceNames: [],
    weightsFromStart: true,
    kvFromStart: true,
    kvFamilies: [],
    weightFamilies: [],
    gpuPlaced: false,
    gpuLayers: null,
    totalLayers: null,
    requestedGpuLayers: null,
    assignedGpuLayers: null,
    library: null,
    runnerLibrary: null,
    hints: [],
    gpuUnsupported: false,
    mlxDevice: null,
    loadSeconds: null,
    status: 'loading',
    endedTs: null,
    error: null,
    checked: false,
    implicit: false,
    hasCmd: false,
  };
}

export function newLoad(st: CorrelatorState, at: string | null, ts: number | null): LoadState {
  const load = blankLoad(st.nextKey++);
  load.serverKey = st.server?.run.key ?? null;
  load.at = at;
  load.ts = ts;
  if (st.pendingLibrary) {
    load.library = st.pendingLibrary;
    st.pendingLibrary = null;
  }
  // Hints from before a load's own start line belong to some other runner (GPU discovery).
  st.pendingHints = [];
  st.loads.push(load);
  // A server that runs for months without `loaded runners` lines (older eras) would keep every load
  // it ever started; far more than Ollama keeps loaded, and all of it in every resume point.
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

const KV_LIST = new Set<LoadEvent['type']>(['kv_buffer', 'kv_device', 'kv_part']);
const CONTEXT_SETUP = new Set<LoadEvent['type']>([
  'ctx_info',
  'kv_buffer',
  'kv_total',
  'kv_part',
  'kv_summary',
  'kv_layout',
  'compute_buffer',
]);

/** `CPU_Mapped` → `CPU`, `MTL0_Mapped` → `MTL0`: the device a buffer is on. */
const deviceName = (printed: string): string => printed.replace(/_(?:Mapped|Split)$/, '');

/** Applies a fact that belongs to a load being set up. */
export function applyLoadFact(load: LoadState, e: LoadEvent): void {
  // Any other set-up line after the KV lines ends their per-device list.
  if (KV_LIST.has(e.type)) load.kvClosed = false;
  else if (load.kvBuffers !== null || load.kvDevices !== null || load.vramKv !== null) load.kvClosed = true;
  // llama.cpp prints the weights list in one piece, before the context set-up: a line of the latter ends it.
  if (CONTEXT_SETUP.has(e.type) && load.weightDeviceNames.length > 0) load.weightsClosed = true;
  switch (e.type) {
    case 'runner_cmd':
      load.hasCmd = true;
      load.engine = load.engine === 'mlx' ? 'mlx' : e.engine;
      load.blob ??= e.blob;
      if (e.ctxSize !== null) load.ctxTotal = e.ctxSize;
      // Runners before llama-server defaulted to one slot when `--parallel` was not passed.
      load.parallel = e.parallel ?? (e.ctxSize !== null ? (load.parallel ?? 1) : load.parallel);
      if (e.gpuLayers !== null) load.requestedGpuLayers = e.gpuLayers;
      if (e.library) load.runnerLibrary = e.library;
      return;
    case 'runner_flavor':
      if (load.engine !== 'mlx') load.engine = e.engine;
      return;
    case 'load_request':
      // fit/alloc/commit repeat the request while memory is negotiated; the last one wins.
      if (e.kvSize !== null) load.ctxTotal = e.kvSize;
      if (e.parallel !== null) load.parallel = e.parallel;
      if (e.gpuLayers !== null) {
        load.requestedGpuLayers = e.gpuLayers;
        load.assignedGpuLayers = e.gpuLayers;
      }
      return;
    case 'kv_device': {
      load.kvDevices = add(load.kvDevices, e.bytes);
      noteFamily(load.kvFamilies, e.device);
      return;
    }
    case 'kv_buffer':
      // Only llama.cpp prints these; the Ollama engine logs `kv cache device=` instead.
      load.engine ??= 'llama.cpp';
      if (e.device === 'VRAM') {
        load.gpuPlaced = true;
        load.vramKv = add(load.vramKv, e.bytes);
        return;
      }
      load.kvBuffers = add(load.kvBuffers, e.bytes);
      // A pinned host buffer (`CUDA_Host`) holds the KV of the layers left on the CPU.
      noteFamily(load.kvFamilies, e.device.endsWith('_Host') ? 'CPU' : e.device);
      noteName(load.kvDeviceNames, e.device.endsWith('_Host') ? 'CPU' : e.device);
      return;
    case 'kv_part':
      load.engine ??= 'llama.cpp';
      load.kvLayered = true;
      if (!e.swa) load.kvCachesLeft = 2;
      load.kvClosed = false;
      return;
    case 'kv_total':
      load.engine ??= 'llama.cpp';
      if (e.whole) load.kvSelf = e.bytes;
      else {
        load.kvTotal = add(load.kvTotal, e.bytes);
        load.kvCachesLeft = Math.max(0, load.kvCachesLeft - 1);
        // One summary with its cells is a plain cache's per-token figure (two: a sliding-window model).
        load.kvSummaries = (load.kvSummaries ?? 0) + 1;
        load.kvSummaryBytes = e.bytes;
        if (e.cells !== null) load.kvCells = e.cells;
      }
      return;
    case 'weights_buffer':
      load.engine ??= 'llama.cpp';
      if (e.bytes !== null) load.modelBuffers = add(load.modelBuffers ?? null, e.bytes);
      if (e.device === 'VRAM') load.gpuPlaced = true;
      else {
        noteFamily(load.weightFamilies, e.device);
        noteName(load.weightDeviceNames, e.device);
      }
      return;
    case 'kv_summary':
      load.kvSummaries = (load.kvSummaries ?? 0) + 1;
      load.kvCells = e.cells;
      return;
    case 'kv_layout':
      load.kvLayered = true;
      return;
    case 'compute_buffer': {
      if (e.bytes !== null) load.computeBuffers = add(load.computeBuffers ?? null, e.bytes);
      // Like any backend line, the device says only that a GPU backend was loaded, never where the model ran.
      const f = backendFamily(e.device);
      if (isGpuFamily(f) && !load.hints.includes(f!)) load.hints.push(f!);
      return;
    }
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
    case 'backend_hint': {
      // `loaded CPU backend` is printed on GPU machines too: only GPU backends are worth noting.
      const f = backendFamily(e.library);
      if (isGpuFamily(f) && !load.hints.includes(f!)) load.hints.push(f!);
      return;
    }
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

function noteName(names: string[], device: string): void {
  const n = deviceName(device);
  if (!names.includes(n)) names.push(n);
}

function noteFamily(families: LoadState['kvFamilies'], device: string): void {
  const f = backendFamily(device);
  if (f && !families.includes(f)) families.push(f);
}

/**
 * Context per sequence. Runners before v0.1.33 had one sequence: the server's version says so, and so
 * do the runner's own 2023 lines (`VRAM used:`, `VRAM kv self =`, the `gpuPlaced` evidence), which
 * llama.cpp replaced by per-device buffer lines in January 2024, months before Ollama ran sequences
 * in parallel (v0.1.33, April 2024).
 */
export function loadCtx(load: LoadState, server: ServerState | null = null): number | null {
  if (load.ctx !== null) return load.ctx;
  if (load.ctxTotal === null) return null;
  const parallel = load.parallel ?? (oneSequence(server) || load.gpuPlaced ? 1 : null);
  return parallel ? Math.floor(load.ctxTotal / parallel) : null;
}

/** Ollama before v0.1.33 (no OLLAMA_NUM_PARALLEL) ran one sequence per runner. */
function oneSequence(server: ServerState | null): boolean {
  const m = /^0\.1\.(\d+)(?:$|[^\d])/.exec(server?.run.version ?? '');
  return m !== null && Number(m[1]) < 33;
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
    ctx: loadCtx(load, server),
    parallel: load.parallel,
    kvBytes: loadKvBytes(load),
    gpuLayers: load.gpuLayers,
    totalLayers: load.totalLayers,
    loadSeconds: load.loadSeconds,
    outcome: load.status === 'loading' ? null : load.status,
    error: load.error,
  };
}

/**
 * KV bytes per token the log states for a plain cache: one summary line (size and cells) and no
 * sliding-window or recurrent cache. Null otherwise (docs/analyze-json.md: only then does `analyze` give kvUsedBytes).
 */
export function loggedKvPerCell(load: LoadState): { bytes: number; cells: number } | null {
  const bytes = load.kvSummaryBytes ?? load.kvBuffers;
  const cells = load.kvCells ?? null;
  if (load.kvLayered === true || (load.kvSummaries ?? 0) !== 1 || bytes === null || bytes === undefined || cells === null || cells <= 0)
    return null;
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
