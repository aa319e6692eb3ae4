import { parseCount } from './text.js';
import type { PressureLevel, Psi, PsiLine } from './types.js';

/**
 * Where PSI maps onto macOS's three levels. The kernel defines no levels, so these are this
 * project's choice, compared against the 10 s averages because samples arrive every 5 s and a
 * 60/300 s average would announce trouble minutes late.
 *
 * - `warn` when `some avg10 ≥ 10`: some task spent ≥ 10 % of the last 10 s waiting on reclaim,
 *   refaults or swap-in, i.e. memory is already costing latency, as macOS's warn does.
 * - `critical` when `full avg10 ≥ 10` (every runnable task stalled ≥ 10 % of the time: thrashing has
 *   begun) or `some avg10 ≥ 50`. Both sit well below systemd-oomd's default kill point
 *   (DefaultMemoryPressureLimit=60 % held for 30 s), so the user hears about it before a process dies.
 */
export const PSI_THRESHOLDS = {
  warn: { someAvg10: 10 },
  critical: { someAvg10: 50, fullAvg10: 10 },
} as const;

const LINE = /^(some|full) avg10=(\d+(?:\.\d+)?) avg60=(\d+(?:\.\d+)?) avg300=(\d+(?:\.\d+)?) total=(\d+)$/;

/**
 * `/proc/pressure/memory` or a cgroup v2 `memory.pressure` (same format). `some` is required; a
 * missing `full` line is tolerated. Any other line makes the whole read null, since a partly
 * understood file is not a trustworthy pressure signal.
 */
export function parsePsi(stdout: string): Psi | null {
  let some: PsiLine | null = null;
  let full: PsiLine | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const m = LINE.exec(line);
    const totalUs = m?.[5] === undefined ? null : parseCount(m[5]);
    if (!m || totalUs === null) return null;
    const parsed = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), totalUs };
    if (m[1] === 'some') some = parsed;
    else full = parsed;
  }
  return some === null ? null : { some, full };
}

/** Maps a PSI reading to the macOS-style level with {@link PSI_THRESHOLDS}. */
export function psiPressureLevel(psi: Psi): PressureLevel {
  const { warn, critical } = PSI_THRESHOLDS;
  if ((psi.full !== null && psi.full.avg10 >= critical.fullAvg10) || psi.some.avg10 >= critical.someAvg10) {
    return 'critical';
  }
  return psi.some.avg10 >= warn.someAvg10 ? 'warn' : 'normal';
}
