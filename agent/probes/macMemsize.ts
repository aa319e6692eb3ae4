import { parseCount, sysctlValue } from './text.js';

/** `sysctl -n hw.memsize`: physical RAM in bytes. Zero is not a machine, so it is rejected. */
export function parseMacMemsize(stdout: string): number | null {
  const value = sysctlValue(stdout, 'hw.memsize');
  const n = value === null ? null : parseCount(value);
  return n !== null && n > 0 ? n : null;
}
