// Go's time.Duration.String(): "0s", "850ns", "579.75µs", "2.031083ms", "11.15s", "1m2s", "1h24m39s".
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
// µs also arrives as mojibake when a Windows console re-encoded the log: "┬Ás" (CP850), "┬╡s" (CP437),
// "Âµs" (Latin-1). µs is Go's only non-ASCII unit, so 1–3 non-ASCII characters before "s" mean µs.
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h|[^\x00-\x7f]{1,3}s)/y;

/** Milliseconds, or null when the text is not a Go duration. */
export function parseGoDuration(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 1e-3);
  }
  // Round away floating noise (0.001 * 579.75 = 0.5797500000000001) without losing µs precision.
  return (sign * Math.round(total * 1e6)) / 1e6;
}

// Exact powers of ten: an integer of at most 15 digits divided by one of them is the double
// `Number()` gives for the same decimal text (both are the one correctly rounded quotient).
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const MAX_DIGITS = 15;

/**
 * parseGoDuration of `s.slice(start, end)` read in place, for the forms gin prints (`2.031083ms`,
 * `579.75µs`, `1m41s`): no slice and no regex on every access-log line. NaN when the text is
 * anything else (a sign, mojibake, a bare `0`, too many digits): the caller then asks parseGoDuration.
 */
export function plainGoDuration(s: string, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let total = 0;
  while (i < end) {
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let c = s.charCodeAt(i);
    while (i < end && c >= 0x30 && c <= 0x39) {
      mant = mant * 10 + (c - 0x30);
      digits++;
      c = s.charCodeAt(++i);
    }
    if (digits === 0) return NaN;
    if (i < end && c === 0x2e /* . */) {
      c = s.charCodeAt(++i);
      while (i < end && c >= 0x30 && c <= 0x39) {
        mant = mant * 10 + (c - 0x30);
        digits++;
        frac++;
        c = s.charCodeAt(++i);
      }
      if (frac === 0) return NaN;
    }
    if (digits > MAX_DIGITS || i >= end) return NaN;
    const next = i + 1 < end ? s.charCodeAt(i + 1) : -1;
    let unit: number;
    // The same alternation order as PART: a two-letter unit before `s`, `m`, `h`.
    if (
      next === 0x73 /* s */ &&
      (c === 0x6e /* n */ || c === 0x75 /* u */ || c === 0xb5 /* µ */ || c === 0x3bc /* μ */ || c === 0x6d) /* m */
    ) {
      unit = c === 0x6e ? UNIT_MS.ns! : c === 0x6d ? UNIT_MS.ms! : UNIT_MS.us!;
      i += 2;
    } else if (c === 0x73 /* s */) {
      unit = UNIT_MS.s!;
      i++;
    } else if (c === 0x6d /* m */) {
      unit = UNIT_MS.m!;
      i++;
    } else if (c === 0x68 /* h */) {
      unit = UNIT_MS.h!;
      i++;
    } else return NaN;
    total += (frac === 0 ? mant : mant / POW10[frac]!) * unit;
  }
  return Math.round(total * 1e6) / 1e6;
}
