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
  let lines: string[] = [];
  let start = 0;
  let cut = 0;
  const last = length > 0 ? buf.lastIndexOf(0x0a, length - 1) : -1;
  if (last >= 0) {
    // One decode and one split for the whole run of complete lines: decoding line by line costs
    // more than the parsers. toString replaces invalid UTF-8 with U+FFFD instead of failing.
    const text = buf.toString('utf8', 0, last);
    lines = text.split('\n');
    if (text.includes('\r')) for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d) lines[i] = line.slice(0, -1);
    }
    start = last + 1;
  }
  // A whole buffer without a newline: the line is longer than we keep; store its head and move on.
  if (start === 0 && length >= MAX_LINE_BYTES) {
    lines.push(buf.toString('utf8', 0, MAX_LINE_BYTES));
    cut++;
    start = MAX_LINE_BYTES;
  }
  return { lines, endOffset: startOffset + start, cut };
}
