// Physical lines (as the splitter yields them) → logical lines ready for the parsers, already
// through stripPrefix. Two things need more than one line at a time:
//
// - PowerShell `ollama serve 2>&1 | Out-File`: stderr lines become error records that Out-File
//   hard-wraps at the console width, breaking at a space that stays at the end of the physical
//   line. The first record is prefixed `ollama.exe : ` and followed by a NativeCommandError block.
//   Once that is seen, a line ending in a space continues on the next one unless the next one
//   starts a record of its own.
// - JSON wrappers from log shippers or a Node pino logger: `{"level":30,…,"msg":"time=… level=…"}`,
//   whose msg may hold several lines. llama.cpp's own JSON lines (v0.1.3x) carry a `function` key
//   and pass through untouched.
//
// Also splits llama.cpp's load-progress dots from a line printed right after them (`.....time=…`).
// The state is a plain object so the live agent can save it with the byte offset.
import { stripPrefix } from './stripPrefix.js';

export interface LogicalLinesState {
  /** A PowerShell capture, or a console's hard wrap, was detected: wrapped records are joined from now on. */
  powershell: boolean;
  /** The record being joined (prefix already stripped), or null. */
  held: string | null;
  /** `held` is a slog record that ends inside a Go-quoted string. */
  quoteOpen: boolean;
}

export function initialLogicalLinesState(): LogicalLinesState {
  return { powershell: false, held: null, quoteOpen: false };
}

const PS_FIRST_RECORD = /^\uFEFF?ollama(?:\.exe)? : /;
// Even inside an open quote these begin a new record: Ollama's own line shapes.
const STRONG_START = /^(?:time=|\[GIN|\d{4}\/\d\d\/\d\d \d\d:)/;
// llama.cpp / llama-server prefixes and llama.cpp JSON lines also begin one.
const WEAK_START = /^(?:[a-z_][a-z0-9_.]*: |slot |srv |\{")/;
// A closed slog record can only continue with its next attribute: `key=` or `"quoted key"=`.
const ATTR_START = /^(?:[^\s"=]+|"(?:[^"\\]|\\.)*")=/;
const DOTS_THEN_LINE = /^\.+(?=time=|\[GIN)/;
// Same cap as one physical line: a run of space-ended lines must not grow without bound.
const MAX_HELD = 1024 * 1024;

export class LogicalLines {
  state: LogicalLinesState;

  constructor(state?: LogicalLinesState) {
    this.state = state ? { ...state } : initialLogicalLinesState();
  }

  /**
   * The common case without allocating: one physical line that is one logical line. Null means the
   * line needs `push` (PowerShell capture, JSON wrapper, progress dots, or a line that may reveal them).
   */
  single(physical: string): string | null {
    if (this.state.powershell) return null;
    const c = physical.charCodeAt(0);
    if (c === 0xfeff || c === 0x6f || c === 0x20) return null;
    const line = stripPrefix(physical);
    const first = line.charCodeAt(0);
    return first === 0x7b || first === 0x2e || isWrappedSlog(line) ? null : line;
  }

  push(physical: string): string[] {
    const c = physical.charCodeAt(0);
    if (!this.state.powershell) {
      // Only lines starting with a BOM, `o` or a space can reveal PowerShell; `time=` lines skip this.
      if ((c === 0xfeff || c === 0x6f || c === 0x20) && isPowerShellMarker(physical)) {
        this.state.powershell = true;
      } else if (isWrappedSlog(stripPrefix(physical))) {
        // A console hard-wrapped the capture at its width (no PowerShell record around it).
        this.state.powershell = true;
      } else {
        const line = stripPrefix(physical);
        const first = line.charCodeAt(0);
        if (first === 0x7b /* { */) return unwrapJson(line) ?? [line];
        if (first === 0x2e /* . */) return splitDots(line);
        return [line];
      }
    }
    return this.pushPowerShell(physical);
  }

  /** Releases a held record (end of file, or the analysis is over). */
  flush(): string[] {
    const held = this.state.held;
    this.release();
    return held === null ? [] : [held];
  }

  private pushPowerShell(physical: string): string[] {
    const st = this.state;
    const line = stripPrefix(physical);
    const out: string[] = [];
    if (st.held !== null) {
      if (this.continues(physical, line)) {
        // The raw text is appended: stripPrefix could mistake a wrapped `1 | AVX2 = 0` for a prefix.
        st.held += physical;
        if (st.held.startsWith('time=')) st.quoteOpen = scanQuotes(physical, st.quoteOpen);
        if (!endsWithSpace(physical) || st.held.length >= MAX_HELD) {
          out.push(st.held);
          this.release();
        }
        return out;
      }
      out.push(st.held);
      this.release();
    }
    const first = line.charCodeAt(0);
    if (first === 0x7b) {
      const inner = unwrapJson(line);
      if (inner) return out.concat(inner);
    }
    // A blank line never starts a wrapped record (the error record ends with a lone space).
    if (endsWithSpace(line) && line.trim() !== '') {
      st.held = line;
      st.quoteOpen = line.startsWith('time=') && scanQuotes(line, false);
      return out;
    }
    if (first === 0x2e) return out.concat(splitDots(line));
    out.push(line);
    return out;
  }

  private continues(physical: string, line: string): boolean {
    if (STRONG_START.test(line)) return false;
    const held = this.state.held!;
    // slog is fully Go-quoted, so it tells exactly where a wrap can fall.
    if (held.startsWith('time=')) return this.state.quoteOpen || ATTR_START.test(physical);
    return !WEAK_START.test(line);
  }

  private release(): void {
    this.state.held = null;
    this.state.quoteOpen = false;
  }
}

/**
 * slog ends a record with its last attribute, never with a space: a `time=` line ending in one was cut
 * by a console's hard wrap (at a space, which stays at the end of the physical line).
 */
function isWrappedSlog(line: string): boolean {
  return line.charCodeAt(line.length - 1) === 0x20 && line.startsWith('time=');
}

function isPowerShellMarker(physical: string): boolean {
  return PS_FIRST_RECORD.test(physical) || (physical.charCodeAt(0) === 0x20 && physical.includes('NativeCommandError'));
}

function endsWithSpace(s: string): boolean {
  return s.charCodeAt(s.length - 1) === 0x20;
}

/** Whether a Go-quoted string is still open after `text`, given whether it was open before. */
function scanQuotes(text: string, open: boolean): boolean {
  let i = 0;
  while (i < text.length) {
    if (!open) {
      const q = text.indexOf('"', i);
      if (q < 0) return false;
      open = true;
      i = q + 1;
      continue;
    }
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 2;
    else {
      if (ch === 0x22 /* " */) open = false;
      i++;
    }
  }
  return open;
}

/** Lines carried by a log shipper's JSON object, or null when it is not such a wrapper. */
function unwrapJson(line: string): string[] | null {
  // llama.cpp's own JSON lines (v0.1.3x) have a `function` key; no need to parse them.
  if (line.includes('"function":')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  // pino/bunyan/winston use msg or message; Docker's json-file driver uses log.
  const text = typeof o.msg === 'string' ? o.msg : typeof o.message === 'string' ? o.message : typeof o.log === 'string' ? o.log : null;
  if (text === null) return null;
  const out: string[] = [];
  for (const part of text.split('\n')) {
    const inner = part.endsWith('\r') ? part.slice(0, -1) : part;
    if (inner.trim() !== '') out.push(stripPrefix(inner));
  }
  return out;
}

/** `.....time=…` → the dots and the line printed after them. */
function splitDots(line: string): string[] {
  const m = DOTS_THEN_LINE.exec(line);
  return m ? [m[0], line.slice(m[0].length)] : [line];
}
