// Go's own renderings of durations, sizes, quoted strings and times, reproduced exactly, because
// the agent's parsers are written against what Go prints (not against what looks similar).

const MICRO = '\u00b5'; // Go prints U+00B5 MICRO SIGN in "µs", not U+03BC

/** `time.Duration.String()` of an integer number of nanoseconds. */
export function goDuration(nanoseconds: number): string {
  let u = Math.round(Math.abs(nanoseconds));
  const sign = nanoseconds < 0 ? '-' : '';
  if (u === 0) return '0s';
  if (u < 1e9) {
    if (u < 1e3) return `${sign}${u}ns`;
    if (u < 1e6) return `${sign}${withFraction(u, 3)}${MICRO}s`;
    return `${sign}${withFraction(u, 6)}ms`;
  }
  const totalSeconds = Math.floor(u / 1e9);
  u -= totalSeconds * 1e9;
  let out = `${totalSeconds % 60}${fractionDigits(u, 9)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes > 0) {
    out = `${totalMinutes % 60}m${out}`;
    const hours = Math.floor(totalMinutes / 60);
    if (hours > 0) out = `${hours}h${out}`;
  }
  return sign + out;
}

function withFraction(value: number, precision: number): string {
  const scale = 10 ** precision;
  return `${Math.floor(value / scale)}${fractionDigits(value % scale, precision)}`;
}

/** Go drops trailing zeros of the fraction, and the dot with them. */
function fractionDigits(fraction: number, precision: number): string {
  if (fraction === 0) return '';
  return '.' + String(fraction).padStart(precision, '0').replace(/0+$/, '');
}

/** Gin truncates latencies over a minute to whole seconds (`logger.go`, gin v1.10). */
export function ginLatency(nanoseconds: number): string {
  const ns = nanoseconds > 60e9 ? Math.floor(nanoseconds / 1e9) * 1e9 : nanoseconds;
  return goDuration(ns);
}

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

/** Ollama `format.HumanBytes2`: one decimal, binary units. */
export function humanBytes2(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** MLX runner `PrettyBytes`: two decimals. */
export function prettyBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(2)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(2)} MiB`;
  return `${(bytes / KiB).toFixed(2)} KiB`;
}

/** `strconv.Quote` for the ASCII-and-printable strings the demo produces. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * slog TextHandler `needsQuoting`: empty, space, '=', '"' or a control character. A backslash
 * alone does not force quoting (Windows paths appear bare in real logs).
 */
export function slogNeedsQuoting(s: string): boolean {
  if (s.length === 0) return true;
  return /[\s="\x00-\x1f\x7f]/.test(s);
}

export function slogText(s: string): string {
  return slogNeedsQuoting(s) ? goQuote(s) : s;
}

/** Minutes east of UTC, from '+01:00' / '-0700' / 'Z'; null means "the local zone at that instant". */
export function parseOffset(offset: string | undefined): number | null {
  if (offset === undefined) return null;
  if (offset === 'Z' || offset === 'z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(offset);
  if (!m) throw new Error(`invalid timezone offset "${offset}" (expected +HH:MM, -HH:MM or Z)`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Wall-clock fields of `t` in the given zone (local when `offsetMinutes` is null). */
function fieldsIn(t: Date, offsetMinutes: number | null): { d: Date; offset: number } {
  const offset = offsetMinutes ?? -t.getTimezoneOffset();
  return { d: new Date(t.getTime() + offset * 60_000), offset };
}

/** slog's time: `2006-01-02T15:04:05.000Z07:00`, with `Z` for a zero offset. */
export function slogTime(t: Date, offsetMinutes: number | null): string {
  const { d, offset } = fieldsIn(t, offsetMinutes);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  return `${date}T${time}${zoneSuffix(offset)}`;
}

export function zoneSuffix(offset: number): string {
  if (offset === 0) return 'Z';
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Go `log` (and slog before its handler is installed): `2006/01/02 15:04:05`, local, no zone. */
export function goLogTime(t: Date, offsetMinutes: number | null): string {
  const { d } = fieldsIn(t, offsetMinutes);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Gin's time: `2006/01/02 - 15:04:05`, local wall clock, no zone. */
export function ginTime(t: Date, offsetMinutes: number | null): string {
  const { d } = fieldsIn(t, offsetMinutes);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} - ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
