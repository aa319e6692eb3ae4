// Dispatches one raw log line to the parser of its family. Pure: no state, no I/O.
import type { LineEvent } from './events.js';
import { stripPrefix } from './stripPrefix.js';
import { parseGin } from './parseGin.js';
import { parseListening } from './parseListening.js';
import { parseSlog } from './parseSlog.js';
import { runnerEventFromRaw, runnerEventFromSlog } from './parseRunnerLine.js';
import { slogTime } from './timestamps.js';

export function parseLine(raw: string): LineEvent | null {
  const line = stripPrefix(raw);
  if (line.startsWith('[GIN] ')) return parseGin(line);
  if (line.startsWith('time=')) {
    const listening = parseListening(line);
    if (listening) return listening;
    const slog = parseSlog(line);
    if (!slog) return null;
    const runner = runnerEventFromSlog(slog);
    if (runner) return runner;
    const at = slogTime(slog.time);
    return at ? { type: 'clock', at } : null;
  }
  if (line.includes('Listening on ')) return parseListening(line);
  return runnerEventFromRaw(line);
}
