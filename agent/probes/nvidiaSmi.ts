import { parseCount } from './text.js';
import type { NvidiaGpu } from './types.js';

const MIB = 1024 ** 2;

/** `[N/A]`, `[Not Supported]`… mean "this GPU has no such figure", which is not zero. */
function mib(field: string): number | null | undefined {
  if (/^\[[^\]]*\]$/.test(field)) return null;
  const n = parseCount(field);
  return n === null ? undefined : n * MIB;
}

/**
 * `nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits`, one line per
 * GPU, sizes in MiB. The two numbers are taken from the right so a comma in a product name cannot
 * shift them. A driver error message, an empty output or any line that does not fit is null.
 */
export function parseNvidiaSmi(stdout: string): NvidiaGpu[] | null {
  const gpus: NvidiaGpu[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    const fields = raw.split(',').map((f) => f.trim());
    if (fields.length < 3) return null;
    const used = mib(fields.pop() ?? '');
    const total = mib(fields.pop() ?? '');
    const name = fields.join(', ');
    if (used === undefined || total === undefined || name === '') return null;
    gpus.push({ name, memoryTotalBytes: total, memoryUsedBytes: used });
  }
  return gpus.length > 0 ? gpus : null;
}
