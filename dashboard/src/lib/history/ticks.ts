// Tick steps and tick labels of the history charts' axes: round time steps with the date where a
// window crosses midnight, and byte steps that read well in IEC units. Pure.
import { formatDayTime } from '../format.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** A round tick step giving at most `maxTicks` ticks over `spanMs`. */
export function tickStepMs(spanMs: number, maxTicks = 8): number {
  for (const step of STEPS) if (spanMs / step <= maxTicks) return step;
  return STEPS[STEPS.length - 1]!;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats epoch-ms ticks for a window of `spanMs`: `14:05`, `26 Nov 14:00`, or `26 Nov`. */
export function timeTickFormatter(spanMs: number, fromMs?: number): (ms: number, prevMs?: number | null) => string {
  if (spanMs <= 36 * HOUR) {
    // Times of day, with the date on the first tick and on the first tick of each new day when the
    // window crosses midnight ("6 Dec 00:00"): a 24 h axis otherwise reads as one day.
    const crosses = fromMs !== undefined && dayOf(fromMs) !== dayOf(fromMs + spanMs);
    return (ms, prevMs) => {
      const d = new Date(ms);
      const newDay = prevMs === undefined || prevMs === null ? crosses : dayOf(prevMs) !== dayOf(ms);
      return newDay ? formatDayTime(ms) : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    };
  }
  if (spanMs <= 10 * DAY) return (ms) => formatDayTime(ms);
  return (ms) => formatDayTime(ms).replace(/ \d{2}:\d{2}$/, '');
}

/** The local calendar day of a time, as a comparable string. */
function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/**
 * A tick step for a byte axis that reads well in IEC units (…, 512 MiB, 1, 2, 4, 8, 16… GiB),
 * giving at most `maxTicks` steps up to `maxBytes`; undefined when there is nothing to scale.
 */
export function bytesStep(maxBytes: number, maxTicks = 6): number | undefined {
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) return undefined;
  let step = 2 ** 20;
  while (maxBytes / step > maxTicks) step *= 2;
  return step;
}
