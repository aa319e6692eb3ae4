// Knows when the figures are stale. The socket says when it is down; while it is open but quiet,
// a `GET /api/health` tells a stopped (SIGSTOP) or hung agent from one with nothing to say.
import type { FetchLike } from './ackAlert.js';
import type { ConnectionState } from './socket.js';
import { CHECK_TIMEOUT_MS, QUIET_BEFORE_CHECK_MS, staleReason, type StaleReason } from './stale.js';

export interface AgentWatchOptions {
  state: () => ConnectionState;
  fetch?: FetchLike;
  quietMs?: number;
  timeoutMs?: number;
}

export class AgentWatch {
  /** Epoch ms of the last message from the agent; null before the first. */
  lastDataAt: number | null = $state(null);
  /** False once a health check went unanswered; true again at the next message or answer. */
  answering = $state(true);
  #state: () => ConnectionState;
  #fetch: FetchLike;
  #quietMs: number;
  #timeoutMs: number;
  #timer: ReturnType<typeof setInterval> | null = null;
  #checking = false;
  /** Not reactive: written for every message, read only by the periodic check. */
  #lastMessageAt = 0;

  constructor({ state, fetch, quietMs = QUIET_BEFORE_CHECK_MS, timeoutMs = CHECK_TIMEOUT_MS }: AgentWatchOptions) {
    this.#state = state;
    this.#fetch = fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#quietMs = quietMs;
    this.#timeoutMs = timeoutMs;
  }

  /** Why the figures are not live, or null (reactive: it reads reactive state). */
  get reason(): StaleReason | null {
    return staleReason(this.#state(), this.answering, this.lastDataAt);
  }

  /** Called for every message; the reactive time is written at most once a second. */
  heard(now = Date.now()): void {
    this.#lastMessageAt = now;
    if (this.lastDataAt === null || now - this.lastDataAt >= 1000) this.lastDataAt = now;
    if (!this.answering) this.answering = true;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.#check(), Math.max(1000, Math.floor(this.#quietMs / 3)));
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #check(): Promise<void> {
    if (this.#checking || this.#state() !== 'open' || Date.now() - this.#lastMessageAt < this.#quietMs) return;
    this.#checking = true;
    try {
      const response = await this.#fetch('/api/health', { signal: AbortSignal.timeout(this.#timeoutMs) });
      this.answering = response.ok;
      // An answer counts as news from the agent: check again only after another quiet spell.
      if (response.ok) this.#lastMessageAt = Date.now();
    } catch {
      this.answering = false;
    } finally {
      this.#checking = false;
    }
  }
}
