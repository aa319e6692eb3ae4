// llama.cpp names devices and backends by ggml backend (`MTL0`, `Metal`, `CUDA1`, `ROCm0`, `Vulkan0`,
// `SYCL0`, `CPU`); the product reports the family in lowercase. Backends that are not a compute place
// for the model (`BLAS`, `RPC`) give no hint.

const FAMILIES: ReadonlyArray<readonly [prefix: string, family: string]> = [
  ['mtl', 'metal'],
  ['metal', 'metal'],
  ['cuda', 'cuda'],
  ['cublas', 'cuda'],
  ['rocm', 'rocm'],
  ['hip', 'rocm'],
  ['vulkan', 'vulkan'],
  ['sycl', 'sycl'],
  ['cpu', 'cpu'],
  ['opencl', 'opencl'],
  ['musa', 'musa'],
  ['cann', 'cann'],
];

/** `MTL0` → `metal`, `CUDA0` → `cuda`, `ROCm` → `rocm`, `BLAS` → null. */
export function backendFamily(name: string): string | null {
  const n = name.toLowerCase();
  for (const [prefix, family] of FAMILIES) if (n.startsWith(prefix)) return family;
  return null;
}
