// Dispatches one raw log line to the parser of its family. Pure: no state, no I/O.
import type { LineEvent } from './events.js';
import { stripPrefix } from './stripPrefix.js';
import { parseGin } from './parseGin.js';
import { parseListening } from './parseListening.js';
import { slogTime } from './timestamps.js';

export function parseLine(raw: string): LineEvent | null {
  const line = stripPrefix(raw);
  if (line.startsWith('[GIN] ')) return parseGin(line);
  if (line.startsWith('time=')) {
    const listening = parseListening(line);
    if (listening) return listening;
    const sp = line.indexOf(' ');
    const at = slogTime(line.slice(5, sp < 0 ? undefined : sp));
    return at ? { type: 'clock', at } : null;
  }
  if (line.includes('Listening on ')) return parseListening(line);
  return null;
}
