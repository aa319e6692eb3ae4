// One line of `journalctl -o json` → the entry's cursor and the log lines its MESSAGE holds.
// journalctl prints a field as a string when it is printable UTF-8, as an array of byte values when
// it is not (invalid UTF-8, control characters), and as an array of those when the entry carries
// the field more than once. Nothing deeper: a MESSAGE nested further is not journalctl's output
// (a damaged or crafted line), and is counted as malformed instead of being walked.
import { MAX_LINE_BYTES } from './splitLines.js';

export interface JournalEntry {
  /** Where `--after-cursor` resumes after this entry. */
  cursor: string;
  lines: string[];
  /** Lines cut at MAX_LINE_BYTES. */
  cut: number;
  /** MESSAGE had a shape journalctl never prints: its lines are skipped, its cursor still counts. */
  malformed?: true;
}

/** Null for a line that is not a journal entry with a cursor (nothing to resume from, so nothing to count). */
export function parseJournalLine(json: string): JournalEntry | null {
  let obj: unknown;
  try {
    obj = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null) return null;
  const rec = obj as Record<string, unknown>;
  const cursor = rec['__CURSOR'];
  if (typeof cursor !== 'string' || cursor === '') return null;
  const out: JournalEntry = { cursor, lines: [], cut: 0 };
  const texts = messageTexts(rec['MESSAGE']);
  if (texts === null) return { ...out, malformed: true };
  for (const text of texts) {
    for (const line of splitMessage(text)) {
      const kept = capLine(line);
      if (kept !== line) out.cut++;
      out.lines.push(kept);
    }
  }
  return out;
}

/**
 * Every value of the field, decoded; an absent or null (too large without `--all`) field has none.
 * Null when the field is nested deeper than journalctl nests it (an array of values, each a string or
 * an array of bytes): walking an arbitrarily deep array would overflow the stack.
 */
export function messageTexts(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : null;
  if (isByteArray(value)) return [Buffer.from(value).toString('utf8')];
  const out: string[] = [];
  for (const v of value) {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v) && isByteArray(v)) out.push(Buffer.from(v).toString('utf8'));
    else return null;
  }
  return out;
}

function isByteArray(value: unknown[]): value is number[] {
  // An empty array is an empty binary value, not "no values": both decode to nothing useful, and
  // treating it as bytes yields the one empty line such an entry stands for.
  return value.every((v) => typeof v === 'number');
}

/** A message may span lines; a trailing newline ends the last line rather than adding an empty one. */
export function splitMessage(text: string): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Keeps at most MAX_LINE_BYTES of UTF-8, never splitting a character. Same string when it fits. */
export function capLine(line: string): string {
  // Cheap exit: a string of n UTF-16 units has at most 3n UTF-8 bytes.
  if (line.length * 3 <= MAX_LINE_BYTES) return line;
  const buf = Buffer.from(line, 'utf8');
  if (buf.length <= MAX_LINE_BYTES) return line;
  let end = MAX_LINE_BYTES;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}
