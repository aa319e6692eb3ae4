// One line of `journalctl -o json` → the entry's cursor and the log lines its MESSAGE holds.
// journalctl prints a field as a string when it is printable UTF-8, as an array of byte values when
// it is not (invalid UTF-8, control characters), and as an array of those when the entry carries
// the field more than once.
import { MAX_LINE_BYTES } from './splitLines.js';

export interface JournalEntry {
  /** Where `--after-cursor` resumes after this entry. */
  cursor: string;
  lines: string[];
  /** Lines cut at MAX_LINE_BYTES. */
  cut: number;
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
  for (const text of messageTexts(rec['MESSAGE'])) {
    for (const line of splitMessage(text)) {
      const kept = capLine(line);
      if (kept !== line) out.cut++;
      out.lines.push(kept);
    }
  }
  return out;
}

/** Every value of the field, decoded; an absent or null (too large without `--all`) field has none. */
export function messageTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  if (isByteArray(value)) return [Buffer.from(value).toString('utf8')];
  return value.flatMap((v) => messageTexts(v));
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
