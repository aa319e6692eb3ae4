import { describe, expect, it } from 'vitest';
import {
  bytesStep,
  formatCount,
  formatMs,
  formatRate,
  median,
  medianSummary,
  rateSummary,
  speedupText,
  tickStepMs,
  timeTickFormatter,
} from '../../../dashboard/src/lib/history/format.js';

const HOUR = 3_600_000;

describe('ticks', () => {
  it('picks a round step giving at most 8 ticks', () => {
    expect(tickStepMs(HOUR)).toBe(10 * 60_000);
    expect(tickStepMs(24 * HOUR)).toBe(3 * HOUR);
    expect(tickStepMs(7 * 24 * HOUR)).toBe(24 * HOUR);
    expect(tickStepMs(30 * 24 * HOUR)).toBe(7 * 24 * HOUR);
    expect(tickStepMs(1000 * 24 * HOUR)).toBe(7 * 24 * HOUR);
  });

  it('formats by span: clock time, day and time, or day', () => {
    const at = new Date(2025, 10, 26, 9, 5).getTime();
    expect(timeTickFormatter(HOUR)(at)).toBe('09:05');
    expect(timeTickFormatter(7 * 24 * HOUR)(at)).toBe('26 Nov 09:05');
    expect(timeTickFormatter(30 * 24 * HOUR)(at)).toBe('26 Nov');
  });

  it('dates the first tick and the first tick of each new day when a short range crosses midnight', () => {
    const from = new Date(2025, 10, 25, 12, 0).getTime();
    const tick = timeTickFormatter(24 * HOUR, from);
    const t = (h: number) => new Date(2025, 10, 25, h, 0).getTime();
    expect(tick(t(15), null)).toBe('25 Nov 15:00');
    expect(tick(t(18), t(15))).toBe('18:00');
    expect(tick(t(24), t(21))).toBe('26 Nov 00:00');
    expect(tick(t(27), t(24))).toBe('03:00');
    // Within one day: times only.
    const sameDay = timeTickFormatter(HOUR, new Date(2025, 10, 25, 9, 0).getTime());
    expect(sameDay(new Date(2025, 10, 25, 9, 30).getTime(), null)).toBe('09:30');
  });
});

describe('byte axis', () => {
  it('steps in powers of two so ticks read as round IEC sizes', () => {
    const GiB = 2 ** 30;
    expect(bytesStep(96 * GiB)).toBe(16 * GiB);
    expect(bytesStep(33.7 * GiB)).toBe(8 * GiB);
    expect(bytesStep(3 * GiB)).toBe(GiB / 2);
    expect(bytesStep(0)).toBeUndefined();
    expect(bytesStep(Number.NaN)).toBeUndefined();
  });
});

describe('values', () => {
  it('formats rates, counts and latencies; unknown is "—"', () => {
    expect(formatRate(82.4)).toBe('82');
    expect(formatRate(1234.5)).toBe('1,235');
    expect(formatRate(4.26)).toBe('4.3');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(undefined)).toBe('—');
    expect(formatMs(2500)).toBe('2.50 s');
    expect(formatMs(null)).toBe('—');
  });

  it('takes medians', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('summaries', () => {
  it('names each series with its median', () => {
    const series = [
      { label: 'MLX', data: [{ y: 80 }, { y: null }, { y: 84 }, { y: 82 }] },
      { label: 'Metal', data: [{ y: 41 }] },
      { label: 'CPU', data: [{ y: null }] },
    ];
    expect(medianSummary('decode tok/s by backend', 'last 24 h', series)).toBe('decode tok/s by backend, last 24 h: MLX median 82, Metal 41');
    expect(medianSummary('decode tok/s by model', 'last 1 h', [])).toBe('decode tok/s by model, last 1 h: no data');
  });

  it('summarises the request rate', () => {
    expect(rateSummary('requests per minute', 'last 1 h', 240, 12)).toBe('requests per minute, last 1 h: 240 requests, peak 12/min');
    expect(rateSummary('requests per minute', 'last 1 h', 1, 1)).toBe('requests per minute, last 1 h: 1 request, peak 1.0/min');
    expect(rateSummary('requests per minute', 'last 1 h', 0, null)).toBe('requests per minute, last 1 h: no requests');
  });
});

describe('speed-up', () => {
  it('says which backend was faster and by how much', () => {
    expect(speedupText(1.94)).toBe('MLX 1.9× faster');
    expect(speedupText(0.5)).toBe('Metal 2.0× faster');
    expect(speedupText(1.02)).toBe('about the same');
  });

  it('is "—" when unknown', () => {
    expect(speedupText(null)).toBe('—');
    expect(speedupText(undefined)).toBe('—');
    expect(speedupText(0)).toBe('—');
    expect(speedupText(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
