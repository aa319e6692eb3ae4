// Dispatches one logical line (prefixes already stripped) to the parser of its family. Pure.
// `null` means no rule recognised the line: the caller counts it as unparsed.
import type { LineEvent } from './events.js';
import { parseGinLine } from './parseGin.js';
import { parseGoLog } from './parseGoLog.js';
import { readGoToken, scanSlog, scanSlogFrom, timeText, type SlogRecord } from './parseSlog.js';
import { parseRunnerOutput } from './parseRunnerOutput.js';
import { isKnownNoise } from './noise.js';
import { NEEDS_PARSE, slogEvent, wantsMessage, type SlogAttrs } from './slogEvents.js';

const NOISE: LineEvent = { type: 'noise' };
const GO_LOG = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;

function fromSlog(time: string, msg: string, attrs: SlogAttrs, line: string): LineEvent {
  // v0.15.5–v0.17.0 relayed the MLX child's lines as `msg=mlx-runner msg="<the child's line>"`;
  // the second msg wins in parseSlog, so `msg` holds the child's line.
  if (msg !== 'mlx-runner' && line.includes(' msg=mlx-runner ')) {
    const inner = parseLine(msg);
    if (inner) return inner;
  }
  return slogEvent(time, msg, attrs) ?? (time ? { type: 'clock', at: time } : NOISE);
}

/**
 * Most slog lines carry no fact we use: read just their msg (slog writes time, level, source, msg
 * first, none holding a space) and stop there; the others get the full parse.
 */
function parseSlogLine(line: string): LineEvent | null {
  const m = line.indexOf(' msg=');
  const sp = line.indexOf(' ');
  if (m < 0 || sp < 0 || !line.startsWith(' level=', sp)) return fullSlog(line, scanSlog(line));
  if (escapedMsg(line, m + 5)) {
    const [msg, end] = readGoToken(line, m + 5, false);
    if (wantsMessage(msg) || (msg === 'mlx-runner' && end < line.length)) return fullSlog(line, scanSlogFrom(line, sp, m));
  } else {
    NEEDS_PARSE.lastIndex = m + 5;
    if (NEEDS_PARSE.test(line)) return fullSlog(line, scanSlogFrom(line, sp, m));
  }
  return { type: 'clock', at: timeText(line, sp) };
}

function fullSlog(line: string, s: SlogRecord | null): LineEvent | null {
  return s ? fromSlog(s.time, s.msg, s, line) : null;
}

/** A quoted msg at `start` with a backslash before its closing quote, or without one: only unquoting tells what it says. */
function escapedMsg(line: string, start: number): boolean {
  if (line.charCodeAt(start) !== 0x22 /* " */) return false;
  const close = line.indexOf('"', start + 1);
  if (close < 0) return true;
  const backslash = line.indexOf('\\', start + 1);
  return backslash >= 0 && backslash < close;
}

export function parseLine(line: string): LineEvent | null {
  const c = line.charCodeAt(0);
  if (c === 0x74 /* t */ && line.startsWith('time=')) {
    return parseSlogLine(line);
  }
  if (c === 0x5b /* [ */) {
    if (line.startsWith('[GIN] ')) return parseGinLine(line);
    if (line.startsWith('[GIN-debug]')) return NOISE;
  }
  if (c >= 0x30 && c <= 0x39 && GO_LOG.test(line)) {
    const s = parseGoLog(line);
    if (s) {
      const attrs = s.attrs;
      return fromSlog(s.time, s.msg, { get: (key) => attrs[key] }, line);
    }
  }
  return parseRunnerOutput(line) ?? (isKnownNoise(line) ? NOISE : null);
}
