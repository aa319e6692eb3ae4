// One number format. The edges where a unit rolls over are the point of these cases.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatBytesPair,
  formatBytesShort,
  formatClock,
  formatCompact,
  formatCount,
  formatDateTime,
  formatDayTime,
  formatLatency,
  formatNumber,
  formatRate,
  formatShortTime,
} from '../../dashboard/src/lib/format.js';

describe('formatLatency', () => {
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [0, '0 µs'],
    [0.4, '400 µs'],
    [0.9994, '999 µs'],
    [0.9997, '1.0 ms'],
    [4.25, '4.3 ms'],
    [9.94, '9.9 ms'],
    [9.96, '10 ms'],
    [312.4, '312 ms'],
    [999.4, '999 ms'],
    [999.7, '1.00 s'],
    [1234, '1.23 s'],
    [9994, '9.99 s'],
    [9996, '10.0 s'],
    [32_640, '32.6 s'],
    [59_940, '59.9 s'],
    [59_960, '1m00s'],
    [80_000, '1m20s'],
    [119_400, '1m59s'],
    [119_600, '2m00s'],
    [3_599_400, '59m59s'],
    [3_599_600, '1h00m'],
    [3_900_000, '1h05m'],
    [7_199_000, '2h00m'],
    [-1500, '-1.50 s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });

  it('never prints a unit at its next unit’s limit', () => {
    for (let ms = 0.5; ms < 10_000_000; ms *= 1.0007) {
      const text = formatLatency(ms);
      expect(text).not.toMatch(/^1000 (µs|ms)$|^10\.0 ms$|^60\.0 s$|m60s$|h60m$/);
    }
  });
});

describe('formatNumber and formatCount', () => {
  it.each([
    [formatCount(0), '0'],
    [formatCount(1234), '1,234'],
    [formatCount(131_072), '131,072'],
    [formatCount(1_048_576), '1,048,576'],
    [formatCount(1234.5), '1,235'],
    [formatCount(-1234), '-1,234'],
    [formatCount(null), '—'],
    [formatCount(undefined), '—'],
    [formatNumber(12345.67, 1), '12,345.7'],
    [formatNumber(-0.04, 1), '0.0'],
    [formatNumber(Number.POSITIVE_INFINITY), '—'],
    [formatNumber(999.96, 1), '1,000.0'],
  ])('%s = %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('formatRate and formatCompact', () => {
  it.each([
    [formatRate(0), '0'],
    [formatRate(4.25), '4.3'],
    [formatRate(9.96), '10'],
    [formatRate(1234.4), '1,234'],
    [formatRate(null), '—'],
    [formatCompact(999_999), '999,999'],
    [formatCompact(7_615_616_512), '7.6B'],
    [formatCompact(1_200_000), '1.2M'],
    [formatCompact(999_960_000), '1B'],
  ])('%s = %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('counts, rates and latencies as the history section shows them', () => {
  it('groups every count however large; unknown is "—"', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(999_999)).toBe('999,999');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatRate(82.4)).toBe('82');
    expect(formatRate(1234.5)).toBe('1,235');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(formatLatency(2500)).toBe('2.50 s');
    expect(formatLatency(null)).toBe('—');
  });
});

describe('bytes', () => {
  const GiB = 1024 ** 3;

  it('uses B/KiB/MiB and "—" for unknown', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatBytes(null)).toBe('—');
  });

  it('drops a trailing .0 and shares the unit of a pair when it can', () => {
    expect(formatBytesShort(64 * GiB)).toBe('64 GiB');
    expect(formatBytesShort(62.7 * GiB)).toBe('62.7 GiB');
    expect(formatBytesShort(96 * 1024)).toBe('96 KiB');
    expect(formatBytesShort(null)).toBe('—');
    expect(formatBytesPair(41.2 * GiB, 64 * GiB)).toBe('41.2 / 64.0 GiB');
    expect(formatBytesPair(900 * 1024 ** 2, 2 * GiB)).toBe('900 MiB / 2.0 GiB');
    expect(formatBytesPair(null, 64 * GiB)).toBe('— / 64.0 GiB');
  });
});

describe('times', () => {
  it('shows local HH:MM:SS and "—" for an invalid date', () => {
    const d = new Date(2025, 0, 2, 3, 4, 5, 6); // local time
    expect(formatClock(d.toISOString())).toBe('03:04:05');
    expect(formatClock('nope')).toBe('—');
    expect(formatDateTime(d.toISOString())).toMatch(/^2025-01-02 03:04:05\.006 UTC[+-]\d\d:\d\d$/);
  });

  it('shows HH:MM today, the date too on another day, "—" when unknown', () => {
    // Local times, so the expectations hold in any time zone.
    const at = (d: number, h: number, m: number) => new Date(2025, 10, d, h, m, 30).toISOString();
    const now = new Date(2025, 10, 26, 18, 0).getTime();
    expect(formatShortTime(at(26, 13, 2), now)).toBe('13:02');
    expect(formatShortTime(at(25, 9, 5), now)).toBe('2025-11-25 09:05');
    expect(formatShortTime(null, now)).toBe('—');
    expect(formatShortTime('nope', now)).toBe('—');
  });

  it('shows a day and a time for axes and ranges', () => {
    expect(formatDayTime(new Date(2025, 10, 26, 9, 5).getTime())).toBe('26 Nov 09:05');
  });
});
