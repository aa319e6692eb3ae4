// Line builders. A line is a function of its timestamp so the scenario can be planned once and
// stamped later with the wall clock at the moment it is written (live rows in the dashboard).
import { ginLatency, ginTime, goLogTime, slogText, slogTime } from './goFormat.js';

export interface Clock {
  /** Minutes east of UTC, or null for the local zone at each instant. */
  offsetMinutes: number | null;
}

export type LineFn = (t: Date, clock: Clock) => string;

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type AttrValue = string | number | boolean;
/** Ordered pairs: slog keeps the call's argument order, so a record would lose nothing but clarity. */
export type Attrs = ReadonlyArray<readonly [string, AttrValue]>;

/** `time=… level=… source=file.go:N msg=… k=v …` as Ollama's slog TextHandler writes it. */
export function slog(level: Level, source: string, msg: string, attrs: Attrs = []): LineFn {
  const tail = attrs.map(([k, v]) => `${slogText(k)}=${typeof v === 'string' ? slogText(v) : String(v)}`);
  const body = [`level=${level}`, `source=${source}`, `msg=${slogText(msg)}`, ...tail].join(' ');
  return (t, clock) => `time=${slogTime(t, clock.offsetMinutes)} ${body}`;
}

/**
 * slog's default handler, used by code that logs before `slog.SetDefault` (package init): Go's
 * `log` prefix, then level, the bare message and TextHandler-quoted attributes.
 * Example: `2026/02/22 17:04:03 WARN MLX dynamic library not available error="…"`.
 */
export function goLog(level: Level, msg: string, attrs: Attrs = []): LineFn {
  const tail = attrs.map(([k, v]) => ` ${slogText(k)}=${typeof v === 'string' ? slogText(v) : String(v)}`).join('');
  return (t, clock) => `${goLogTime(t, clock.offsetMinutes)} ${level} ${msg}${tail}`;
}

/** printf `%W.Pf` and `%Wd`, for llama.cpp's column-aligned lines. */
export const fmtF = (x: number, width: number, prec = 2): string => x.toFixed(prec).padStart(width);
export const fmtD = (x: number, width: number): string => String(Math.round(x)).padStart(width);

/** Subprocess output (llama-server, ggml) passes through Ollama unprefixed and unstamped. */
export function raw(text: string): LineFn {
  return () => text;
}

/**
 * Gin's access line, colour-free: `"[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v"`.
 * Example: `[GIN] 2026/11/26 - 08:00:01 | 200 |  4.512345678s |       127.0.0.1 | POST     "/api/chat"`.
 */
export function gin(status: number, latencyNs: number, client: string, method: string, path: string): LineFn {
  const rest =
    `| ${String(status).padStart(3)} | ${ginLatency(latencyNs).padStart(13)} | ${client.padStart(15)} |` +
    // Two spaces after the method: the format's empty reset-colour verb sits between them.
    ` ${method.padEnd(7)}  ${JSON.stringify(path)}`;
  return (t, clock) => `[GIN] ${ginTime(t, clock.offsetMinutes)} ${rest}`;
}
