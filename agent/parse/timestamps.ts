// Log timestamps to ISO-8601. slog prints RFC 3339 with a zone; Go's log and gin print local time
// without one, so those stay zone-less until the correlator learns the log's offset.

/** `2024-05-07T12:29:32.107-04:00` → itself; anything else → null. */
export function slogTime(text: string): string | null {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(text) ? text : null;
}

/** `2023/12/27 02:44:39` → `2023-12-27T02:44:39` (local, zone unknown). */
export function goLogTime(text: string): string {
  return `${text.slice(0, 4)}-${text.slice(5, 7)}-${text.slice(8, 10)}T${text.slice(11)}`;
}

/** The `Z` / `±HH:MM` suffix of an ISO time, or null. */
export function zoneOf(iso: string): string | null {
  const n = iso.length;
  if (iso.charCodeAt(n - 1) === 0x5a /* Z */) return 'Z';
  const sign = iso.charCodeAt(n - 6);
  if ((sign !== 0x2b && sign !== 0x2d) || iso.charCodeAt(n - 3) !== 0x3a) return null;
  // Only a zone Date.parse can read: a damaged one would make every gin time after it unreadable.
  return digit(iso, n - 5) >= 0 && digit(iso, n - 4) >= 0 && digit(iso, n - 2) >= 0 && digit(iso, n - 1) >= 0 ? iso.slice(n - 6) : null;
}

let lastIso = '';
let lastMs = NaN;

/** Epoch ms of an ISO time; a zone-less time is read as the agent's local time. */
export function epochMs(iso: string): number {
  // Consecutive lines mostly share their second (GIN prints whole seconds): parse each text once.
  if (iso !== lastIso) {
    lastIso = iso;
    lastMs = zonedMs(iso) ?? Date.parse(iso);
  }
  return lastMs;
}

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : NaN;
};
const num2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

// Lines come in time order, so a time nearly always shares its minute with the previous one: the
// date and the hour and minute are read (and Date.UTC run) once a minute.
let minuteText = '';
let minuteMs = NaN;

/**
 * `Date.parse` for the one shape logs print (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`), read by
 * character: several times faster, and it runs for most timestamped lines. Null for anything else.
 */
function zonedMs(s: string): number | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(16) !== 0x3a) return null;
  let base: number;
  if (minuteText !== '' && s.startsWith(minuteText)) base = minuteMs;
  else {
    if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54 || s.charCodeAt(13) !== 0x3a) return null;
    const month = num2(s, 5);
    const day = num2(s, 8);
    const hour = num2(s, 11);
    const minute = num2(s, 14);
    // Out-of-range fields (and month ends, which Date.UTC would roll over) go to Date.parse's rules.
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59)) return null;
    const dayMs = Date.UTC(digit(s, 0) * 1000 + digit(s, 1) * 100 + num2(s, 2), month - 1, day);
    if (Number.isNaN(dayMs)) return null;
    base = dayMs + (hour * 60 + minute) * 60_000;
    minuteText = s.slice(0, 16);
    minuteMs = base;
  }
  const second = num2(s, 17);
  if (!(second <= 59)) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 0x2e /* . */) {
    let scale = 100;
    for (i++; i < n; i++, scale /= 10) {
      const d = digit(s, i);
      if (!(d >= 0)) break;
      if (scale >= 1) ms += d * scale;
    }
  }
  let offsetMin: number;
  if (i === n - 1 && s.charCodeAt(i) === 0x5a /* Z */) offsetMin = 0;
  else if (i === n - 6 && s.charCodeAt(i + 3) === 0x3a) {
    const sign = s.charCodeAt(i);
    if (sign !== 0x2b && sign !== 0x2d) return null;
    offsetMin = (num2(s, i + 1) * 60 + num2(s, i + 4)) * (sign === 0x2b ? 1 : -1);
  } else return null;
  return Number.isNaN(offsetMin) ? null : base + second * 1000 + ms - offsetMin * 60_000;
}
