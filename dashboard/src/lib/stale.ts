// When the page's figures stop being live: the WebSocket is down, or it is open but the agent no
// longer answers (a stopped or hung process can keep its socket open). Pure, so vitest can test it.
import type { ConnectionState } from './socket.js';

export type StaleReason = 'disconnected' | 'unresponsive';

/** With no message for this long, the page asks the agent whether it is still there. */
export const QUIET_BEFORE_CHECK_MS = 15_000;
/** How long the agent has to answer that check. */
export const CHECK_TIMEOUT_MS = 4_000;

/**
 * Why the figures are not live, or null when they are. Before the first snapshot there is no
 * figure to call stale: the page shows "connecting…" and empty states instead.
 */
export function staleReason(state: ConnectionState, answering: boolean, lastDataAt: number | null): StaleReason | null {
  if (lastDataAt === null) return null;
  if (state !== 'open') return 'disconnected';
  return answering ? null : 'unresponsive';
}

/** The banner's sentence. `clock` formats the time of the last data (local time, zone in the header). */
export function staleText(reason: StaleReason, lastDataAt: number, clock: (ms: number) => string): string {
  const what = reason === 'disconnected' ? 'Lost the connection to the ollama-lens agent' : 'The ollama-lens agent is not answering';
  return `${what}: the figures below are from ${clock(lastDataAt)} and are not live. Actions are paused until it is back.`;
}
