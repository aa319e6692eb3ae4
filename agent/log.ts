// The agent's one logger: one line per event on stderr, `2026-11-26T14:00:00.000Z INFO message`.
// The level comes from --log-level / OLLAMA_LENS_LOG_LEVEL (the command sets it once after parsing the
// configuration); tests replace the sink and the clock. The process's secrets never reach a line.
import { processSecrets } from './secrets/Redactor.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogSink = (line: string) => void;

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

let threshold: LogLevel = 'info';
let sink: LogSink = stderrSink;
let clock: () => number = Date.now;

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function logLevel(): LogLevel {
  return threshold;
}

/** Replaces where lines go (and optionally the clock); returns a function that restores the previous ones. */
export function setLogSink(next: LogSink, now?: () => number): () => void {
  const previous = { sink, clock };
  sink = next;
  if (now) clock = now;
  return () => {
    sink = previous.sink;
    clock = previous.clock;
  };
}

/** One event, one line: a message that spans lines (a stack trace) is joined with ` | `. */
export function formatLogLine(at: number, level: LogLevel, message: string): string {
  const text = message.trim().replace(/\s*\r?\n\s*/g, ' | ');
  return `${new Date(at).toISOString()} ${level.toUpperCase()} ${text}`;
}

function emit(level: LogLevel, message: string): void {
  if (RANK[level] > RANK[threshold]) return;
  sink(formatLogLine(clock(), level, processSecrets.redact(message)));
}

/** `err.message` for an Error, else the value as text: the usual tail of a log line about a failure. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const log = {
  error: (message: string): void => emit('error', message),
  warn: (message: string): void => emit('warn', message),
  info: (message: string): void => emit('info', message),
  debug: (message: string): void => emit('debug', message),
  /** Whether a level would be written (to skip building expensive debug messages). */
  enabled: (level: LogLevel): boolean => RANK[level] <= RANK[threshold],
};
