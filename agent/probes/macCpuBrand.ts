import { sysctlValue } from './text.js';

/** `sysctl -n machdep.cpu.brand_string`: `Apple M4 Pro`, or an Intel model string. */
export function parseMacCpuBrand(stdout: string): string | null {
  const value = sysctlValue(stdout, 'machdep.cpu.brand_string');
  // Collapse the padding some Intel brand strings carry so names compare equal across machines.
  return value === null ? null : value.replace(/\s+/g, ' ');
}
