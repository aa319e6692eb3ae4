// Words, icons and tones for the header's status strip: the agent connection, Ollama, each log
// source (with how far behind the agent reads it) and the stored request count. Pure: every state
// has a text (colour is never the only signal) and unknown values are shown as UNKNOWN ("—").
import type { AgentStatus, OllamaStatus, SourceStatus } from '../../../shared/status.js';
import { formatBytes, formatDateTime, formatNumber, UNKNOWN } from './format.js';
import type { ConnectionState } from './socket.js';
import type { StatusView } from './statusView.js';

// U+FE0E asks for the text (not emoji) presentation of the warning sign.
const ICON = { ok: '●', live: '●', pending: '○', retry: '↻', check: '✓', cross: '✕', warn: '⚠\uFE0E', wait: '◌', unknown: '?' };

/** Below this many bytes still to read, the agent counts as caught up with the log. */
export const CAUGHT_UP_BYTES = 64 * 1024;

/** "caught up", "12.0 MiB behind", "lag unknown". */
export function lagText(lagBytes: number | null): string {
  if (lagBytes === null || !Number.isFinite(lagBytes)) return 'lag unknown';
  if (lagBytes < CAUGHT_UP_BYTES) return 'caught up';
  return `${formatBytes(lagBytes)} behind`;
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
        title:
          'The agent disconnected this page because it fell behind the live updates (a busy or sleeping tab); resuming from the last update received.',
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
  const name = path
    .split(/[\\/]/)
    .filter((p) => p !== '')
    .at(-1);
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
