// Library and device names across eras (`metal`, `Metal`, `MTL0`, `cuda_v12`, `CUDA0`, `ROCm0`,
// `Vulkan0`, `CPU_Mapped`…) reduced to the backend family they mean. Case-insensitive by design:
// Ollama capitalised them in v0.12.4.
import type { Backend } from '../../shared/records.js';

export function backendFamily(name: string | null | undefined): Backend | null {
  if (!name) return null;
  const n = name.toLowerCase();
  if (n.startsWith('metal') || n.startsWith('mtl')) return 'metal';
  if (n.startsWith('cuda')) return 'cuda';
  if (n.startsWith('rocm') || n.startsWith('hip')) return 'rocm';
  if (n.startsWith('vulkan')) return 'vulkan';
  if (n.startsWith('cpu')) return 'cpu';
  return null;
}

export const isGpuFamily = (b: Backend | null): boolean => b !== null && b !== 'cpu' && b !== 'mlx' && b !== 'unknown';

/** Display names for details: `CUDA`, `Metal`. */
export function familyLabel(b: Backend | null): string {
  switch (b) {
    case 'metal':
      return 'Metal';
    case 'cuda':
      return 'CUDA';
    case 'rocm':
      return 'ROCm';
    case 'vulkan':
      return 'Vulkan';
    case 'cpu':
      return 'CPU';
    case 'mlx':
      return 'MLX';
    default:
      return 'unknown';
  }
}
