// The reconnecting WebSocket client, free of Svelte and of the browser's WebSocket so it can be
// unit-tested with a fake socket. `connection.svelte.ts` wraps it in reactive state.
import { isServerMessage, type ServerMessage } from '../../../shared/messages.js';
import { WS_CLOSE_TOO_MANY, WS_CLOSE_TOO_SLOW } from '../../../shared/wsClose.js';

/**
 * `behind`: the agent dropped us for reading too slowly (close code WS_CLOSE_TOO_SLOW) and we are
 * resuming with `?since=`; `busy`: it serves its maximum of clients (WS_CLOSE_TOO_MANY), retrying.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'behind' | 'busy';

export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  /** `code`: the WebSocket close code, when there was one. */
  close(code?: number): void;
}

/** Opens one socket to `url` and reports its events; returns a way to close it. */
export type SocketFactory = (url: string, handlers: SocketHandlers) => { close(): void };

export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (event) => handlers.message(event.data);
  ws.onclose = (event) => handlers.close(event.code);
  // An error is always followed by `close`, which is where reconnecting happens.
  ws.onerror = () => {};
  return { close: () => ws.close() };
};

/**
 * `ws(s)://<host>/ws`, plus `?since=<seq>&epoch=<run>` when resuming after a disconnect: the agent
 * then replays what was missed instead of sending a whole new snapshot (when it still can).
 */
export function buildWsUrl(
  location: { protocol: string; host: string },
  since: number | null,
  epoch: string | null = null,
  path = '/ws',
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // batch=1: the agent may send several messages as one JSON array frame (see parseServerMessages).
  const query =
    since === null
      ? '?batch=1'
      : `?batch=1&since=${encodeURIComponent(String(since))}${epoch === null ? '' : `&epoch=${encodeURIComponent(epoch)}`}`;
  return `${scheme}://${location.host}${path}${query}`;
}

export const INITIAL_RECONNECT_DELAY_MS = 500;
export const MAX_RECONNECT_DELAY_MS = 5_000;

/** Delay before reconnect attempt number `failures` (0-based): 0.5 s, 1 s, 2 s, 4 s, 5 s, 5 s… */
export function reconnectDelay(failures: number, initialMs = INITIAL_RECONNECT_DELAY_MS, maxMs = MAX_RECONNECT_DELAY_MS): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(0, failures), 30));
}

/** Parse one frame; anything that is not a valid `ServerMessage` yields `null`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  const all = parseServerMessages(data);
  return all.length === 1 && !(typeof data === 'string' && data.startsWith('[')) ? all[0]! : null;
}

/** One frame's messages: a single message, or (batch=1) a JSON array of them; invalid ones are skipped. */
export function parseServerMessages(data: unknown): ServerMessage[] {
  if (typeof data !== 'string') return [];
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [];
  }
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v): v is ServerMessage => isServerMessage(v));
}

export interface ReconnectTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveSocketOptions {
  /** Builds the URL of each attempt; `since` is the last seq seen, `null` before any; `epoch` the agent run it belongs to. */
  url: (since: number | null, epoch: string | null) => string;
  onMessage: (message: ServerMessage) => void;
  onState?: (state: ConnectionState) => void;
  createSocket?: SocketFactory;
  initialDelayMs?: number;
  maxDelayMs?: number;
  timers?: ReconnectTimers;
}

const globalTimers: ReconnectTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LiveSocket {
  #options: LiveSocketOptions;
  #timers: ReconnectTimers;
  #state: ConnectionState = 'connecting';
  #lastSeq: number | null = null;
  #epoch: string | null = null;
  #failures = 0;
  #socket: { close(): void } | null = null;
  #retry: unknown = null;
  #running = false;
  /** Incremented per attempt so events from an abandoned socket are ignored. */
  #generation = 0;

  constructor(options: LiveSocketOptions) {
    this.#options = options;
    this.#timers = options.timers ?? globalTimers;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Highest `seq` received (reset by every `hello`); sent as `?since=` when reconnecting. */
  get lastSeq(): number | null {
    return this.#lastSeq;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#generation++;
    if (this.#retry !== null) this.#timers.clearTimeout(this.#retry);
    this.#retry = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#options.onState?.(state);
  }

  #connect(): void {
    this.#retry = null;
    const generation = ++this.#generation;
    const current = () => this.#running && generation === this.#generation;
    const factory = this.#options.createSocket ?? browserSocketFactory;
    try {
      const socket = factory(this.#options.url(this.#lastSeq, this.#epoch), {
        open: () => {
          if (current()) this.#setState('open');
        },
        message: (data) => {
          if (current()) this.#receive(data);
        },
        close: (code) => {
          if (current()) this.#scheduleReconnect(code);
        },
      });
      if (current()) this.#socket = socket;
    } catch {
      // e.g. an invalid URL: treat like a failed connection and try again later.
      this.#scheduleReconnect();
    }
  }

  #receive(data: unknown): void {
    for (const message of parseServerMessages(data)) this.#receiveOne(message);
  }

  #receiveOne(message: ServerMessage): void {
    if (message.type === 'resume') {
      // The agent replays what was missed next, with seqs after `since`: keep the state and lastSeq.
      this.#failures = 0;
      this.#options.onMessage(message);
      return;
    }
    if (message.type === 'hello') {
      // A fresh snapshot: the agent may have restarted, so its seq may start over.
      this.#failures = 0;
      this.#epoch = message.epoch;
    } else if (this.#lastSeq !== null && message.seq <= this.#lastSeq) {
      return; // already seen
    }
    this.#lastSeq = message.seq;
    this.#options.onMessage(message);
  }

  #scheduleReconnect(code?: number): void {
    this.#generation++;
    this.#socket = null;
    const behind = code === WS_CLOSE_TOO_SLOW;
    this.#setState(behind ? 'behind' : code === WS_CLOSE_TOO_MANY ? 'busy' : 'reconnecting');
    // Dropped for being slow: the agent is fine, so resume at once (the replay holds what we missed).
    const delay = behind ? 0 : reconnectDelay(this.#failures, this.#options.initialDelayMs, this.#options.maxDelayMs);
    if (!behind) this.#failures++;
    this.#retry = this.#timers.setTimeout(() => {
      if (this.#running) this.#connect();
    }, delay);
  }
}
