// Removes what sits in front of Ollama's own text when the log went through another program:
// a UTF-8 BOM, ANSI colours (gin on a TTY), journald's `May 18 17:01:52 host ollama[10717]: `
// (also `-o short-iso`), Docker Desktop's `2025-03-05 08:58:54 `, `docker logs -t` RFC 3339 stamps,
// docker compose's `service  | ` and the `ollama.exe : ` that PowerShell puts before the first stderr
// line of `ollama serve 2>&1 | Out-File` (joining its wrapped records is LogicalLines' job).

const ANSI = /\x1b\[[0-9;]*m/g;
// The month is the locale's abbreviation (`May`, `mai`, `déc.`, `Mär`); a redacted host may be empty.
const JOURNALD =
  /^(?:\p{L}{2,5}\.? [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)) +(?:\S+ +)?[^\s:[]+(?:\[\d*\])?: /u;
const DOCKER_DESKTOP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /;
const DOCKER_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z /;
const POWERSHELL = /^ollama(?:\.exe)? : /;
const COMPOSE = /^[\w.-]+(?:-\d+)? *\| /;

// A file truncated while Ollama kept writing at its old offset reads back a hole of NUL bytes in front
// of the next line; a terminal capture keeps a spinner's braille frames (`⠇ ⠏ ⠋ `) in front of a line.
const DAMAGE = /^(?:\0+|(?:[\u2800-\u28ff] ?)+ )/;

export function stripPrefix(raw: string): string {
  let line = raw;
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  const c0 = line.charCodeAt(0);
  if (c0 === 0 || (c0 >= 0x2800 && c0 <= 0x28ff)) line = line.replace(DAMAGE, '');
  if (line.includes('\x1b[')) line = line.replace(ANSI, '');
  const first = line.charCodeAt(0);
  // Fast path: Ollama's own lines start with "time=", "[GIN" or a Go log date; most lines need no work.
  if (first === 0x74 /* t */ && line.startsWith('time=')) return line;
  if (first === 0x5b /* [ */) return line;
  if (first === 0x6f /* o */) {
    const ps = POWERSHELL.exec(line);
    if (ps) return line.slice(ps[0].length);
  }
  // Each prefix regex runs only where its shape can start, checked by character first: compose has
  // `name   | `, journald a month or an ISO date, Docker a date. llama.cpp output (`function: …`)
  // fails these checks within a few characters.
  if (hasComposeHead(line)) {
    const m = COMPOSE.exec(line);
    if (m) line = line.slice(m[0].length);
  }
  const c = line.charCodeAt(0);
  const digit = c >= 0x30 && c <= 0x39;
  if (!digit && !hasMonthHead(line)) return line;
  const j = JOURNALD.exec(line);
  if (j) return line.slice(j[0].length);
  if (!digit) return line;
  // A Go-log line also starts with a date and a space ("2024/05/18 17:01:52 routes.go:…"),
  // but with slashes, so it never matches these dash-dated prefixes.
  const d = DOCKER_TS.exec(line) ?? DOCKER_DESKTOP.exec(line);
  return d ? line.slice(d[0].length) : line;
}

/** `name   | `: one token, then spaces, then `| ` (llama-server's `slot …: id 0 | task` is not). */
function hasComposeHead(line: string): boolean {
  const sp = line.indexOf(' ');
  if (sp <= 0 || sp > 64) return false;
  let i = sp;
  while (line.charCodeAt(i) === 0x20) i++;
  return line.charCodeAt(i) === 0x7c /* | */ && line.charCodeAt(i + 1) === 0x20;
}

const isLetter = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c >= 0xc0;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** journald's `Mon DD ` in any locale: 2–5 letters, an optional dot, a space, a (space-padded) day. */
function hasMonthHead(line: string): boolean {
  let i = 0;
  while (i < 6 && isLetter(line.charCodeAt(i))) i++;
  if (i < 2 || i > 5) return false;
  if (line.charCodeAt(i) === 0x2e /* . */) i++;
  if (line.charCodeAt(i) !== 0x20) return false;
  const d1 = line.charCodeAt(i + 1);
  return (d1 === 0x20 || isDigit(d1)) && isDigit(line.charCodeAt(i + 2)) && line.charCodeAt(i + 3) === 0x20;
}
