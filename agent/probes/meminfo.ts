import { parseCount } from './text.js';
import type { Meminfo } from './types.js';

// `kB` in /proc/meminfo has always meant KiB; unit-less rows (HugePages_Total) are counts and skipped.
const ROW = /^([\w()]+):\s+(\d+) kB$/;

/** `/proc/meminfo` → bytes. MemTotal and MemFree are required; the rest are null when absent. */
export function parseMeminfo(stdout: string): Meminfo | null {
  const kib = new Map<string, number>();
  for (const line of stdout.split(/\r?\n/)) {
    const m = ROW.exec(line.trim());
    const n = m?.[2] === undefined ? null : parseCount(m[2]);
    if (m?.[1] !== undefined && n !== null) kib.set(m[1], n);
  }
  const bytes = (key: string): number | null => {
    const n = kib.get(key);
    return n === undefined ? null : n * 1024;
  };
  const totalBytes = bytes('MemTotal');
  const freeBytes = bytes('MemFree');
  if (totalBytes === null || totalBytes === 0 || freeBytes === null) return null;
  return {
    totalBytes,
    freeBytes,
    availableBytes: bytes('MemAvailable'),
    buffersBytes: bytes('Buffers'),
    cachedBytes: bytes('Cached'),
    swapTotalBytes: bytes('SwapTotal'),
    swapFreeBytes: bytes('SwapFree'),
  };
}
