import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../../agent/probes/meminfo.js';
import { MEMINFO as REAL } from './samples.js';

describe('parseMeminfo', () => {
  it('converts kB (KiB) to bytes', () => {
    expect(parseMeminfo(REAL)).toEqual({
      totalBytes: 16773009 * 1024,
      freeBytes: 360239 * 1024,
      availableBytes: 8625638 * 1024,
      buffersBytes: 550883 * 1024,
      cachedBytes: 7327684 * 1024,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
  });

  it('does not let SwapCached or Active(file) stand in for Cached', () => {
    const text = 'MemTotal: 1000 kB\nMemFree: 10 kB\nCached: 300 kB\nSwapCached: 7 kB\nActive(file): 9 kB\nHugePages_Total:       0\n';
    expect(parseMeminfo(text)?.cachedBytes).toBe(300 * 1024);
  });

  it('leaves MemAvailable null on kernels before 3.14 rather than guessing', () => {
    const old = 'MemTotal:        2048000 kB\nMemFree:          512000 kB\nSwapTotal:       1048572 kB\nSwapFree:        1048572 kB\n';
    expect(parseMeminfo(old)).toEqual({
      totalBytes: 2048000 * 1024,
      freeBytes: 512000 * 1024,
      availableBytes: null,
      buffersBytes: null,
      cachedBytes: null,
      swapTotalBytes: 1048572 * 1024,
      swapFreeBytes: 1048572 * 1024,
    });
  });

  it.each([
    ['missing MemTotal', REAL.replace(/^MemTotal:.*$/m, '')],
    ['missing MemFree', REAL.replace(/^MemFree:.*$/m, '')],
    ['zero MemTotal', REAL.replace('16773009', '0')],
    ['values in another unit', 'MemTotal: 16 GB\nMemFree: 1 GB\n'],
    ['empty', ''],
    ['garbage', 'cat: /proc/meminfo: No such file or directory'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMeminfo(stdout)).toBeNull();
  });
});
