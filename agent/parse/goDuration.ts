// Go's time.Duration.String(): "0s", "850ns", "579.75µs", "2.031083ms", "11.15s", "1m2s", "1h24m39s".
const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
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
  return sign * Math.round(total * 1e6) / 1e6;
}
