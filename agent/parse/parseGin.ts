// Gin's access log (gin v1.x LoggerWithFormatter):
//   "[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v\n"
// e.g. `[GIN] 2024/08/25 - 20:15:48 | 200 |    3.728994ms |       127.0.0.1 | POST     "/api/show"`
import type { GinEvent } from './events.js';
import { parseGoDuration, plainGoDuration } from './goDuration.js';
import { unquoteGo } from './goQuote.js';

// The path is the rest of the line between the first and the last quote: gin prints it with %#v, so
// an inner quote is always escaped and a greedy match ends at the closing one (cheaper than walking
// escapes in the regex). The time has a fixed width, so it is read at fixed offsets, not captured:
// every capture is a string allocated for each request.
const GIN = /^\[GIN\] \d{4}\/\d\d\/\d\d - \d\d:\d\d:\d\d \| *(\d{3}) *\| *(\S+) *\| *(\S*) *\| *([A-Z]+) +"(.*)" *$/;

// Consecutive requests mostly share their minute, often their second: the ISO text of the minute
// (and of the last second) is reused rather than built again from four pieces.
let lastMinute = '';
let minuteIso = '';
let lastLocal = '';

/** `2024/08/25 - 20:15:48` at offset 6 → `2024-08-25T20:15:48`. */
function localTime(line: string): string {
  if (lastMinute === '' || !line.startsWith(lastMinute, 6)) {
    lastMinute = line.slice(6, 25);
    minuteIso = `${line.slice(6, 10)}-${line.slice(11, 13)}-${line.slice(14, 16)}T${line.slice(19, 25)}`;
    lastLocal = '';
  }
  // Same second as the last line: the same string, which also spares the correlator comparing texts.
  if (lastLocal !== '' && line.charCodeAt(25) === lastLocal.charCodeAt(17) && line.charCodeAt(26) === lastLocal.charCodeAt(18))
    return lastLocal;
  lastLocal = minuteIso + line.slice(25, 27);
  return lastLocal;
}

export function parseGin(line: string): GinEvent | null {
  return line.startsWith('[GIN] ') ? parseGinLine(line) : null;
}

/** parseGin for a line known to start with `[GIN] `. */
// A line a pager cut short (`journalctl` through `less -S` marks the cut with `>`, others with `…`)
// inside its quoted path: the request is still there, its path only as far as the cut.
const GIN_CUT = /^\[GIN\] \d{4}\/\d\d\/\d\d - \d\d:\d\d:\d\d \| *(\d{3}) *\| *(\S+) *\| *(\S*) *\| *([A-Z]+) +"([^"]*?)(?:>|…|\.\.\.)$/;

export function parseGinLine(line: string): GinEvent | null {
  let m = GIN.exec(line);
  let cut = false;
  if (!m) {
    m = GIN_CUT.exec(line);
    if (!m) return null;
    cut = true;
  }
  const latency = m[2]!;
  const plain = plainGoDuration(latency, 0, latency.length);
  const latencyMs = Number.isNaN(plain) ? parseGoDuration(latency) : plain;
  // gin times with Go's monotonic clock: a negative latency means a damaged line (counted as unparsed).
  if (latencyMs === null || latencyMs < 0) return null;
  return {
    type: 'gin',
    time: { local: localTime(line) },
    status: Number(m[1]),
    latencyMs,
    client: m[3]!,
    method: m[4]!,
    // A cut may fall inside an escape: the path is then read as printed.
    path: cut ? m[5]! : unquoteGo(m[5]!),
    ...(cut ? { cut: true as const } : {}),
  };
}
