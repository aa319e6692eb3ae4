// Tick labels, values, summaries and the speed-up phrase of the history section. Pure.
import { formatBackend, formatBytes, formatCount, formatLatency, formatRate, UNKNOWN } from '../format.js';
import { formatDayTime } from './range.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

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

// Counts, rates and durations come from the one number format (lib/format.ts).
export { formatCount, formatRate };

/** A duration, "—" when unknown. */
export function formatMs(n: number | null | undefined): string {
  return n === undefined ? UNKNOWN : formatLatency(n);
}

export { formatBytes };

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The non-null y values of a dataset. */
export function values(data: readonly { y: number | null }[]): number[] {
  const out: number[] = [];
  for (const p of data) if (p.y !== null && Number.isFinite(p.y)) out.push(p.y);
  return out;
}

export interface SummarySeries {
  label: string;
  data: readonly { y: number | null }[];
}

/**
 * "decode tok/s by backend, last 24 h: MLX median 82, Metal 41" — each series' median over the
 * window, the busiest first is not implied: series keep their legend order.
 */
export function medianSummary(title: string, range: string, series: readonly SummarySeries[], format = formatRate): string {
  const parts: string[] = [];
  for (const s of series) {
    const m = median(values(s.data));
    if (m !== null) parts.push(`${s.label}${parts.length === 0 ? ' median' : ''} ${format(m)}`);
  }
  return `${title}, ${range}: ${parts.length === 0 ? 'no data' : parts.join(', ')}`;
}

/** "requests per minute, last 1 h: 240 requests, peak 12/min". */
export function rateSummary(title: string, range: string, total: number, peakPerMinute: number | null): string {
  if (total === 0) return `${title}, ${range}: no requests`;
  return `${title}, ${range}: ${formatCount(total)} ${total === 1 ? 'request' : 'requests'}, peak ${formatRate(peakPerMinute)}/min`;
}

/**
 * The compare table's verdict. `ratio` is MLX ÷ Metal median decode tok/s: "MLX 1.9× faster",
 * "Metal 1.3× faster", "about the same" within ±5 %, "—" when unknown.
 */
export function speedupText(ratio: number | null | undefined, fast = 'mlx', slow = 'metal'): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio) || ratio <= 0) return UNKNOWN;
  if (Math.abs(ratio - 1) < 0.05) return 'about the same';
  const [winner, factor] = ratio > 1 ? [fast, ratio] : [slow, 1 / ratio];
  return `${formatBackend(winner)} ${factor.toFixed(1)}× faster`;
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
