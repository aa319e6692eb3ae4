// How large the reads of a backfill are when its lines go unsplit to the pipeline thread (issue 23).
import { describe, expect, it } from 'vitest';
import { FIRST_UNSPLIT_READ_BYTES, READ_BYTES, unsplitReadBytes } from '../../agent/source/readLines.js';

const KB = 1024;
const MB = 1024 * KB;

describe('unsplitReadBytes', () => {
  it.each([
    ['the first read of a large log', 0, 500 * MB, 64 * KB],
    ['the second', 1, 500 * MB, 128 * KB],
    ['the fifth', 4, 500 * MB, MB],
    ['the sixth: READ_BYTES, a whole line of the longest kept', 5, 500 * MB, READ_BYTES],
    ['any later one: never more than READ_BYTES', 40, 500 * MB, READ_BYTES],
    ['with 2 MiB left', 40, 2 * MB, 512 * KB],
    ['with 100 KiB left: never less than the first read', 40, 100 * KB, FIRST_UNSPLIT_READ_BYTES],
    ['with 100 bytes left', 40, 100, FIRST_UNSPLIT_READ_BYTES],
  ])('%s', (_name, reads, left, bytes) => {
    expect(unsplitReadBytes(reads, left)).toBe(bytes);
  });
});
