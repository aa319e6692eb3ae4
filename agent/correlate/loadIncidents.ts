// The incidents a load raises by itself: a GPU it did not use, layers left on the CPU, a runner that
// died (and ran out of memory doing so).
import { familyLabel } from './families.js';
import { describeModel, raise, subject } from './incidents.js';
import { gpuAvailable, loadBackend } from './loads.js';
import type { CorrelatedRecord } from './records.js';
import type { CorrelatorState, LoadState } from './state.js';

// A load the client gave up on, or the scheduler refused for want of memory: no runner died.
const NOT_A_CRASH = /context canceled|requires more (?:system )?memory\b|^unable to load model/i;
const OOM = /out of memory|out-of-memory|outofmemory|insufficient memory|failed to allocate|cudaMalloc failed/i;

/** GPU and offload incidents, once the load's placement is known (it came up, or the input ended). */
export function checkLoad(st: CorrelatorState, load: LoadState, at: string | null, out: CorrelatedRecord[]): void {
  if (load.checked || load.engine === 'mlx') return;
  load.checked = true;
  const backend = loadBackend(load, st.server);
  const gpu = gpuAvailable(load, st.server);
  const name = describeModel(load);
  const layers = load.totalLayers !== null ? `${load.gpuLayers}/${load.totalLayers} layers on the GPU` : null;
  if (backend === 'cpu' && gpu) {
    const why = load.gpuUnsupported
      ? 'the runner was not compiled with GPU offload support'
      : (layers ??
        (load.requestedGpuLayers === 0 ? 'the runner was started with 0 GPU layers' : 'the KV cache was allocated in CPU memory'));
    raise(st, out, {
      kind: 'gpu_fallback',
      at,
      model: load.model,
      load,
      once: `gpu_fallback:${subject(load, null)}`,
      detail: `${name} ran on the CPU although a ${familyLabel(gpu)} GPU is available: ${why}`,
    });
  } else if (load.gpuLayers !== null && load.totalLayers !== null && load.gpuLayers > 0 && load.gpuLayers < load.totalLayers) {
    raise(st, out, {
      kind: 'partial_offload',
      at,
      model: load.model,
      load,
      once: `partial_offload:${subject(load, null)}`,
      detail: `${name}: only ${layers}; the rest run on the CPU`,
    });
  }
}

/** A load that failed, or a runner that ended, with `error`: an MLX or runner crash (and an oom when the error says so), unless no runner died. */
export function failureIncidents(
  st: CorrelatorState,
  load: LoadState | null,
  at: string | null,
  error: string,
  out: CorrelatedRecord[],
): void {
  if (NOT_A_CRASH.test(error)) return;
  const name = describeModel(load);
  if (load?.engine === 'mlx' || /mlx runner/i.test(error)) {
    raise(st, out, {
      kind: 'mlx_failed',
      at,
      model: load?.model ?? null,
      load,
      once: `mlx_failed:${subject(load, null)}`,
      detail: `MLX runner for ${name} failed: ${error}`,
    });
  } else {
    raise(st, out, {
      kind: 'runner_crash',
      at,
      model: load?.model ?? null,
      load,
      once: `runner_crash:${subject(load, null)}`,
      detail: `runner for ${name} ended: ${error}`,
    });
  }
  if (OOM.test(error)) oom(st, load, at, error, out);
}

export function oom(st: CorrelatorState, load: LoadState | null, at: string | null, text: string, out: CorrelatedRecord[]): void {
  raise(st, out, {
    kind: 'oom',
    at,
    model: load?.model ?? null,
    load,
    once: `oom:${subject(load, null)}`,
    detail: `out of memory in ${describeModel(load)}: ${text}`,
  });
}
