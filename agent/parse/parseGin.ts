// Gin's access log (gin v1.x LoggerWithFormatter):
//   "[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v\n"
// e.g. `[GIN] 2024/08/25 - 20:15:48 | 200 |    3.728994ms |       127.0.0.1 | POST     "/api/show"`
import type { GinEvent } from './events.js';
import { parseGoDuration } from './goDuration.js';
import { unquoteGo } from './goQuote.js';

// The path is the rest of the line between the first and the last quote: gin prints it with %#v, so
// an inner quote is always escaped and a greedy match ends at the closing one (cheaper than walking
// escapes in the regex).
const GIN = /^\[GIN\] (\d{4})\/(\d\d)\/(\d\d) - (\d\d):(\d\d):(\d\d) \| *(\d{3}) *\| *(\S+) *\| *(\S*) *\| *([A-Z]+) +"(.*)" *$/;

export function parseGin(line: string): GinEvent | null {
  if (!line.startsWith('[GIN] ')) return null;
  const m = GIN.exec(line);
  if (!m) return null;
  const latencyMs = parseGoDuration(m[8]!);
  if (latencyMs === null) return null;
  return {
    type: 'gin',
    time: { local: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` },
    status: Number(m[7]),
    latencyMs,
    client: m[9]!,
    method: m[10]!,
    path: unquoteGo(m[11]!),
  };
}
