// Go's standard `log` lines: `2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[…]"`.
// Ollama ≤ v0.1.2x logged everything this way; later builds only what is logged before slog is
// installed (`server config` until v0.6.x) or through slog's default handler, which prints no
// file:line (`2026/02/22 17:04:03 WARN MLX dynamic library not available error="…"`).
// The message is free text, so the attributes start at the first ` key=` and must run to the end.
import { readGoToken, type SlogLine } from './parseSlog.js';
import { goLogTime } from './timestamps.js';

// Lshortfile gives `routes.go:1187: `, Llongfile a whole path; either may be absent.
const HEAD = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?:\S+\.go:\d+: )?/;
// slog's default handler prints TRACE as DEBUG-4.
const LEVEL = /^(INFO|WARN|ERROR|DEBUG|TRACE)(?:[+-]\d+)?(?: |$)/;
const ATTR_START = /(?:[A-Za-z_][\w.]*|"(?:[^"\\]|\\.)*")=/y;

export function parseGoLog(line: string): SlogLine | null {
  const c = line.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return null;
  const head = HEAD.exec(line);
  if (!head) return null;
  let text = line.slice(head[0].length);
  let level = 'INFO';
  const lv = LEVEL.exec(text);
  if (lv) {
    level = lv[0].trimEnd();
    text = text.slice(lv[0].length);
  }
  const out: SlogLine = { time: goLogTime(head[1]!), level, msg: text.trim(), attrs: {} };
  const start = attrStart(text);
  if (start < 0) return out;
  const attrs = parseAttrs(text, start);
  // Something after the first `key=` that is not key=value: the `=` was part of the message.
  if (!attrs) return out;
  out.msg = text.slice(0, start).trim();
  out.attrs = attrs;
  return out;
}

/** Index of the first token that looks like `key=` or `"quoted key"=`, or -1. */
function attrStart(text: string): number {
  if (!text.includes('=')) return -1;
  for (let at = 0; at < text.length;) {
    if (text[at] === ' ') {
      at++;
      continue;
    }
    ATTR_START.lastIndex = at;
    if (ATTR_START.test(text)) return at;
    const space = text.indexOf(' ', at);
    if (space < 0) break;
    at = space + 1;
  }
  return -1;
}

function parseAttrs(text: string, i: number): Record<string, string> | null {
  const attrs: Record<string, string> = {};
  while (i < text.length) {
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    const [key, afterKey] = readGoToken(text, i, true);
    if (text[afterKey] !== '=') return null;
    const [value, next] = readGoToken(text, afterKey + 1, false);
    attrs[key] = value;
    i = next;
  }
  return attrs;
}
