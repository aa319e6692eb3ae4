import { describe, expect, it } from 'vitest';
import { parseTopFootprints } from '../../../agent/probes/macTopFootprint.js';
import { TOP1_SUMMARY as SUMMARY } from './samples.js';

const M = 1024 ** 2;

// The summary block is TOP-1 (./samples.js); the table below it is written in top's
// layout: MEM left-aligned 5 wide, `+`/`-` on change.

describe('parseTopFootprints', () => {
  it.each([
    ['one runner', `${SUMMARY}\nPID    MEM  \n1581   5154M\n`, [{ pid: 1581, footprintBytes: 5154 * M }]],
    [
      'serve + runner with change marks and trailing pad',
      `${SUMMARY}\nPID    MEM  \n812    859M+\n1581   12G- \n90     12M  \n`,
      [
        { pid: 812, footprintBytes: 859 * M },
        { pid: 1581, footprintBytes: 12 * 1024 ** 3 },
        { pid: 90, footprintBytes: 12 * M },
      ],
    ],
    [
      'kilobytes and bytes',
      'PID    MEM  \n77     512K \n78     0B   \n',
      [
        { pid: 77, footprintBytes: 512 * 1024 },
        { pid: 78, footprintBytes: 0 },
      ],
    ],
    ['fractional size', 'PID    MEM\n5      1.5G\n', [{ pid: 5, footprintBytes: 1.5 * 1024 ** 3 }]],
    ['starred pid', 'PID    MEM\n42*    3M\n', [{ pid: 42, footprintBytes: 3 * M }]],
    ['table without rows', `${SUMMARY}\nPID    MEM  \n`, []],
  ])('%s', (_name, stdout, want) => {
    expect(parseTopFootprints(stdout)).toEqual(want);
  });

  it.each([
    // The summary has size-looking tokens (`19G used`); without the table nothing may be returned.
    ['summary only', SUMMARY],
    ['row without unit', 'PID    MEM\n1581   5154\n'],
    ['row with an extra column', 'PID    MEM\n1581   5154M  0B\n'],
    ['unknown unit', 'PID    MEM\n1581   5154X\n'],
    ['empty', ''],
    ['garbage', 'invalid argument for -pid: abc'],
  ])('rejects %s', (_name, stdout) => {
    expect(parseTopFootprints(stdout)).toBeNull();
  });
});
