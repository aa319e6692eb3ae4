import { describe, expect, it } from 'vitest';
import { parseMacSwapUsage } from '../../../agent/probes/macSwapUsage.js';
import { SWAPUSAGE_DECIMAL_COMMA, SYS3_SWAPUSAGE } from './samples.js';

// "real" samples are verbatim outputs of real Macs (./samples.js).
describe('parseMacSwapUsage', () => {
  it.each([
    [
      'written, -n form',
      'total = 2048.00M  used = 1024.50M  free = 1023.50M  (encrypted)\n',
      { totalBytes: 2147483648, usedBytes: 1074266112, freeBytes: 1073217536, encrypted: true },
    ],
    [
      'real 24 GB M4 under pressure',
      `${SYS3_SWAPUSAGE}\n`,
      { totalBytes: 15497953280, usedBytes: 14337242563, freeBytes: 1126107709, encrypted: true },
    ],
    [
      'real walles/px#80',
      'vm.swapusage: total = 4096.00M  used = 2743.50M  free = 1352.50M  (encrypted)',
      { totalBytes: 4294967296, usedBytes: 2876768256, freeBytes: 1418199040, encrypted: true },
    ],
    [
      'real decimal-comma locale',
      SWAPUSAGE_DECIMAL_COMMA,
      { totalBytes: 1073741824, usedBytes: 397672448, freeBytes: 676069376, encrypted: true },
    ],
    [
      'no swap yet, not encrypted',
      'vm.swapusage: total = 0.00M  used = 0.00M  free = 0.00M',
      { totalBytes: 0, usedBytes: 0, freeBytes: 0, encrypted: false },
    ],
    [
      'gigabyte and kilobyte units',
      'total = 1.50G  used = 512.00K  free = 1.00G  (encrypted)',
      { totalBytes: 1610612736, usedBytes: 524288, freeBytes: 1073741824, encrypted: true },
    ],
  ])('%s', (_name, stdout, want) => {
    expect(parseMacSwapUsage(stdout)).toEqual(want);
  });

  it.each([
    ['missing free', 'vm.swapusage: total = 1024.00M  used = 379.25M'],
    ['no unit', 'vm.swapusage: total = 1024.00  used = 379.25  free = 644.75'],
    ['two decimal separators', 'vm.swapusage: total = 1.024,00M  used = 379,25M  free = 644,75M'],
    ['another sysctl', 'vm.memory_pressure: 231'],
    ['empty', ''],
    ['garbage', "sysctl: unknown oid 'vm.swapusage'"],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacSwapUsage(stdout)).toBeNull();
  });
});
