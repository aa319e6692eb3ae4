// Reactive wrapper around LiveSocket: `state` is `$state`, so components can read it directly.
import type { ServerMessage } from '../../../shared/messages.js';
import { buildWsUrl, LiveSocket, type ConnectionState, type LiveSocketOptions } from './socket.js';

export type { ConnectionState } from './socket.js';

export interface ConnectionOptions extends Omit<LiveSocketOptions, 'url' | 'onState' | 'onMessage'> {
  onMessage: (message: ServerMessage) => void;
  /** Defaults to `ws(s)://${location.host}/ws[?since=N&epoch=E]`. */
  url?: (since: number | null, epoch: string | null) => string;
}

export class Connection {
  state: ConnectionState = $state('connecting');
  #socket: LiveSocket;

  constructor(options: ConnectionOptions) {
    const { url = (since: number | null, epoch: string | null) => buildWsUrl(window.location, since, epoch), ...rest } = options;
    this.#socket = new LiveSocket({
      ...rest,
      url,
      onState: (state) => {
        this.state = state;
      },
    });
  }

  get lastSeq(): number | null {
    return this.#socket.lastSeq;
  }

  start(): void {
    this.#socket.start();
  }

  stop(): void {
    this.#socket.stop();
  }
}
