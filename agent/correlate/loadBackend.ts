// The backend a load really ran on, decided by evidence with a precedence, never by the order lines
// came in. A wrong backend is the worst answer this product can give: every rule below either has
// the log's own statement behind it or answers null.
//
// Why these ranks:
// - The CPU backend library is loaded beside every GPU backend, so `loaded CPU backend` proves nothing.
// - What the scheduler planned (`offload library=cuda`, `--n-gpu-layers 27`, the runner's variant
//   directory) is an intent: a runner whose CUDA library failed to load still runs, on the CPU.
// - Placement is proof: weights or KV cache in a GPU's memory, `offloaded N/M` with N > 0, or the
//   runner's own `GPULayers:N[ID:…]`. So is a statement of none (`offloaded 0/M`, `-ngl 0`).
// - A GPU backend the runner loaded (`ggml_cuda_init: found 1 CUDA devices`, a `CUDA0 compute buffer`)
//   names the family of layers placed on a GPU, but is no placement itself: with 0 layers offloaded
//   the runner still loads it and gives it the compute buffers.
import type { Backend } from '../../shared/records.js';
import { backendFamily, isGpuFamily } from './families.js';
import { kvListed } from './kvSize.js';
import type { LoadState, ServerState } from './state.js';

/** The one GPU family in `list`, or null when there is none or more than one. */
function single(list: readonly (Backend | null)[]): Backend | null {
  let found: Backend | null = null;
  for (const b of list) {
    if (!isGpuFamily(b)) continue;
    if (found !== null && found !== b) return null;
    found = b;
  }
  return found;
}

const hasGpu = (list: readonly (Backend | null)[]): boolean => list.some(isGpuFamily);

/** GPU families the server listed as its devices (`inference compute library=`). */
function serverFamilies(server: ServerState | null): (Backend | null)[] {
  return server ? server.run.devices.map((d) => backendFamily(d.library)) : [];
}

/** The log states that no layer ran on a GPU. */
function statedCpu(load: LoadState): boolean {
  return (
    load.gpuUnsupported ||
    load.gpuLayers === 0 ||
    load.requestedGpuLayers === 0 ||
    // A CPU runner variant (`runners/cpu_avx2/`), `offload to cpu`, `runner.inference=cpu`.
    backendFamily(load.runnerLibrary) === 'cpu' ||
    backendFamily(load.library) === 'cpu'
  );
}

/**
 * The whole weights list, seen from its first line to the context set-up after it, is in host memory:
 * a layer on a GPU has its weights in that GPU's buffer, so none went there. A device this code does
 * not know (`SYCL0`, `RPC[…]`) is no proof of host memory.
 */
function weightsOnCpu(load: LoadState): boolean {
  return (
    load.weightsFromStart &&
    load.weightsClosed === true &&
    !load.gpuPlaced &&
    load.weightDeviceNames.length > 0 &&
    load.weightDeviceNames.every((d) => backendFamily(d) === 'cpu')
  );
}

/**
 * The whole KV list is in host memory: a layer on a GPU keeps its KV there, so none was offloaded.
 * (A GPU backend loaded beside it still gets compute buffers: that is no layer on the GPU.)
 */
function placedOnCpu(load: LoadState): boolean {
  if (!kvListed(load) || load.gpuPlaced) return false;
  const listed = [...load.kvFamilies, ...load.weightFamilies];
  return load.kvFamilies.length > 0 && listed.every((f) => f === 'cpu');
}

export function loadBackend(load: LoadState, server: ServerState | null): Backend | null {
  // MLX: the device it initialised on, or MLX once it came up; one that failed before saying is unknown.
  if (load.engine === 'mlx')
    return load.mlxDevice === 'cpu'
      ? 'cpu'
      : load.mlxDevice !== null || load.status === 'ready' || load.status === 'stopped'
        ? 'mlx'
        : null;
  // 1. The log says none of it ran on a GPU.
  if (statedCpu(load)) return 'cpu';
  // 2. Weights or KV cache in a named GPU's memory: that GPU (two families at once: no one answer).
  const placed = [...load.kvFamilies, ...load.weightFamilies];
  if (hasGpu(placed)) return single(placed);
  // 3. Placed on a GPU the line did not name: the family from the runner, else the scheduler, else the machine.
  const onGpu = load.gpuPlaced || (load.gpuLayers ?? 0) > 0 || (load.assignedGpuLayers ?? 0) > 0;
  if (onGpu) {
    for (const source of [[backendFamily(load.runnerLibrary)], load.hints, [backendFamily(load.library)], serverFamilies(server)]) {
      if (hasGpu(source)) return single(source);
    }
    return null;
  }
  // 4. Its whole KV cache, or its whole weights list, is in host memory.
  if (placedOnCpu(load) || weightsOnCpu(load)) return 'cpu';
  // 5. A runner built for one GPU backend (eras B–C: `runners/cuda_v11/ollama_llama_server`); one
  //    that cannot reach its GPU says so (`ggml_cuda_init: failed to initialize CUDA`, rule 1).
  const built = backendFamily(load.runnerLibrary);
  if (isGpuFamily(built)) return built;
  // 6. The machine has no GPU at all. (A GPU backend the runner loaded, with nothing said of where
  //    the layers went, decides nothing: with none offloaded it still gets the compute buffers.)
  const devices = serverFamilies(server);
  if (server?.listened && devices.length > 0 && devices.every((f) => f === 'cpu')) return 'cpu';
  return null;
}

/** Whether the machine has a GPU this load could have used (the GPU-fallback incident's premise). */
export function gpuAvailable(load: LoadState, server: ServerState | null): Backend | null {
  // A GPU library the runner loaded but could not use (`failed to initialize ROCm: no ROCm-capable device`) is no GPU.
  const runner = load.gpuUnsupported ? [] : [backendFamily(load.runnerLibrary), ...load.hints];
  for (const b of [...serverFamilies(server), backendFamily(load.library), ...runner]) if (isGpuFamily(b)) return b;
  return null;
}
