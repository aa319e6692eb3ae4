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
  return (sign === 0x2b || sign === 0x2d) && iso.charCodeAt(n - 3) === 0x3a ? iso.slice(n - 6) : null;
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

const ZONED_ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:Z|([+-])(\d\d):(\d\d))$/;

/** `Date.parse` for the one shape logs print, several times faster; null for anything else. */
function zonedMs(iso: string): number | null {
  const m = ZONED_ISO.exec(iso);
  if (!m) return null;
  const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, frac);
  if (!m[8]) return utc;
  const offset = (+m[9]! * 60 + +m[10]!) * 60_000;
  return m[8] === '+' ? utc - offset : utc + offset;
}
