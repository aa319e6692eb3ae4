// The push side of `/ws`: a `hello` with a snapshot on connect, then every bus message.
// Slow clients that let too much pile up are dropped rather than growing the agent's memory.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Snapshot, ServerMessage } from '../../shared/messages.js';
import type { Bus } from '../bus.js';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private dropped = 0;

  constructor(
    private readonly bus: Bus,
    private readonly snapshot: () => Snapshot,
  ) {
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  get droppedClients(): number {
    return this.dropped;
  }

  /** Takes over an HTTP upgrade for `/ws`; anything else is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private onConnection(ws: WebSocket): void {
    // Snapshot and seq are read in the same tick as each other, and publishing happens
    // synchronously after commits, so no delta can fall between them.
    const hello: ServerMessage = { type: 'hello', seq: this.bus.seq, snapshot: this.snapshot() };
    ws.send(JSON.stringify(hello));
    const unsubscribe = this.bus.subscribe((msg) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.dropped++;
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(msg));
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    // Clients send nothing yet; ignore whatever arrives.
    ws.on('message', () => {});
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
