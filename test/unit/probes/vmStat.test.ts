import { describe, expect, it } from 'vitest';
import { parseVmStat } from '../../../agent/probes/vmStat.js';
import { VM1 as VM1_FULL } from './samples.js';

// VM-1 (32 GB Apple Silicon, ./samples.js) and VM-3 (Intel, 4 KiB pages), verbatim outputs of real
// Macs, cut after the lines the parser reads.
const VM1 = VM1_FULL.replace(
  /^(Pages copy-on-write|Pages zero filled|Pages reactivated|Pages purged|Decompressions|Compressions|Pageins|Pageouts):.*\n/gm,
  '',
);

const VM3 = `Mach Virtual Memory Statistics: (page size of 4096 bytes)
Pages free:                             6317173.
Pages active:                            500364.
Pages inactive:                          648134.
Pages speculative:                       444067.
Pages wired down:                        738152.
Pages purgeable:                          12186.
Pages stored in compressor:                   0.
Pages occupied by compressor:                 0.
`;

describe('parseVmStat', () => {
  it('reads Apple Silicon pages with the 16 KiB size from the header', () => {
    const P = 16384;
    expect(parseVmStat(VM1)).toEqual({
      pageSize: P,
      freeBytes: 672496 * P,
      activeBytes: 603336 * P,
      inactiveBytes: 423203 * P,
      speculativeBytes: 189273 * P,
      wiredBytes: 138461 * P,
      compressorBytes: 99631 * P, // occupied, not the 234879 pages stored
      purgeableBytes: 23794 * P,
      anonymousBytes: 660163 * P,
      swapins: 7,
      swapouts: 16,
    });
  });

  it('reads Intel pages with 4 KiB and leaves unprinted extras null', () => {
    expect(parseVmStat(VM3)).toEqual({
      pageSize: 4096,
      freeBytes: 6317173 * 4096,
      activeBytes: 500364 * 4096,
      inactiveBytes: 648134 * 4096,
      speculativeBytes: 444067 * 4096,
      wiredBytes: 738152 * 4096,
      compressorBytes: 0,
      purgeableBytes: 12186 * 4096,
      anonymousBytes: null,
      swapins: null,
      swapouts: null,
    });
  });

  it('accepts CRLF line ends', () => {
    expect(parseVmStat(VM1.replace(/\n/g, '\r\n'))?.wiredBytes).toBe(138461 * 16384);
  });

  it.each([
    ['no header: the page size must not be guessed', VM1.split('\n').slice(1).join('\n')],
    ['zero page size', VM1.replace('16384', '0')],
    ['missing the compressor line', VM1.replace(/^Pages occupied by compressor:.*$/m, '')],
    ['missing wired down', VM1.replace(/^Pages wired down:.*$/m, '')],
    // memory_pressure prints similar rows but no vm_stat header and no "occupied by" line.
    ['memory_pressure output', 'The system has 35424890257 (2162163 pages with a page size of 16384).\n\nStats: \nPages free: 672454 \n'],
    ['empty', ''],
    ['garbage', 'vm_stat: command not found'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseVmStat(stdout)).toBeNull();
  });
});
