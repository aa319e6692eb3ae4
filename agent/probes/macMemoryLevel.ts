import { parseCount, sysctlValue } from './text.js';

/**
 * `sysctl -n kern.memorystatus_level`: the 0–100 "free percentage" `memory_pressure` prints. It is
 * roughly the share of RAM neither wired nor held by the compressor, a trend signal, not free RAM.
 */
export function parseMacMemoryLevel(stdout: string): number | null {
  const value = sysctlValue(stdout, 'kern.memorystatus_level');
  const n = value === null ? null : parseCount(value);
  return n !== null && n <= 100 ? n : null;
}
