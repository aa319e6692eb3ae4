import { describe, expect, it } from 'vitest';
import { parsePsi, PSI_THRESHOLDS, psiPressureLevel } from '../../../agent/probes/psi.js';
import type { Psi } from '../../../agent/probes/types.js';
import { PSI_IDLE as IDLE, PSI_THRASHING as THRASHING } from './samples.js';

describe('parsePsi', () => {
  it('reads an idle system', () => {
    expect(parsePsi(IDLE)).toEqual({
      some: { avg10: 0, avg60: 0, avg300: 0, totalUs: 0 },
      full: { avg10: 0, avg60: 0, avg300: 0, totalUs: 0 },
    });
  });

  it('reads a thrashing system', () => {
    expect(parsePsi(THRASHING)).toEqual({
      some: { avg10: 70.24, avg60: 68.52, avg300: 69.91, totalUs: 3669981445 },
      full: { avg10: 57.59, avg60: 58.06, avg300: 60.38, totalUs: 3402802362 },
    });
  });

  it('reads a cgroup v2 memory.pressure (same format, written sample)', () => {
    const cgroup = 'some avg10=12.50 avg60=3.10 avg300=0.80 total=91234567\nfull avg10=1.20 avg60=0.30 avg300=0.07 total=8123456\n';
    expect(parsePsi(cgroup)?.some.avg10).toBe(12.5);
    expect(parsePsi(cgroup)?.full?.totalUs).toBe(8123456);
  });

  it('tolerates a missing full line', () => {
    expect(parsePsi('some avg10=1.00 avg60=2.00 avg300=3.00 total=4')).toEqual({
      some: { avg10: 1, avg60: 2, avg300: 3, totalUs: 4 },
      full: null,
    });
  });

  it.each([
    ['only full', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=0'],
    ['missing avg300', 'some avg10=0.00 avg60=0.00 total=0'],
    ['unknown line', `${IDLE}other avg10=0.00 avg60=0.00 avg300=0.00 total=0`],
    ['negative', 'some avg10=-1.00 avg60=0.00 avg300=0.00 total=0'],
    ['EOPNOTSUPP text', 'cat: /proc/pressure/memory: Operation not supported'],
    ['empty', ''],
  ])('rejects %s', (_name, stdout) => {
    expect(parsePsi(stdout)).toBeNull();
  });
});

describe('psiPressureLevel', () => {
  const psi = (some: number, full: number | null): Psi => ({
    some: { avg10: some, avg60: 0, avg300: 0, totalUs: 0 },
    full: full === null ? null : { avg10: full, avg60: 0, avg300: 0, totalUs: 0 },
  });
  const { warn, critical } = PSI_THRESHOLDS;

  it('maps the real samples', () => {
    expect(psiPressureLevel(parsePsi(IDLE)!)).toBe('normal');
    expect(psiPressureLevel(parsePsi(THRASHING)!)).toBe('critical');
  });

  it('documents thresholds that are ordered and below systemd-oomd’s 60 % default', () => {
    expect(warn.someAvg10).toBeLessThan(critical.someAvg10);
    expect(critical.someAvg10).toBeLessThan(60);
    expect(critical.fullAvg10).toBeLessThan(60);
  });

  // Literal readings pin the numbers the comment in psi.ts documents, so changing one is deliberate.
  it.each([
    ['some 9.99 %', psi(9.99, 0), 'normal'],
    ['some 10 %', psi(10, 0), 'warn'],
    ['some 49.99 %, full 9.99 %', psi(49.99, 9.99), 'warn'],
    ['some 50 %', psi(50, 0), 'critical'],
    ['full 10 %', psi(10, 10), 'critical'],
  ] as const)('documented threshold: %s', (_name, reading, want) => {
    expect(psiPressureLevel(reading)).toBe(want);
  });

  it.each([
    ['just below warn', psi(warn.someAvg10 - 0.01, 0), 'normal'],
    ['at warn', psi(warn.someAvg10, 0), 'warn'],
    ['some high but below critical', psi(critical.someAvg10 - 0.01, critical.fullAvg10 - 0.01), 'warn'],
    ['full at critical', psi(warn.someAvg10, critical.fullAvg10), 'critical'],
    ['some at critical, no full line', psi(critical.someAvg10, null), 'critical'],
    ['some below warn, no full line', psi(0.5, null), 'normal'],
  ] as const)('%s', (_name, reading, want) => {
    expect(psiPressureLevel(reading)).toBe(want);
  });
});
