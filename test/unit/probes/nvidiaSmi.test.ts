import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi } from '../../../agent/probes/nvidiaSmi.js';

const MIB = 1024 ** 2;

// Written in nvidia-smi's csv,noheader,nounits layout (`, ` separators, MiB). The `[N/A]` case
// follows real captures on unified-memory parts (GB10), which print it for every memory field.
describe('parseNvidiaSmi', () => {
  it.each([
    [
      'one GPU',
      'NVIDIA GeForce RTX 4090, 24564, 3\n',
      [{ name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24564 * MIB, memoryUsedBytes: 3 * MIB }],
    ],
    [
      'two GPUs, one line each',
      'NVIDIA A100-SXM4-80GB, 81920, 40200\nNVIDIA A100-SXM4-80GB, 81920, 0\n',
      [
        { name: 'NVIDIA A100-SXM4-80GB', memoryTotalBytes: 81920 * MIB, memoryUsedBytes: 40200 * MIB },
        { name: 'NVIDIA A100-SXM4-80GB', memoryTotalBytes: 81920 * MIB, memoryUsedBytes: 0 },
      ],
    ],
    [
      'unified memory reports [N/A]',
      'NVIDIA GB10, [N/A], [N/A]\n',
      [{ name: 'NVIDIA GB10', memoryTotalBytes: null, memoryUsedBytes: null }],
    ],
    [
      'a comma inside the name does not shift the numbers',
      'Acme GPU, rev 2, 8192, 100\r\n',
      [{ name: 'Acme GPU, rev 2', memoryTotalBytes: 8192 * MIB, memoryUsedBytes: 100 * MIB }],
    ],
  ])('%s', (_name, stdout, want) => {
    expect(parseNvidiaSmi(stdout)).toEqual(want);
  });

  it.each([
    [
      'driver error',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
    ],
    ['units left in (no nounits)', 'NVIDIA GeForce RTX 4090, 24564 MiB, 3 MiB\n'],
    ['header left in', 'name, memory.total [MiB], memory.used [MiB]\nNVIDIA GeForce RTX 4090, 24564, 3\n'],
    ['missing a column', 'NVIDIA GeForce RTX 4090, 24564\n'],
    ['empty name', ', 24564, 3\n'],
    ['no GPUs', ''],
  ])('rejects %s', (_name, stdout) => {
    expect(parseNvidiaSmi(stdout)).toBeNull();
  });
});
