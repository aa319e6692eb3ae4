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
