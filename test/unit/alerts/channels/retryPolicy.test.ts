import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../../../agent/alerts/channels/retryPolicy.js';

describe('backoffDelay', () => {
  const opts = (random: number) => ({ backoffMs: 1000, maxBackoffMs: 60_000, random: () => random });

  it('doubles per attempt, jittered within the upper half', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts(0)))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, opts(1)))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(2, opts(0.5))).toBe(3000);
  });

  it('is capped at maxBackoffMs, also for absurd attempt numbers', () => {
    expect(backoffDelay(6, opts(1))).toBe(60_000);
    expect(backoffDelay(500, opts(1))).toBe(60_000);
    expect(backoffDelay(500, opts(0))).toBe(30_000);
  });

  it('a random source out of range cannot make it negative or exceed the cap', () => {
    expect(backoffDelay(0, opts(-3))).toBe(500);
    expect(backoffDelay(10, opts(7))).toBe(60_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it.each([
    ['7', 7000],
    [' 0 ', 0],
    ['120', 60_000],
    ['Thu, 26 Nov 2026 10:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 09:00:00 GMT', 0],
  ])('%j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now, 60_000)).toBe(ms);
  });

  it.each([null, '', 'soon', '-5', '1.5'])('%j → null (own backoff applies)', (value) => {
    expect(parseRetryAfter(value, now, 60_000)).toBeNull();
  });
});

describe('isRetryableStatus', () => {
  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
  ])('%i → %s', (status, retry) => {
    expect(isRetryableStatus(status)).toBe(retry);
  });
});
