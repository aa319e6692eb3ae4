// A load's KV cache size, and whether the log listed all of it. llama.cpp lists KV buffers one line
// per device, in no fixed device order, and sliding-window models list two caches: a log cut in the
// middle of such a list shows part of a sum, which is not the size. Right or null.
import { backendFamily } from './families.js';
import type { LoadState } from './state.js';

/**
 * Whether the per-device KV list of a load still coming up is whole: each device holding weights
 * (the CPU too when some layers stayed there) has its KV line. Only when the load saw its weights
 * list from the first line: llama.cpp prints buffers in no fixed device order.
 */
function kvCoversWeights(load: LoadState): boolean {
  if (!load.weightsFromStart || load.weightDeviceNames.length === 0) return false;
  const partial = load.gpuLayers === null || load.totalLayers === null || load.gpuLayers < load.totalLayers;
  for (const d of load.weightDeviceNames) {
    const f = backendFamily(d);
    if (d.endsWith('_Host') || f === null) continue;
    if (f === 'cpu' ? partial && !load.kvDeviceNames.some((k) => backendFamily(k) === 'cpu') : !load.kvDeviceNames.includes(d))
      return false;
  }
  return true;
}

/** The KV list is over: something followed it, the load is past its set-up, or every device has its line. */
export function kvListed(load: LoadState): boolean {
  return load.kvFromStart && load.kvCachesLeft === 0 && (load.kvClosed || load.status !== 'loading' || kvCoversWeights(load));
}

/**
 * The KV cache's size when the log states it whole: the context's own total, else the sum of a
 * per-device list seen from its first line to its end (a second, sliding-window cache may follow
 * the first); 2023's GPU share when every layer was offloaded. Otherwise null: part of a sum is
 * not the size.
 */
export function loadKvBytes(load: LoadState): number | null {
  const bytes = kvBytesUnrounded(load);
  return bytes === null ? null : Math.round(bytes);
}

function kvBytesUnrounded(load: LoadState): number | null {
  if (load.kvSelf !== null) return load.kvSelf;
  // Ollama's own `kv cache device=` lines are its plan, to one decimal of a GiB; a llama.cpp runner
  // prints what it allocated after them. They are the size only for the Ollama engine, which prints nothing else.
  const listed = load.kvTotal ?? load.kvBuffers ?? (load.engine === 'ollama-engine' ? load.kvDevices : null);
  if (listed !== null && kvListed(load)) return listed;
  const full = load.gpuLayers !== null && load.gpuLayers > 0 && load.gpuLayers === load.totalLayers;
  return full && load.kvFromStart ? load.vramKv : null;
}
