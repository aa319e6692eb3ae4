// Go's log/slog TextHandler lines: `time=… level=… source=file.go:NN msg=… key=value …`.
// Keys and values are Go-quoted (strconv.Quote) when they hold spaces, `"` or `=`, so a key may be
// quoted too (`"model layers"=29`). Values stay strings; the correlator decides what they mean.
import { unquoteGo } from './goQuote.js';

export interface SlogLine {
  time: string;
  level: string;
  msg: string;
  /** All attributes except time, level, source and msg, in order; later duplicates win. */
  attrs: Record<string, string>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const EQUALS = 0x3d;

/** Index of the `"` closing a Go-quoted string whose opening quote is at `i`, or the line's length. */
function closingQuote(line: string, i: number): number {
  let j = i + 1;
  for (;;) {
    j = line.indexOf('"', j);
    if (j < 0) return line.length;
    let k = j - 1;
    while (k > i && line.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j; // an even run of backslashes does not escape the quote
    j++;
  }
}

/** End of an unquoted token at `i`: the next space (or `=` when `stopAtEquals`). */
function bareEnd(line: string, i: number, stopAtEquals: boolean): number {
  const sp = line.indexOf(' ', i);
  const end = sp < 0 ? line.length : sp;
  if (!stopAtEquals) return end;
  const eq = line.indexOf('=', i);
  return eq >= 0 && eq < end ? eq : end;
}

/**
 * Reads one token at `i`: a Go-quoted string (unquoted) or a run up to a space (or `=` when
 * `stopAtEquals`). Returns the token and the index just after it. Shared with parseGoLog.
 */
export function readGoToken(line: string, i: number, stopAtEquals: boolean): [string, number] {
  if (line.charCodeAt(i) === QUOTE) {
    const j = closingQuote(line, i);
    return [unquoteGo(line.slice(i + 1, j)), Math.min(j + 1, line.length)];
  }
  const j = bareEnd(line, i, stopAtEquals);
  return [line.slice(i, j), j];
}

// Runs on every slog line Ollama writes that carries a fact: indexOf and charCodeAt, no per-token tuples.
export function parseSlog(line: string): SlogLine | null {
  if (!line.startsWith('time=')) return null;
  const out: SlogLine = { time: '', level: '', msg: '', attrs: {} };
  const n = line.length;
  let i = 0;
  let seenLevel = false;
  while (i < n) {
    while (line.charCodeAt(i) === SPACE) i++;
    if (i >= n) break;
    let key: string;
    let afterKey: number;
    if (line.charCodeAt(i) === QUOTE) {
      const j = closingQuote(line, i);
      key = unquoteGo(line.slice(i + 1, j));
      afterKey = Math.min(j + 1, n);
    } else {
      afterKey = bareEnd(line, i, true);
      key = line.slice(i, afterKey);
    }
    if (line.charCodeAt(afterKey) !== EQUALS) return seenLevel ? out : null; // not key=value: the line is not slog
    const v = afterKey + 1;
    let value: string;
    if (line.charCodeAt(v) === QUOTE) {
      const j = closingQuote(line, v);
      value = unquoteGo(line.slice(v + 1, j));
      i = Math.min(j + 1, n);
    } else {
      i = bareEnd(line, v, false);
      value = line.slice(v, i);
    }
    if (key === 'time') out.time = value;
    else if (key === 'level') {
      out.level = value;
      seenLevel = true;
    } else if (key === 'msg') out.msg = value;
    else if (key !== 'source') out.attrs[key] = value;
  }
  return seenLevel ? out : null;
}
