// The dashboard's one format for every figure and time it shows. Numbers, latencies and bytes come
// from shared/format.ts (the CLI report prints the same figures); what only a page needs — short
// byte pairs for the pills, local clock and date texts — is built on them here.
import { formatBytes, UNKNOWN } from '../../../shared/format.js';

export {
  formatBackend,
  formatBytes,
  formatCompact,
  formatCount,
  formatLatency,
  formatNumber,
  formatRate,
  UNKNOWN,
} from '../../../shared/format.js';

// ---------------------------------------------------------------- bytes

/** Like `formatBytes` but drops a trailing `.0` ("64 GiB", not "64.0 GiB"). */
export function formatBytesShort(bytes: number | null): string {
  return formatBytes(bytes).replace(/\.0 /, ' ');
}

/** "41.2 / 64.0 GiB" when both share a unit, "900 MiB / 2.0 GiB" otherwise, "—" for unknown parts. */
export function formatBytesPair(part: number | null, whole: number | null): string {
  const a = formatBytes(part);
  const b = formatBytes(whole);
  const [aValue, aUnit] = a.split(' ');
  const [, bUnit] = b.split(' ');
  return aUnit !== undefined && aUnit === bUnit ? `${aValue} / ${b}` : `${a} / ${b}`;
}

// ---------------------------------------------------------------- times (local time zone)

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parseDate(at: string): Date | null {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local wall-clock time `HH:MM:SS`, or "—" when `at` is not a date. */
export function formatClock(at: string): string {
  const d = parseDate(at);
  return d === null ? UNKNOWN : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Full local date and time with milliseconds and the UTC offset, for tooltips. */
export function formatDateTime(at: string): string {
  const d = parseDate(at);
  if (d === null) return at === '' ? UNKNOWN : at;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ` +
    `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** "13:02" on `now`'s (local) day, "2025-11-25 13:02" on another day, "—" when `at` is not a date. */
export function formatShortTime(at: string | null, now: number): string {
  const d = at === null ? null : parseDate(at);
  if (d === null) return UNKNOWN;
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? clock : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `26 Nov 14:05` in local time (chart axes, range labels, timelines). */
export function formatDayTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
