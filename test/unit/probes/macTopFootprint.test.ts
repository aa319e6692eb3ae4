import { describe, expect, it } from 'vitest';
import { parseTopFootprints } from '../../../agent/probes/macTopFootprint.js';

const M = 1024 ** 2;

// The summary block is TOP-1 from ../shared/reference/memory-and-kv.md §A.5 (real, trailing spaces
// kept); the table below it is written in top's layout: MEM left-aligned 5 wide, `+`/`-` on change.
const SUMMARY = `Processes: 561 total, 3 running, 558 sleeping, 2465 threads 
2026/05/29 00:30:10
Load Avg: 1.99, 1.87, 1.79 
CPU usage: 4.31% user, 18.96% sys, 76.72% idle 
SharedLibs: 967M resident, 151M data, 136M linkedit.
MemRegions: 162336 total, 6183M resident, 630M private, 1452M shared.
PhysMem: 19G used (2105M wired, 1510M compressor), 13G unused.
VM: 229T vsize, 5703M framework vsize, 7(0) swapins, 16(0) swapouts.
Networks: packets: 88246076/101G in, 76887271/74G out.
Disks: 119428668/2106G read, 65380891/3105G written.
`;

describe('parseTopFootprints', () => {
  it.each([
    ['one runner', `${SUMMARY}\nPID    MEM  \n1581   5154M\n`, [{ pid: 1581, footprintBytes: 5154 * M }]],
    ['serve + runner with change marks and trailing pad', `${SUMMARY}\nPID    MEM  \n812    859M+\n1581   12G- \n90     12M  \n`, [
      { pid: 812, footprintBytes: 859 * M },
      { pid: 1581, footprintBytes: 12 * 1024 ** 3 },
      { pid: 90, footprintBytes: 12 * M },
    ]],
    ['kilobytes and bytes', 'PID    MEM  \n77     512K \n78     0B   \n', [
      { pid: 77, footprintBytes: 512 * 1024 },
      { pid: 78, footprintBytes: 0 },
    ]],
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
