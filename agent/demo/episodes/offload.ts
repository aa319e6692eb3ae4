// Where llama-server puts a GGUF model's layers, and what that costs. Three cases the demo shows:
// all on MTL0 (the usual), none (`-ngl 0`, which Ollama passes only for an explicit num_gpu: 0),
// or as many as llama-server's own `--fit` step finds room for when Metal memory is short.
// Sizes follow llama.cpp's bookkeeping so the buffer lines add up to what /api/ps reports.
import { fmtD, fmtF, raw } from '../logLines.js';
import { kvBytes, type DemoModel } from '../models.js';
import type { Rng } from '../rng.js';
import type { Ctx } from './context.js';

const MiB = 1024 ** 2;
/** llama-server's default `--fit-target`: MiB it keeps free on each device. */
const FIT_MARGIN_MIB = 1024;
/** Output layer (Q6_K) over token embeddings (Q4_K) in a Q4_K_M file. */
const OUTPUT_TO_EMBD = 6.5625 / 4.5;
/** CPU vs M3 Max GPU on the same GGUF: prefill is compute-bound, decode bandwidth-bound. */
const CPU_PREFILL = 1 / 8.6;
const CPU_DECODE = 1 / 4.4;

export interface Sizes {
  weightsMiB: number;
  /** Token embeddings: llama.cpp keeps them in CPU_Mapped memory even on a full offload. */
  embdMiB: number;
  outputMiB: number;
  layerMiB: number;
  kvLayerMiB: number;
  computeMiB: number;
}

export function sizes(model: DemoModel, numCtx: number, rng: Rng): Sizes {
  const weightsMiB = model.sizeBytes / MiB;
  const outputMiB = model.cpuMappedMiB * OUTPUT_TO_EMBD;
  return {
    weightsMiB,
    embdMiB: model.cpuMappedMiB,
    outputMiB,
    layerMiB: (weightsMiB - model.cpuMappedMiB - outputMiB) / model.blockCount,
    kvLayerMiB: kvBytes(model, numCtx) / MiB / model.blockCount,
    computeMiB: (model.embeddingLength / 4096) * 150 + (numCtx / 8192) * 150 + rng.int(0, 8) * 0.5,
  };
}

export interface Placement {
  /** `offloaded X/Y layers`: the output layer counts, and newer llama.cpp offloads it first. */
  gpuLayers: number;
  totalLayers: number;
  weightsGpuMiB: number;
  weightsCpuMiB: number;
  kvGpuMiB: number;
  kvCpuMiB: number;
  /** What fit measures against free device memory. */
  deviceMiB: number;
}

export function place(model: DemoModel, s: Sizes, gpuLayers: number): Placement {
  const repeating = Math.max(0, gpuLayers - 1);
  const weightsGpuMiB = gpuLayers > 0 ? s.outputMiB + repeating * s.layerMiB : 0;
  const kvGpuMiB = repeating * s.kvLayerMiB;
  return {
    gpuLayers,
    totalLayers: model.blockCount + 1,
    weightsGpuMiB,
    weightsCpuMiB: s.weightsMiB - weightsGpuMiB,
    kvGpuMiB,
    kvCpuMiB: (model.blockCount - repeating) * s.kvLayerMiB,
    deviceMiB: weightsGpuMiB + kvGpuMiB + (gpuLayers > 0 ? s.computeMiB : 0),
  };
}

/** What `--fit` settles on: the most layers that leave its margin free. */
export function fit(model: DemoModel, s: Sizes, freeMiB: number): Placement {
  for (let n = model.blockCount + 1; n > 0; n--) {
    const p = place(model, s, n);
    if (p.deviceMiB + FIT_MARGIN_MIB <= freeMiB) return p;
  }
  return place(model, s, 0);
}

/**
 * Free Metal memory for which `--fit` keeps exactly `layers` on the GPU: the story picks the
 * outcome, this picks a memory figure that produces it.
 */
export function freeMiBFor(model: DemoModel, s: Sizes, layers: number, rng: Rng): number {
  const lo = place(model, s, layers).deviceMiB + FIT_MARGIN_MIB;
  const hi = place(model, s, layers + 1).deviceMiB + FIT_MARGIN_MIB;
  return Math.floor(lo + (hi - lo) * rng.float(0.15, 0.85));
}

/** llama-server's fit report, between `loading model` and the device line. */
export function fitLines(ctx: Ctx, model: DemoModel, s: Sizes, p: Placement, freeMiB: number, numCtx: number): void {
  const line = (text: string): void => void ctx.tl.line(raw(text));
  const full = place(model, s, model.blockCount + 1);
  line(
    `common_params_fit_impl: projected to use ${Math.round(full.deviceMiB)} MiB of device memory vs. ${Math.round(freeMiB)} MiB of free device memory`,
  );
  if (p.gpuLayers === full.gpuLayers) {
    line(
      `common_params_fit_impl: will leave ${Math.round(freeMiB - full.deviceMiB)} >= ${FIT_MARGIN_MIB} MiB of free device memory, no changes needed`,
    );
  } else {
    line(
      `common_params_fit_impl: cannot meet free memory target of ${FIT_MARGIN_MIB} MiB, need to reduce device memory by ${Math.round(full.deviceMiB - freeMiB + FIT_MARGIN_MIB)} MiB`,
    );
    line(`common_params_fit_impl: context size set by user to ${numCtx} -> no change`);
    line(`common_params_fit_impl: id=0, target=${Math.round(freeMiB - FIT_MARGIN_MIB)} MiB`);
    line(`common_params_fit_impl: set ngl_per_device[0].n_layer=${p.gpuLayers}`);
    line(
      `common_params_fit_impl:   - MTL0 (Apple M3 Max): ${fmtD(p.gpuLayers, 2)} layers, ${fmtD(p.deviceMiB, 6)} MiB used, ${fmtD(freeMiB - p.deviceMiB, 6)} MiB free`,
    );
  }
  line('common_fit_params: successfully fit params to free device memory');
  line(`common_fit_params: fitting params to free memory took ${ctx.rng.float(0.3, 0.9).toFixed(2)} seconds`);
}

/** `load_tensors:` placement and model buffers, in llama.cpp's printf layout. */
export function tensorLines(ctx: Ctx, model: DemoModel, p: Placement): void {
  const line = (text: string): void => void ctx.tl.line(raw(text));
  if (p.gpuLayers > 0) line('load_tensors: offloading output layer to GPU');
  line(`load_tensors: offloading ${Math.max(0, p.gpuLayers - 1)} repeating layers to GPU`);
  line(`load_tensors: offloaded ${p.gpuLayers}/${p.totalLayers} layers to GPU`);
  line(`load_tensors: ${'CPU_Mapped'.padStart(12)} model buffer size = ${fmtF(p.weightsCpuMiB, 8)} MiB`);
  if (p.gpuLayers > 0) line(`load_tensors: ${'MTL0_Mapped'.padStart(12)} model buffer size = ${fmtF(p.weightsGpuMiB, 8)} MiB`);
}

/** One KV line per device holding layers (CPU first, as llama.cpp allocates), then the total. */
export function kvLines(ctx: Ctx, model: DemoModel, p: Placement, numCtx: number): void {
  const line = (text: string): void => void ctx.tl.line(raw(text));
  if (p.kvCpuMiB > 0) line(`llama_kv_cache: ${'CPU'.padStart(10)} KV buffer size = ${fmtF(p.kvCpuMiB, 8)} MiB`);
  if (p.kvGpuMiB > 0) line(`llama_kv_cache: ${'MTL0'.padStart(10)} KV buffer size = ${fmtF(p.kvGpuMiB, 8)} MiB`);
  const kv = p.kvCpuMiB + p.kvGpuMiB;
  line(
    `llama_kv_cache: size = ${fmtF(kv, 7)} MiB (${fmtD(numCtx, 6)} cells, ${fmtD(model.blockCount, 3)} layers,  1/1 seqs), ` +
      `K (f16): ${fmtF(kv / 2, 7)} MiB, V (f16): ${fmtF(kv / 2, 7)} MiB`,
  );
}

/** Throughput relative to a full offload: each token pays the CPU's rate on the CPU's layers. */
export function speedOf(p: Placement): { prefill: number; decode: number } {
  const onGpu = p.gpuLayers / p.totalLayers;
  return {
    prefill: 1 / (onGpu + (1 - onGpu) / CPU_PREFILL),
    decode: 1 / (onGpu + (1 - onGpu) / CPU_DECODE),
  };
}
