// Reads one open file from an offset up to a known size, in chunks of complete lines. A line over
// MAX_LINE_BYTES is cut: its head is the line, and everything after it up to its newline is skipped
// in the same chunk, so the cut line and the skipped rest commit together (a restart never sees
// the rest as lines of its own).
import type { FileHandle } from 'node:fs/promises';
import { decodeLine, MAX_LINE_BYTES, splitLines } from './splitLines.js';

export interface LineChunk {
  /** Empty when the chunk was left unsplit: `raw` holds `unsplit` lines. */
  lines: string[];
  unsplit?: number;
  /** Lines cut at MAX_LINE_BYTES. */
  cut: number;
  /** Offset just after the chunk. */
  endOffset: number;
  /** The bytes `lines` were split from, when that is all the chunk holds; valid until the next read. */
  raw?: Uint8Array;
}

/** Room for a line of exactly MAX_LINE_BYTES and its newline. */
export const READ_BYTES = MAX_LINE_BYTES + 1;
const SCAN_BYTES = 64 * 1024;

/**
 * Where the search for the newline of a long line got to, so a line still being written is not
 * scanned from its start on every append. In memory only: after a restart the scan starts over.
 */
export interface LongLineScan {
  key: string | null;
  scannedTo: number;
}

export interface ReadLinesOptions {
  fh: FileHandle;
  /** Identity of the file, to tell its long lines from another file's in `scan`. */
  identity: string;
  size: number;
  from: number;
  /** Nobody writes to this file any more: a last line without a newline is complete. */
  final: boolean;
  buf: Buffer;
  scan: LongLineScan;
  /** Complete lines are handed over as their bytes (`raw`) and counted, not split into strings. */
  unsplit?: boolean;
}

export async function* readLines(o: ReadLinesOptions): AsyncGenerator<LineChunk> {
  let offset = o.from;
  while (offset < o.size) {
    const { bytesRead } = await o.fh.read(o.buf, 0, Math.min(o.buf.length, o.size - offset), offset);
    if (bytesRead === 0) return;
    if (o.unsplit === true) {
      const last = o.buf.lastIndexOf(0x0a, bytesRead - 1);
      if (last >= 0) {
        // Exactly what splitLines would give for these bytes, left for the consumer to split.
        yield { lines: [], unsplit: countNewlines(o.buf, last), cut: 0, endOffset: offset + last + 1, raw: o.buf.subarray(0, last + 1) };
        offset += last + 1;
        continue;
      }
    }
    const split = splitLines(o.buf, bytesRead, offset);
    if (split.cut > 0) {
      // The bytes read hold no newline; look for it after them.
      const nl = await findNewline(o, offset, offset + bytesRead);
      if (nl < 0 && !o.final) return; // the rest of the line is still being written
      const end = nl < 0 ? o.size : nl + 1;
      yield { lines: split.lines, cut: split.cut, endOffset: end };
      offset = end;
    } else if (split.endOffset > offset) {
      yield { lines: split.lines, cut: 0, endOffset: split.endOffset, raw: o.buf.subarray(0, split.endOffset - offset) };
      offset = split.endOffset;
    } else {
      // Only a partial line: wait for its newline, unless no newline can come any more.
      if (!o.final) return;
      yield { lines: [decodeLine(o.buf, bytesRead)], cut: 0, endOffset: offset + bytesRead };
      return;
    }
  }
}

/** Newlines in buf[0..last], `last` being one (memchr per line: a tenth of the cost of splitting). */
function countNewlines(buf: Buffer, last: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1 && i <= last; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Offset of the first newline at or after `from`, or -1 before `size`. */
async function findNewline(o: ReadLinesOptions, lineStart: number, from: number): Promise<number> {
  const key = `${o.identity}@${lineStart}`;
  let at = o.scan.key === key ? Math.max(from, o.scan.scannedTo) : from;
  const buf = Buffer.alloc(SCAN_BYTES);
  while (at < o.size) {
    const { bytesRead } = await o.fh.read(buf, 0, Math.min(SCAN_BYTES, o.size - at), at);
    if (bytesRead === 0) break;
    const i = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (i >= 0) {
      o.scan.key = null;
      return at + i;
    }
    at += bytesRead;
  }
  o.scan.key = key;
  o.scan.scannedTo = at;
  return -1;
}

/** Where reading "only new lines" starts: after the last newline (a partial line still being written is new). */
export async function endOfLastLine(fh: FileHandle, size: number, buf: Buffer): Promise<number> {
  const start = Math.max(0, size - buf.length);
  const { bytesRead } = await fh.read(buf, 0, size - start, start);
  const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
  if (nl >= 0) return start + nl + 1;
  // No newline in the last READ_BYTES: the file ends inside a line too long to keep anyway.
  return start === 0 ? 0 : size;
}
