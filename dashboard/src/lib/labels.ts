// Words, icons and tones for everything the dashboard displays. Pure functions: every state has
// a text (colour is never the only signal) and unknown values are shown as UNKNOWN ("—").
import { formatBytes, formatNumber, UNKNOWN } from '../../../shared/format.js';
import type { RequestRecord } from '../../../shared/records.js';
import type { AgentStatus, OllamaStatus, SourceStatus } from '../../../shared/status.js';
import { CAUGHT_UP_BYTES, lagText } from './live.js';
import type { ConnectionState } from './socket.js';

export type Tone = 'ok' | 'info' | 'warn' | 'error' | 'neutral';

export interface StatusView {
  tone: Tone;
  /** A decorative glyph; the text alone must carry the meaning. */
  icon: string;
  text: string;
  /** Extra detail for the tooltip. */
  title?: string;
}

// U+FE0E asks for the text (not emoji) presentation of the warning sign.
const ICON = { ok: '●', live: '●', pending: '○', retry: '↻', check: '✓', cross: '✕', warn: '⚠\uFE0E', wait: '◌', unknown: '?' };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parseDate(at: string): Date | null {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local wall-clock time `HH:MM:SS`, or "—" when `at` is not a date. */
export function formatClock(at: string): string {
  const d = parseDate(at);
  return d === null ? UNKNOWN : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Full local date and time with milliseconds and the UTC offset, for tooltips. */
export function formatDateTime(at: string): string {
  const d = parseDate(at);
  if (d === null) return at === '' ? UNKNOWN : at;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ` +
    `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export { formatBytes };

export type HttpStatusClass = 'success' | 'redirect' | 'client-error' | 'server-error' | 'other';

export function httpStatusClass(status: number): HttpStatusClass {
  if (status >= 200 && status < 300) return 'success';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'other';
}

export function connectionView(state: ConnectionState): StatusView {
  switch (state) {
    case 'open':
      return { tone: 'ok', icon: ICON.live, text: 'live', title: 'Connected to the ollama-lens agent; updates arrive live.' };
    case 'connecting':
      return { tone: 'neutral', icon: ICON.pending, text: 'connecting…', title: 'Connecting to the ollama-lens agent.' };
    case 'reconnecting':
      return {
        tone: 'warn',
        icon: ICON.retry,
        text: 'reconnecting…',
        title: 'Lost the connection to the ollama-lens agent; retrying automatically.',
      };
    case 'behind':
      return {
        tone: 'warn',
        icon: ICON.retry,
        text: 'catching up…',
        title: 'The agent disconnected this page because it fell behind the live updates (a busy or sleeping tab); resuming from the last update received.',
      };
    case 'busy':
      return {
        tone: 'warn',
        icon: ICON.retry,
        text: 'agent busy, retrying…',
        title: 'The agent already serves its maximum number of live connections (close other dashboard tabs); retrying automatically.',
      };
  }
}

export function ollamaView(ollama: OllamaStatus | null): StatusView {
  if (ollama === null) return { tone: 'neutral', icon: ICON.unknown, text: 'Ollama: unknown' };
  const where = ollama.url ? ` at ${ollama.url}` : '';
  const checked = ollama.checkedAt ? ` (checked ${formatDateTime(ollama.checkedAt)})` : '';
  switch (ollama.state) {
    case 'reachable':
      return {
        tone: 'ok',
        icon: ICON.check,
        text: ollama.version ? `Ollama ${ollama.version} reachable` : 'Ollama reachable',
        title: `Ollama answers${where}${checked}`,
      };
    case 'unreachable':
      return {
        tone: 'error',
        icon: ICON.cross,
        text: 'Ollama unreachable',
        title: `${ollama.lastError ?? 'No answer'}${where}${checked}`,
      };
    default:
      return { tone: 'neutral', icon: ICON.unknown, text: 'Ollama: unknown', title: `Not checked yet${where}` };
  }
}

/** The file name of a log path (`journal:UNIT` stays whole). */
export function sourceName(path: string): string {
  if (path.startsWith('journal:')) return path;
  const name = path.split(/[\\/]/).filter((p) => p !== '').at(-1);
  return name ?? path;
}

export function sourceView(source: SourceStatus): StatusView {
  switch (source.state) {
    case 'following': {
      // Short on the strip (the file name and how far behind the agent is); the full path in the tooltip.
      const lag = lagText(source.lagBytes);
      const behind = source.lagBytes !== null && source.lagBytes >= CAUGHT_UP_BYTES;
      return {
        tone: behind ? 'warn' : 'ok',
        icon: behind ? ICON.warn : ICON.check,
        text: `${sourceName(source.path)}: ${lag}`,
        title:
          `Following ${source.path}\n` +
          `${source.linesRead} lines read${source.unparsed > 0 ? ` (${source.unparsed} not understood)` : ''} · offset ${formatBytes(source.offset)} of ${formatBytes(source.size)}` +
          (source.lagBytes === null ? '' : ` · ${formatBytes(source.lagBytes)} still to read`),
      };
    }
    case 'waiting':
      return {
        tone: 'info',
        icon: ICON.wait,
        text: `Waiting for log file ${source.path} to appear`,
        title: 'The file does not exist yet. This is not an error: reading starts as soon as Ollama creates it.',
      };
    case 'error':
      return {
        tone: 'error',
        icon: ICON.warn,
        text: `Cannot read ${source.path}: ${source.lastError ?? 'unknown error'}`,
        title: source.lastError ?? undefined,
      };
  }
}

export function requestCountText(status: AgentStatus | null): string {
  if (status === null) return `${UNKNOWN} requests stored`;
  const n = status.requestCount;
  return `${formatNumber(n)} ${n === 1 ? 'request' : 'requests'} stored`;
}

/**
 * Where a request row came from, when not the log alone: the proxy saw it too (`both`, with the
 * client's exact token counts) or only the proxy saw it (no log line yet, or the log is not read).
 */
export function requestSourceTag(source: RequestRecord['source']): { text: string; title: string } | null {
  switch (source) {
    case 'both':
      return { text: 'log+proxy', title: 'In the log and seen by the proxy: token counts from the response' };
    case 'proxy':
      return { text: 'proxy', title: 'Seen by the proxy only: no log line matched it' };
    default:
      return null;
  }
}
