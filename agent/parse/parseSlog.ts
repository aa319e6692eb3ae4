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

/**
 * Reads one token at `i`: a Go-quoted string (unquoted) or a run up to a space (or `=` when
 * `stopAtEquals`). Returns the token and the index just after it. Shared with parseGoLog.
 */
export function readGoToken(line: string, i: number, stopAtEquals: boolean): [string, number] {
  if (line[i] === '"') {
    let j = i + 1;
    while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
    return [unquoteGo(line.slice(i + 1, j)), Math.min(j + 1, line.length)];
  }
  let j = i;
  while (j < line.length && line[j] !== ' ' && !(stopAtEquals && line[j] === '=')) j++;
  return [line.slice(i, j), j];
}

export function parseSlog(line: string): SlogLine | null {
  if (!line.startsWith('time=')) return null;
  const out: SlogLine = { time: '', level: '', msg: '', attrs: {} };
  let i = 0;
  let seenLevel = false;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    const [key, afterKey] = readGoToken(line, i, true);
    if (line[afterKey] !== '=') return seenLevel ? out : null; // not key=value: the line is not slog
    const [value, next] = readGoToken(line, afterKey + 1, false);
    i = next;
    if (key === 'time') out.time = value;
    else if (key === 'level') {
      out.level = value;
      seenLevel = true;
    } else if (key === 'msg') out.msg = value;
    else if (key !== 'source') out.attrs[key] = value;
  }
  return seenLevel ? out : null;
}
