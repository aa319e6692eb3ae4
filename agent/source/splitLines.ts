// Splits a chunk of bytes read at `startOffset` into complete lines. Bytes after the last newline
// are not consumed: the caller re-reads them once their newline has been written.

export const MAX_LINE_BYTES = 1024 * 1024;

export interface SplitResult {
  lines: string[];
  /** Offset just after the last consumed byte. */
  endOffset: number;
  /** Lines cut at MAX_LINE_BYTES because no newline came in time. */
  cut: number;
}

export function splitLines(buf: Buffer, length: number, startOffset: number): SplitResult {
  const lines: string[] = [];
  let start = 0;
  let cut = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0 || nl >= length) break;
    const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    // toString replaces invalid UTF-8 with U+FFFD instead of failing.
    lines.push(buf.toString('utf8', start, end));
    start = nl + 1;
  }
  // A whole buffer without a newline: the line is longer than we keep; store its head and move on.
  if (start === 0 && length >= MAX_LINE_BYTES) {
    lines.push(buf.toString('utf8', 0, MAX_LINE_BYTES));
    cut++;
    start = MAX_LINE_BYTES;
  }
  return { lines, endOffset: startOffset + start, cut };
}
