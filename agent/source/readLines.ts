// Reads one open file from an offset up to a known size, in chunks of complete lines. A line over
// MAX_LINE_BYTES is cut: its head is the line, and everything after it up to its newline is skipped
// in the same chunk, so the cut line and the skipped rest commit together (a restart never sees
// the rest as lines of its own).
import { readSync } from 'node:fs';
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
/** The first read of unsplit lines (ReadLinesOptions.unsplit), and the least any of them takes. */
export const FIRST_UNSPLIT_READ_BYTES = 64 * 1024;
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
  /** READ_BYTES long. */
  buf: Buffer;
  scan: LongLineScan;
  /** Complete lines are handed over as their bytes (`raw`) and counted, not split into strings. */
  unsplit?: boolean;
  /**
   * True when the next read is to be synchronous (a few milliseconds from the page cache). While
   * batches are being parsed on another thread, an asynchronous read is answered only once every
   * batch that thread has finished is stored, and the thread idles meanwhile; with none there, the
   * event loop needs the turn an asynchronous read gives it between batches.
   */
  readNow?: () => boolean;
}

/**
 * How much an unsplit read takes: FIRST_UNSPLIT_READ_BYTES for the first one, twice as much each
 * time after it up to READ_BYTES, and no more than a quarter of what is left. A consumer that parses
 * on another thread waits for the first batch, and leaves that thread idle while it stores the last
 * one: both waits stay short while the middle of a large log goes in reads of READ_BYTES. No larger:
 * a batch's records live until its commit, and in batches of 4 MiB a collection of the young
 * generation found more of them still alive, so that each thread moved 6–10 times as many bytes to the
 * old generation (84 and 139 against 14 and 6 MB over a 256 MB backfill) and the backfill ran 8–14 %
 * slower.
 */
export function unsplitReadBytes(reads: number, left: number): number {
  const ramp = FIRST_UNSPLIT_READ_BYTES * 2 ** Math.min(reads, 5);
  return Math.max(FIRST_UNSPLIT_READ_BYTES, Math.min(READ_BYTES, ramp, Math.floor(left / 4)));
}

export async function* readLines(o: ReadLinesOptions): AsyncGenerator<LineChunk> {
  let offset = o.from;
  let reads = 0;
  while (offset < o.size) {
    const want = o.unsplit === true ? unsplitReadBytes(reads++, o.size - offset) : o.buf.length;
    let ask = Math.min(want, o.size - offset);
    let bytesRead = await read(o, ask, offset);
    if (bytesRead === 0) return;
    if (o.unsplit === true) {
      let whole = completeLines(o.buf, bytesRead);
      if (whole.end === 0 && bytesRead === ask && ask < READ_BYTES && offset + ask < o.size) {
        // A short read that holds no whole line: read again as much as any line is read with.
        ask = Math.min(READ_BYTES, o.size - offset);
        bytesRead = await read(o, ask, offset);
        if (bytesRead === 0) return;
        whole = completeLines(o.buf, bytesRead);
      }
      if (whole.end > 0) {
        // Exactly what splitLines would give for these bytes, left for the consumer to split.
        yield { lines: [], unsplit: whole.count, cut: 0, endOffset: offset + whole.end, raw: o.buf.subarray(0, whole.end) };
        offset += whole.end;
        continue;
      }
    }
    // A read of READ_BYTES at most from here, whatever the buffer: a line too long to keep starts it.
    const length = Math.min(bytesRead, READ_BYTES);
    const split = splitLines(o.buf, length, offset);
    if (split.cut > 0) {
      // The bytes read hold no newline; look for it after them.
      const nl = await findNewline(o, offset, offset + length);
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
      yield { lines: [decodeLine(o.buf, length)], cut: 0, endOffset: offset + length };
      return;
    }
  }
}

/** Reads `ask` bytes at `offset` into o.buf, synchronously when o.readNow says so. */
async function read(o: ReadLinesOptions, ask: number, offset: number): Promise<number> {
  return o.readNow?.() === true ? readSync(o.fh.fd, o.buf, 0, ask, offset) : (await o.fh.read(o.buf, 0, ask, offset)).bytesRead;
}

/**
 * The complete lines at the start of buf[0, length): where they end and how many, up to (not
 * including) the first one longer than MAX_LINE_BYTES, which a read of READ_BYTES starting at it
 * cuts, as it would have without unsplit. A memchr per line: a tenth of the cost of splitting.
 */
function completeLines(buf: Buffer, length: number): { end: number; count: number } {
  let end = 0;
  let count = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1 && nl < length; nl = buf.indexOf(0x0a, end)) {
    if (nl - end > MAX_LINE_BYTES) break;
    count++;
    end = nl + 1;
  }
  return { end, count };
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
