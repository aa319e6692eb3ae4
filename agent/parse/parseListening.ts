// `Listening on ADDR (version X)`, in slog form (`msg="Listening on …"`) or, before slog (≤ v0.1.2x),
// in Go's log form (`2023/12/27 02:44:39 routes.go:895: Listening on …`). Very old builds print no version.
import type { ListeningEvent } from './events.js';
import { slogTime, goLogTime } from './timestamps.js';

const SLOG = /^time=(\S+) level=\S+ .*?msg="Listening on (\S+?)(?: \(version ([^)]*)\))?"/;
const GOLOG = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) (?:\S+\.go:\d+: )?(?:INFO )?Listening on (\S+?)(?: \(version ([^)]*)\))?\s*$/;

export function parseListening(line: string): ListeningEvent | null {
  if (!line.includes('Listening on ')) return null;
  let m = SLOG.exec(line);
  if (m) return { type: 'listening', at: slogTime(m[1]!), address: m[2]!, version: m[3] || null };
  m = GOLOG.exec(line);
  if (m) return { type: 'listening', at: goLogTime(m[1]!), address: m[2]!, version: m[3] || null };
  return null;
}
