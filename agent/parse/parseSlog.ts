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

/** The text of a token span: a quoted one (start stored as `~start`) is unquoted. */
function spanText(line: string, start: number, end: number): string {
  return start < 0 ? unquoteGo(line.slice(~start, end)) : line.slice(start, end);
}

// The keys slog writes itself; they are fields of the record, never attributes.
const ATTR = 0;
const TIME = 1;
const LEVEL = 2;
const MSG = 3;
const SOURCE = 4;

function keyKind(line: string, start: number, end: number): number {
  if (start < 0) {
    const key = unquoteGo(line.slice(~start, end));
    return key === 'time' ? TIME : key === 'level' ? LEVEL : key === 'msg' ? MSG : key === 'source' ? SOURCE : ATTR;
  }
  switch (end - start) {
    case 3:
      return line.startsWith('msg', start) ? MSG : ATTR;
    case 4:
      return line.startsWith('time', start) ? TIME : ATTR;
    case 5:
      return line.startsWith('level', start) ? LEVEL : ATTR;
    case 6:
      return line.startsWith('source', start) ? SOURCE : ATTR;
    default:
      return ATTR;
  }
}

/**
 * One slog line with its attributes left in place as spans of the line: a handler reads the two or
 * three it needs instead of every key and value being sliced into a fresh object (which costs V8 a
 * dictionary store per key).
 */
export class SlogRecord {
  time = '';
  level = '';
  msg = '';
  /** Per attribute: key start, key end, value start, value end. A quoted token's start is stored as `~start`. */
  readonly spans: number[] = [];

  constructor(readonly line: string) {}

  /** The attribute's value; the last one wins when a key repeats. */
  get(key: string): string | undefined {
    const { line, spans } = this;
    for (let i = spans.length - 4; i >= 0; i -= 4) {
      const ks = spans[i]!;
      const ke = spans[i + 1]!;
      const same =
        ks < 0
          ? unquoteGo(line.slice(~ks, ke)) === key
          : ke - ks === key.length && line.charCodeAt(ks) === key.charCodeAt(0) && line.startsWith(key, ks);
      if (same) return spanText(line, spans[i + 2]!, spans[i + 3]!);
    }
    return undefined;
  }

  /** All attributes as an object, in order (what parseSlog returns). */
  attrs(): Record<string, string> {
    const { line, spans } = this;
    const out: Record<string, string> = {};
    for (let i = 0; i < spans.length; i += 4) out[spanText(line, spans[i]!, spans[i + 1]!)] = spanText(line, spans[i + 2]!, spans[i + 3]!);
    return out;
  }
}

// Bursts of lines share their timestamp: the text of the last one is handed out again, which also
// lets the correlator recognise it without reading it.
let lastTime = '';

/** `line.slice(5, sp)`: the bare time value of a `time=… ` line whose first space is at `sp`. */
export function timeText(line: string, sp: number): string {
  const n = sp - 5;
  // Times differ last in their milliseconds: one character rules most of them out before comparing.
  const same = n === lastTime.length && (n < 8 || line.charCodeAt(sp - 7) === lastTime.charCodeAt(n - 7)) && line.startsWith(lastTime, 5);
  if (!same) lastTime = line.slice(5, sp);
  return lastTime;
}

// Runs on every slog line Ollama writes that carries a fact: indexOf and charCodeAt, no per-token tuples.
export function scanSlog(line: string): SlogRecord | null {
  if (!line.startsWith('time=')) return null;
  return scanPairs(line, 0, new SlogRecord(line), false);
}

/**
 * scanSlog for a line whose first space is at `sp`, followed by `level=`, and whose first ` msg=`
 * is at `m` (what the caller found deciding whether the line is only a clock). When the head is
 * the usual `time=T level=L source=S ` with single spaces and no quotes, it is read from those
 * positions and the scan starts at msg.
 */
export function scanSlogFrom(line: string, sp: number, m: number): SlogRecord | null {
  if (line.charCodeAt(5) === QUOTE || line.charCodeAt(sp + 7) === QUOTE) return scanSlog(line);
  const levelEnd = line.indexOf(' ', sp + 7);
  if (
    levelEnd !== m &&
    (!line.startsWith(' source=', levelEnd) || line.charCodeAt(levelEnd + 8) === QUOTE || line.indexOf(' ', levelEnd + 8) !== m)
  ) {
    return scanSlog(line);
  }
  const out = new SlogRecord(line);
  out.time = timeText(line, sp);
  out.level = line.slice(sp + 7, levelEnd);
  return scanPairs(line, m + 1, out, true);
}

/** Reads the `key=value` pairs from `i` into `out`. */
function scanPairs(line: string, i: number, out: SlogRecord, seenLevel: boolean): SlogRecord | null {
  const n = line.length;
  while (i < n) {
    while (line.charCodeAt(i) === SPACE) i++;
    if (i >= n) break;
    let ks: number;
    let ke: number;
    let afterKey: number;
    if (line.charCodeAt(i) === QUOTE) {
      ke = closingQuote(line, i);
      ks = ~(i + 1);
      afterKey = Math.min(ke + 1, n);
    } else {
      // Keys are short: walking them is cheaper than two indexOf calls (bareEnd with stopAtEquals).
      let j = i;
      while (j < n) {
        const c = line.charCodeAt(j);
        if (c === SPACE || c === EQUALS) break;
        j++;
      }
      afterKey = j;
      ks = i;
      ke = j;
    }
    if (line.charCodeAt(afterKey) !== EQUALS) return seenLevel ? out : null; // not key=value: the line is not slog
    const v = afterKey + 1;
    let vs: number;
    let ve: number;
    if (line.charCodeAt(v) === QUOTE) {
      ve = closingQuote(line, v);
      vs = ~(v + 1);
      i = Math.min(ve + 1, n);
    } else {
      i = bareEnd(line, v, false);
      vs = v;
      ve = i;
    }
    switch (keyKind(line, ks, ke)) {
      case TIME:
        out.time = spanText(line, vs, ve);
        break;
      case LEVEL:
        out.level = spanText(line, vs, ve);
        seenLevel = true;
        break;
      case MSG:
        out.msg = spanText(line, vs, ve);
        break;
      case SOURCE:
        break;
      default:
        out.spans.push(ks, ke, vs, ve);
    }
  }
  return seenLevel ? out : null;
}

export function parseSlog(line: string): SlogLine | null {
  const r = scanSlog(line);
  return r ? { time: r.time, level: r.level, msg: r.msg, attrs: r.attrs() } : null;
}
