// How large the reads of a backfill are when its lines go unsplit to the pipeline thread (issue 23).
import { describe, expect, it } from 'vitest';
import { READ_BYTES, UNSPLIT_READ_BYTES, unsplitReadBytes } from '../../agent/source/readLines.js';

const MB = 1024 * 1024;

describe('unsplitReadBytes', () => {
  it.each([
    ['the first read of a large log', 0, 500 * MB, READ_BYTES],
    ['the second', 1, 500 * MB, 2 * READ_BYTES],
    ['the third, the whole buffer', 2, 500 * MB, UNSPLIT_READ_BYTES],
    ['any later one', 40, 500 * MB, UNSPLIT_READ_BYTES],
    ['with 8 MiB left', 40, 8 * MB, 2 * MB],
    ['with 2 MiB left: never less than READ_BYTES', 40, 2 * MB, READ_BYTES],
    ['with 100 bytes left', 40, 100, READ_BYTES],
  ])('%s', (_name, reads, left, bytes) => {
    expect(unsplitReadBytes(reads, left, UNSPLIT_READ_BYTES)).toBe(bytes);
  });
});
