// Query-parameter validation at the edge: bounded integers, with the reason in the error.
import { ApiError } from './errors.js';

export function intParam(
  raw: string | undefined,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback?: number },
): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(400, 'bad_request', `${name} must be an integer, got "${raw.slice(0, 40)}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ApiError(400, 'bad_request', `${name} must be between ${min} and ${max}, got ${raw}`);
  return n;
}

export function rejectUnknownParams(query: Record<string, string>, allowed: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      throw new ApiError(400, 'bad_request', `unknown query parameter "${key.slice(0, 40)}"; allowed: ${allowed.join(', ')}`);
    }
  }
}

/**
 * `table[name]` only when `name` is the table's own key. Names come from the query string, and a plain
 * object also answers `constructor`, `toString`, `__proto__`… from its prototype.
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Named look-back windows, shared by every time-series route. */
export const RANGES: Readonly<Record<string, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export function timeParam(raw: string, name: string): number {
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms)) {
    throw new ApiError(400, 'bad_request', `${name} must be an ISO-8601 time or epoch milliseconds, got "${raw.slice(0, 40)}"`);
  }
  return ms;
}

/**
 * `range=1h` (ending now) or `from=…&to=…` (ISO-8601 or epoch ms; `to` defaults to now). Returns
 * the half-open window [from, to).
 */
export function timeWindow(q: Record<string, string>, now: number, fallback = '1h'): { from: number; to: number } {
  if (q.range !== undefined && q.from !== undefined) throw new ApiError(400, 'bad_request', 'give either range or from/to, not both');
  if (q.from !== undefined) {
    const from = timeParam(q.from, 'from');
    const to = q.to === undefined ? now : timeParam(q.to, 'to');
    if (to <= from) throw new ApiError(400, 'bad_request', 'to must be after from');
    if (to - from > 400 * 86_400_000) throw new ApiError(400, 'bad_request', 'a window may span at most 400 days');
    return { from, to };
  }
  if (q.to !== undefined) throw new ApiError(400, 'bad_request', 'to needs from');
  const name = q.range ?? fallback;
  const span = ownValue(RANGES, name);
  if (span === undefined) {
    throw new ApiError(400, 'bad_request', `range must be one of ${Object.keys(RANGES).join(', ')}, got "${name.slice(0, 40)}"`);
  }
  return { from: now - span, to: now + 1 };
}
