// When to try a webhook again. Exponential backoff spreads retries over a real outage (a phone's ntfy
// server restarting, a home-lab reverse proxy reloading) instead of burning them in a second; the
// jitter keeps several agents that lost the same endpoint from retrying in lockstep.

export interface BackoffOptions {
  /** The first delay, before jitter. */
  backoffMs: number;
  /** No delay exceeds this, Retry-After included. */
  maxBackoffMs: number;
  /** [0, 1), injected so tests can pin the jitter. */
  random: () => number;
}

/**
 * The wait before retry number `attempt + 1` (attempt 0 is the first failure): `backoffMs · 2^attempt`
 * capped at `maxBackoffMs`, then "equal jitter": somewhere in the upper half, so it never collapses to
 * zero but is still spread.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const base = Math.min(opts.maxBackoffMs, opts.backoffMs * 2 ** Math.min(attempt, 30));
  const r = Math.min(Math.max(opts.random(), 0), 1);
  return Math.round(base / 2 + (r * base) / 2);
}

/**
 * A Retry-After header in milliseconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), clamped to
 * [0, maxMs]. Null when absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null, nowMs: number, maxMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // Every HTTP-date form names the month in letters. V8's Date.parse also takes "-5" or "1.5" as
    // dates (years), which a server never meant.
    if (!/[A-Za-z]{3}/.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(Math.max(ms, 0), maxMs);
}

/** Worth trying again: the server is overloaded, rate-limiting, or broken for now. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
