import { parseCount, sysctlValue } from './text.js';
import type { GpuWiredLimit } from './types.js';

/**
 * `sysctl -n iogpu.wired_limit_mb` (MiB). 0 means "system default", not "no GPU memory", so it
 * becomes a null limit; the caller then falls back to Ollama's log or the RAM-based estimate.
 * Intel Macs have no such OID: sysctl prints nothing on stdout and this returns null.
 */
export function parseMacWiredLimit(stdout: string): GpuWiredLimit | null {
  const value = sysctlValue(stdout, 'iogpu.wired_limit_mb');
  const mib = value === null ? null : parseCount(value);
  if (mib === null) return null;
  return { limitBytes: mib === 0 ? null : mib * 1024 ** 2 };
}
