// Reads a log in chunks, as the tailer does, and hands over the complete lines of each.
import { closeSync, openSync, readSync } from 'node:fs';
import { splitLines } from '../dist/agent/source/splitLines.js';

/** Reads `log` in chunks of `chunkBytes` and hands over each chunk's complete lines (until onLines returns true). */
export function forEachChunk(log, onLines, chunkBytes = 1024 * 1024) {
  const fd = openSync(log, 'r');
  const buf = Buffer.alloc(chunkBytes);
  let offset = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, offset);
    if (n === 0) break;
    const { lines, endOffset } = splitLines(buf, n, offset);
    if (endOffset === offset) break;
    if (onLines(lines, endOffset) === true) break;
    offset = endOffset;
  }
  closeSync(fd);
}
