import { parseCount } from './text.js';
import type { VmStat } from './types.js';

const HEADER = /page size of (\d+) bytes/;
// Keys are left-aligned, values right-padded to varying widths and end with '.'; one key is quoted.
const ROW = /^"?([^":]+)"?:\s+(\d+)\.?$/;

const REQUIRED = {
  freeBytes: 'Pages free',
  activeBytes: 'Pages active',
  inactiveBytes: 'Pages inactive',
  speculativeBytes: 'Pages speculative',
  wiredBytes: 'Pages wired down',
  // "stored in" is the logical, uncompressed amount, often 3–5× larger than the RAM it occupies.
  compressorBytes: 'Pages occupied by compressor',
  purgeableBytes: 'Pages purgeable',
} as const;

/**
 * `vm_stat` → bytes. The page size comes from the header only: assuming 4096 is the classic 4× error
 * on Apple Silicon (16384), so output without a header is rejected rather than guessed.
 */
export function parseVmStat(stdout: string): VmStat | null {
  const header = HEADER.exec(stdout);
  const pageSize = header?.[1] === undefined ? null : parseCount(header[1]);
  if (pageSize === null || pageSize === 0) return null;

  const pages = new Map<string, number>();
  for (const line of stdout.split(/\r?\n/)) {
    const m = ROW.exec(line.trim());
    const n = m?.[2] === undefined ? null : parseCount(m[2]);
    if (m?.[1] !== undefined && n !== null) pages.set(m[1].trim(), n);
  }

  const out: Partial<Record<keyof typeof REQUIRED, number>> = {};
  for (const [field, key] of Object.entries(REQUIRED) as [keyof typeof REQUIRED, string][]) {
    const n = pages.get(key);
    if (n === undefined) return null;
    out[field] = n * pageSize;
  }
  const anonymous = pages.get('Anonymous pages');
  const { freeBytes, activeBytes, inactiveBytes, speculativeBytes, wiredBytes, compressorBytes, purgeableBytes } = out as Record<
    keyof typeof REQUIRED,
    number
  >;
  return {
    pageSize,
    freeBytes,
    activeBytes,
    inactiveBytes,
    speculativeBytes,
    wiredBytes,
    compressorBytes,
    purgeableBytes,
    anonymousBytes: anonymous === undefined ? null : anonymous * pageSize,
    swapins: pages.get('Swapins') ?? null,
    swapouts: pages.get('Swapouts') ?? null,
  };
}
