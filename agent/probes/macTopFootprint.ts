import { BINARY_UNITS, parseCount, parseDecimal } from './text.js';
import type { ProcessFootprint } from './types.js';

const TABLE_HEADER = /^PID\s+MEM\b/;
// MEM is left-aligned in a 5-wide column (trailing spaces) and carries `+`/`-` when it changed
// since the previous sample; top marks some pids with `*`.
const ROW = /^(\d+)\*?\s+(\d+(?:[.,]\d+)?)([BKMGT])[+-]?$/;

/**
 * `top -l 1 -pid <pid> [-pid <pid>…] -stats pid,mem` → phys_footprint per pid, which unlike RSS
 * includes Metal (IOAccelerator) buffers. Rows are only read below the `PID MEM` header so the
 * summary block above it (`PhysMem: 19G used …`) can never pass for a process. A table with no rows
 * (the pid has exited) is an empty list; output without the table, or a row that does not parse,
 * is null so a format change is noticed instead of silently reporting fewer processes.
 */
export function parseTopFootprints(stdout: string): ProcessFootprint[] | null {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim());
  const start = lines.findIndex((l) => TABLE_HEADER.test(l));
  if (start < 0) return null;
  const rows: ProcessFootprint[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '') continue;
    const m = ROW.exec(line);
    const pid = m?.[1] === undefined ? null : parseCount(m[1]);
    const size = m?.[2] === undefined ? null : parseDecimal(m[2]);
    const scale = m?.[3] === undefined ? undefined : BINARY_UNITS[m[3]];
    if (pid === null || size === null || scale === undefined) return null;
    rows.push({ pid, footprintBytes: Math.round(size * scale) });
  }
  return rows;
}
