// Shared helpers for the probe parsers: sysctl's two output shapes, locale decimals, binary units.

/** Units the macOS tools print (`M` in `vm.swapusage`, `top`'s MEM column) are all binary. */
export const BINARY_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};

const OTHER_SYSCTL = /^[a-z_][\w.]*\s*:/i;

/**
 * The value of one sysctl, whether it was run with `-n` (bare value) or without (`name: value`).
 * Accepting both lets the runner query several names in one call, the safe way when an OID such as
 * `iogpu.wired_limit_mb` may be missing (Intel), and still hand each parser the whole stdout.
 */
export function sysctlValue(stdout: string, name: string): string | null {
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const prefix = `${name}:`;
  const named = lines.find((l) => l.startsWith(prefix));
  if (named !== undefined) return named.slice(prefix.length).trim() || null;
  const only = lines.length === 1 ? lines[0] : undefined;
  // A lone `other.name: …` line is a different sysctl, not this one's bare value.
  if (only === undefined || OTHER_SYSCTL.test(only)) return null;
  return only;
}

const DECIMAL = /^\d+(?:[.,]\d+)?$/;

/** `1024.50` or, from a decimal-comma locale, `1024,50`; null for anything else. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  return Number(text.replace(',', '.'));
}

/** A whole non-negative number small enough to stay exact in a double. */
export function parseCount(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
