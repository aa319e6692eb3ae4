import { sysctlValue } from './text.js';
import type { PressureLevel } from './types.js';

// XNU hands out dispatch-encoded levels, not an index: warning and urgent both become 2, so 0/1/3
// (a known bug pattern in other monitors) are not levels and must not be guessed at.
const LEVELS: Readonly<Record<string, PressureLevel>> = { '1': 'normal', '2': 'warn', '4': 'critical' };

/** `sysctl -n kern.memorystatus_vm_pressure_level`: `1`/`2`/`4` → normal/warn/critical. */
export function parseMacPressureLevel(stdout: string): PressureLevel | null {
  const value = sysctlValue(stdout, 'kern.memorystatus_vm_pressure_level');
  return (value !== null && Object.hasOwn(LEVELS, value) ? LEVELS[value] : undefined) ?? null;
}
