import { BINARY_UNITS, parseDecimal, sysctlValue } from './text.js';
import type { SwapUsage } from './types.js';

// sysctl formats with printf("%.2fM"), which honours LC_NUMERIC: spawning with LC_ALL=C is not
// enough on its own because a user's wrapper or an older runner may not pass the env through.
const SWAP = /^total = ([\d.,]+)([KMGT])\s+used = ([\d.,]+)([KMGT])\s+free = ([\d.,]+)([KMGT])\s*(\(encrypted\))?$/;

/** `sysctl vm.swapusage` (with or without `-n`) → bytes; decimal commas accepted. */
export function parseMacSwapUsage(stdout: string): SwapUsage | null {
  const value = sysctlValue(stdout, 'vm.swapusage');
  const m = value === null ? null : SWAP.exec(value);
  if (!m) return null;
  const bytes = (num: string | undefined, unit: string | undefined): number | null => {
    const n = num === undefined ? null : parseDecimal(num);
    const scale = unit === undefined ? undefined : BINARY_UNITS[unit];
    return n === null || scale === undefined ? null : Math.round(n * scale);
  };
  const totalBytes = bytes(m[1], m[2]);
  const usedBytes = bytes(m[3], m[4]);
  const freeBytes = bytes(m[5], m[6]);
  if (totalBytes === null || usedBytes === null || freeBytes === null) return null;
  return { totalBytes, usedBytes, freeBytes, encrypted: m[7] !== undefined };
}
