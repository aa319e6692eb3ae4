import { describe, expect, it } from 'vitest';
import { parseMacCpuBrand } from '../../../agent/probes/macCpuBrand.js';
import { parseMacMemoryLevel } from '../../../agent/probes/macMemoryLevel.js';
import { parseMacMemsize } from '../../../agent/probes/macMemsize.js';
import { parseMacPressureLevel } from '../../../agent/probes/macPressureLevel.js';
import { parseMacWiredLimit } from '../../../agent/probes/macWiredLimit.js';

const MIB = 1024 ** 2;

// Samples marked "real" are verbatim outputs of real Macs; the others are written variants of the same shapes.

describe('parseMacPressureLevel', () => {
  it.each([
    ['real -n output, normal', '1\n', 'normal'],
    ['real -n output, warn', '2\n', 'warn'],
    ['real -n output, critical', '4\n', 'critical'],
    ['real named form (SYS-2)', 'kern.memorystatus_vm_pressure_level: 4\n', 'critical'],
    [
      'real multi-sysctl call (SYS-3)',
      'vm.memory_pressure: 231\nkern.memorystatus_vm_pressure_level: 2\nkern.memorystatus_level: 38\n',
      'warn',
    ],
  ] as const)('%s', (_name, stdout, want) => {
    expect(parseMacPressureLevel(stdout)).toBe(want);
  });

  it.each([
    ['0 (not a dispatch level)', '0'],
    ['3 (internal index, not a dispatch level)', '3'],
    ['8', '8'],
    ['empty (unknown oid went to stderr)', ''],
    ['another sysctl only', 'vm.memory_pressure: 1\n'],
    ['prototype key', 'constructor'],
    ['garbage', 'sysctl: unknown oid'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacPressureLevel(stdout)).toBeNull();
  });
});

describe('parseMacMemoryLevel', () => {
  it.each([
    ['real MP-4 value', '37\n', 37],
    ['real named form (SYS-3)', 'kern.memorystatus_level: 38\n', 38],
    ['zero', '0', 0],
    ['hundred', '100', 100],
  ])('%s', (_name, stdout, want) => {
    expect(parseMacMemoryLevel(stdout)).toBe(want);
  });

  it.each([
    ['over 100', '101'],
    ['negative', '-1'],
    ['percent sign', '37%'],
    ['empty', ''],
    ['garbage', 'abc'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacMemoryLevel(stdout)).toBeNull();
  });
});

describe('parseMacMemsize', () => {
  it.each([
    ['real 24 GB M4, named', 'hw.memsize: 26568667693\nhw.memsize_usable: 25676471107\n', 26568667693],
    ['real 32 GB mini, -n', '35424890257\n', 35424890257],
    ['32 GiB exactly', '34359738368', 34359738368],
  ])('%s', (_name, stdout, want) => {
    expect(parseMacMemsize(stdout)).toBe(want);
  });

  it.each([
    ['zero', '0'],
    ['only memsize_usable (not the asked name)', 'hw.memsize_usable: 25676471107\n'],
    ['decimal', '1.5e10'],
    ['unsafe integer', '99999999999999999999'],
    ['empty', ''],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacMemsize(stdout)).toBeNull();
  });
});

describe('parseMacWiredLimit', () => {
  it.each([
    ['real 0 = system default', 'iogpu.wired_limit_mb: 0\n', { limitBytes: null }],
    ['-n 0', '0\n', { limitBytes: null }],
    ['override (value from llmfit#570)', '26805\n', { limitBytes: 26805 * MIB }],
    ['override, named', 'iogpu.wired_limit_mb: 14433\n', { limitBytes: 14433 * MIB }],
  ])('%s', (_name, stdout, want) => {
    expect(parseMacWiredLimit(stdout)).toEqual(want);
  });

  it.each([
    ['Intel: unknown oid leaves stdout empty', ''],
    ['the output of setting it, not reading it', 'iogpu.wired_limit_mb: 0 -> 14433\n'],
    ['negative', '-1'],
    ['garbage', 'default'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacWiredLimit(stdout)).toBeNull();
  });
});

describe('parseMacCpuBrand', () => {
  it.each([
    ['Apple Silicon', 'Apple M4 Pro\n', 'Apple M4 Pro'],
    ['named form', 'machdep.cpu.brand_string: Apple M2 Max\n', 'Apple M2 Max'],
    ['Intel with padding', 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz  \n', 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz'],
    ['inner padding collapsed', 'Intel(R) Xeon(R) CPU   E5-1650 v2 @ 3.50GHz', 'Intel(R) Xeon(R) CPU E5-1650 v2 @ 3.50GHz'],
  ])('%s', (_name, stdout, want) => {
    expect(parseMacCpuBrand(stdout)).toBe(want);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '  \n'],
    ['several lines without the name', 'Apple M4\nApple M4\n'],
    ['another sysctl', 'hw.model: Mac14,12\n'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseMacCpuBrand(stdout)).toBeNull();
  });
});
