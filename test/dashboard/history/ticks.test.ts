import { describe, expect, it } from 'vitest';
import { bytesStep, tickStepMs, timeTickFormatter } from '../../../dashboard/src/lib/history/ticks.js';

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
