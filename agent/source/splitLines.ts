// Splits a chunk of bytes read at `startOffset` into complete lines. Bytes after the last newline
// are not consumed: the caller re-reads them once their newline has been written.
import { isAscii } from 'node:buffer';

export const MAX_LINE_BYTES = 1024 * 1024;

export interface SplitResult {
  lines: string[];
  /** Offset just after the last consumed byte. */
  endOffset: number;
  /**
   * 1 when the chunk held more than MAX_LINE_BYTES without a newline: its head is the only line and
   * `endOffset` is just after that head. The rest of that line is the caller's to skip, up to its
   * newline; splitting it again would turn it into lines Ollama never wrote.
   */
  cut: number;
}

export function splitLines(buf: Buffer, length: number, startOffset: number): SplitResult {
  let lines: string[] = [];
  let start = 0;
  let cut = 0;
  const last = length > 0 ? buf.lastIndexOf(0x0a, length - 1) : -1;
  if (last >= 0) {
    // One decode and one split for the whole run of complete lines: decoding line by line costs
    // more than the parsers. latin1 turns each byte into one character about four times faster than
    // the UTF-8 decoder (measured: 950 against 250 MB/s), so string positions are byte offsets and
    // the few lines holding other bytes (gin's `µs`, a model name) are decoded again as UTF-8, which
    // replaces invalid sequences with U+FFFD instead of failing.
    const text = buf.toString('latin1', 0, last);
    lines = text.split('\n');
    if (!isAscii(buf.subarray(0, last))) redecodeUtf8(buf, text, lines);
    if (text.includes('\r'))
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d) lines[i] = line.slice(0, -1);
      }
    start = last + 1;
  }
  // More than the cap without a newline: the line is longer than we keep; store its head.
  if (start === 0 && length > MAX_LINE_BYTES) {
    lines.push(headOf(buf));
    cut++;
    start = MAX_LINE_BYTES;
  }
  return { lines, endOffset: startOffset + start, cut };
}

const NON_ASCII = /[^\x00-\x7f]/g;

/** Replaces each line of `lines` (split from the latin1 `text` of `buf`) that holds a non-ASCII byte by its UTF-8 decoding. */
function redecodeUtf8(buf: Buffer, text: string, lines: string[]): void {
  let line = 0;
  let start = 0;
  NON_ASCII.lastIndex = 0;
  for (let m = NON_ASCII.exec(text); m !== null; m = NON_ASCII.exec(text)) {
    while (start + lines[line]!.length < m.index) start += lines[line++]!.length + 1;
    const end = start + lines[line]!.length;
    lines[line] = buf.toString('utf8', start, end);
    start = end + 1;
    line++;
    NON_ASCII.lastIndex = start;
  }
}

/** The first MAX_LINE_BYTES of a line, without the half of a character the cap may fall into. */
function headOf(buf: Buffer): string {
  let end = MAX_LINE_BYTES;
  // A continuation byte at the cap means its character began before it: leave that character out.
  while (end > MAX_LINE_BYTES - 3 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}

/** A last line without its newline (the end of a file nobody writes to any more). */
export function decodeLine(buf: Buffer, length: number): string {
  const end = length > 0 && buf[length - 1] === 0x0d ? length - 1 : length;
  return buf.toString('utf8', 0, end);
}
