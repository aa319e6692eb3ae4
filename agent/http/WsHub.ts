// The push side of `/ws`: a `hello` with a snapshot on connect, then every bus message. A client
// that reconnects with `?since=SEQ&epoch=E` gets what it missed from a replay buffer instead, when the
// buffer still holds it and the agent is the same run. Slow clients that let too much pile up are
// dropped rather than growing the agent's memory.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Snapshot, ServerMessage } from '../../shared/messages.js';
import type { Bus } from '../bus.js';
import { upgradeRefusal, type AccessPolicy } from './accessGuard.js';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Messages kept for replay: minutes of a busy server; beyond that a fresh snapshot is cheaper anyway. */
export const REPLAY_MESSAGES = 5000;

type Sequenced = Exclude<ServerMessage, { type: 'hello' } | { type: 'resume' }>;

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private dropped = 0;
  readonly epoch = randomUUID();
  /** Serialised messages, oldest first, with their seq. */
  private readonly replay: { seq: number; json: string }[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly snapshot: () => Snapshot,
    private readonly replayLimit = REPLAY_MESSAGES,
    private readonly access: AccessPolicy | null = null,
  ) {
    this.wss.on('connection', (ws, req: IncomingMessage) => this.onConnection(ws, req));
    // One serialisation per message, whatever the number of clients.
    bus.subscribe((msg: Sequenced) => {
      const json = JSON.stringify(msg);
      this.replay.push({ seq: msg.seq, json });
      if (this.replay.length > this.replayLimit) this.replay.splice(0, this.replay.length - this.replayLimit);
      for (const ws of this.live) this.send(ws, json);
    });
  }

  private readonly live = new Set<WebSocket>();

  private send(ws: WebSocket, json: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.dropped++;
      this.live.delete(ws);
      ws.terminate();
      return;
    }
    ws.send(json);
  }

  get clients(): number {
    return this.wss.clients.size;
  }

  get droppedClients(): number {
    return this.dropped;
  }

  /** Takes over an HTTP upgrade for `/ws`; anything else is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // This runs before authentication: nothing a client sends may throw out of it and stop the agent.
    socket.on('error', () => socket.destroy());
    try {
      this.upgrade(req, socket, head);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Upgrades never reach the HTTP middleware: a foreign page (Origin) or a rebinding name (Host) stops here.
    const refusal = this.access ? upgradeRefusal(req.headers, this.access) : null;
    if (refusal !== null) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** The buffered messages after `since`, or null when some of them are gone (or `since` is not ours). */
  private missedSince(since: number): string[] | null {
    const current = this.bus.seq;
    if (!Number.isSafeInteger(since) || since < 0 || since > current) return null;
    if (since === current) return [];
    const first = this.replay[0];
    if (!first || first.seq > since + 1) return null;
    return this.replay.filter((m) => m.seq > since).map((m) => m.json);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/ws', 'http://localhost').searchParams;
    const since = query.get('since');
    const missed = since !== null && query.get('epoch') === this.epoch && /^\d+$/.test(since) ? this.missedSince(Number(since)) : null;
    // Snapshot (or replay) and seq are read in the same tick, and publishing happens synchronously
    // after commits, so no delta can fall between them.
    if (missed !== null) {
      const resume: ServerMessage = { type: 'resume', seq: this.bus.seq, epoch: this.epoch, since: Number(since) };
      ws.send(JSON.stringify(resume));
      for (const json of missed) ws.send(json);
    } else {
      const hello: ServerMessage = { type: 'hello', seq: this.bus.seq, epoch: this.epoch, snapshot: this.snapshot() };
      ws.send(JSON.stringify(hello));
    }
    this.live.add(ws);
    const forget = (): void => void this.live.delete(ws);
    ws.on('close', forget);
    ws.on('error', forget);
    // Clients send nothing yet; ignore whatever arrives.
    ws.on('message', () => {});
  }

  async close(): Promise<void> {
    this.live.clear();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
