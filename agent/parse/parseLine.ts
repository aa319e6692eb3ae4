// Dispatches one logical line (prefixes already stripped) to the parser of its family. Pure.
// `null` means no rule recognised the line: the caller counts it as unparsed.
import type { LineEvent } from './events.js';
import { parseGin } from './parseGin.js';
import { parseGoLog } from './parseGoLog.js';
import { parseSlog, readGoToken, type SlogLine } from './parseSlog.js';
import { parseRunnerOutput } from './parseRunnerOutput.js';
import { isKnownNoise } from './noise.js';
import { slogEvent, wantsMessage } from './slogEvents.js';

const NOISE: LineEvent = { type: 'noise' };
const GO_LOG = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;

function fromSlog(s: SlogLine, line: string): LineEvent {
  // v0.15.5–v0.17.0 relayed the MLX child's lines as `msg=mlx-runner msg="<the child's line>"`;
  // the second msg wins in parseSlog, so `s.msg` holds the child's line.
  if (s.msg !== 'mlx-runner' && line.includes(' msg=mlx-runner ')) {
    const inner = parseLine(s.msg);
    if (inner) return inner;
  }
  return slogEvent(s) ?? (s.time ? { type: 'clock', at: s.time } : NOISE);
}

/**
 * Most slog lines carry no fact we use: read just their msg (slog writes time, level, source, msg
 * first, none holding a space) and stop there. Null when the line needs the full parse.
 */
function slogClock(line: string): LineEvent | null {
  const m = line.indexOf(' msg=');
  const sp = line.indexOf(' ');
  if (m < 0 || sp < 0 || !line.startsWith(' level=', sp)) return null;
  const [msg, end] = readGoToken(line, m + 5, false);
  if (wantsMessage(msg) || (msg === 'mlx-runner' && end < line.length)) return null;
  return { type: 'clock', at: line.slice(5, sp) };
}

export function parseLine(line: string): LineEvent | null {
  const c = line.charCodeAt(0);
  if (c === 0x74 /* t */ && line.startsWith('time=')) {
    const quick = slogClock(line);
    if (quick) return quick;
    const s = parseSlog(line);
    return s ? fromSlog(s, line) : null;
  }
  if (c === 0x5b /* [ */) {
    if (line.startsWith('[GIN] ')) return parseGin(line);
    if (line.startsWith('[GIN-debug]')) return NOISE;
  }
  if (c >= 0x30 && c <= 0x39 && GO_LOG.test(line)) {
    const s = parseGoLog(line);
    if (s) return fromSlog(s, line);
  }
  return parseRunnerOutput(line) ?? (isKnownNoise(line) ? NOISE : null);
}
