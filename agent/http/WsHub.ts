// The push side of `/ws`: a `hello` with a snapshot on connect, then every bus message. A client
// that reconnects with `?since=SEQ&epoch=E` gets what it missed from a replay buffer instead, when the
// buffer still holds it and the agent is the same run. Past `maxClients`, a new client is closed with
// WS_CLOSE_TOO_MANY. Publishing never waits on a client: ClientQueues writes out what is sent, as fast
// as each client reads, and drops one that falls too far behind.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Snapshot, ServerMessage } from '../../shared/messages.js';
import { WS_CLOSE_TOO_MANY } from '../../shared/wsClose.js';
import type { Bus } from '../bus.js';
import { errorText, log } from '../log.js';
import { upgradeRefusal, type AccessPolicy } from './accessGuard.js';
import { ClientQueues, type QueueLimits } from './ClientQueues.js';
import { ReplayRing } from './ReplayRing.js';

/** The snapshot cannot be read for a reason the client may be told (a damaged database). */
export class SnapshotUnavailable extends Error {
  override name = 'SnapshotUnavailable';
}

/**
 * Messages kept for replay: minutes of a busy server. More than a dropped client's backlog can hold
 * (maxClientBytes of ~600-byte request messages), so a client dropped for being slow that reconnects
 * at once resumes where it was instead of starting over from a snapshot.
 */
export const REPLAY_MESSAGES = 20_000;

export interface WsLimits extends QueueLimits {
  /** Clients served at once; more are closed with WS_CLOSE_TOO_MANY. */
  maxClients: number;
}

export const DEFAULT_WS_LIMITS: WsLimits = {
  maxClients: 256,
  maxClientBytes: 4 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  highWaterBytes: 256 * 1024,
  bytesPerTurn: 256 * 1024,
  frameBytes: 64 * 1024,
  closeGraceMs: 5000,
};

type Sequenced = Exclude<ServerMessage, { type: 'hello' } | { type: 'resume' }>;

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  readonly epoch = randomUUID();
  /** The last messages published, for clients that reconnect with `?since=`. */
  private readonly replay: ReplayRing<Sequenced>;
  private readonly queues: ClientQueues;
  private closed = false;
  private readonly limits: WsLimits;

  constructor(
    private readonly bus: Bus,
    private readonly snapshot: () => Snapshot,
    replayLimit = REPLAY_MESSAGES,
    private readonly access: AccessPolicy | null = null,
    limits: Partial<WsLimits> = {},
  ) {
    this.limits = { ...DEFAULT_WS_LIMITS, ...limits };
    this.replay = new ReplayRing(replayLimit);
    this.queues = new ClientQueues(this.limits);
    this.wss.on('connection', (ws, req: IncomingMessage) => this.onConnection(ws, req));
    // One serialisation per message, whatever the number of clients, and none while nobody is
    // connected (the replay buffer serialises what a reconnecting client asks for).
    bus.subscribe((msg: Sequenced) => {
      if (this.queues.size === 0) {
        this.replay.push(msg);
        return;
      }
      const json = JSON.stringify(msg);
      this.replay.push(msg, json);
      this.queues.publish(json);
    });
  }

  get clients(): number {
    return this.queues.size;
  }

  get droppedClients(): number {
    return this.queues.droppedClients;
  }

  /** Bytes waiting in the queues (not yet handed to a socket). */
  get queuedBytes(): number {
    return this.queues.queuedBytes;
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
    const first = this.replay.first();
    if (!first || first.seq > since + 1) return null;
    return this.replay.after(since);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', () => ws.terminate());
    // Clients send nothing yet; ignore whatever arrives.
    ws.on('message', () => {});
    if (this.closed || this.queues.size >= this.limits.maxClients) {
      ws.close(WS_CLOSE_TOO_MANY, 'too many clients');
      setTimeout(() => ws.terminate(), this.limits.closeGraceMs).unref();
      return;
    }
    const query = new URL(req.url ?? '/ws', 'http://localhost').searchParams;
    const since = query.get('since');
    const missed = since !== null && query.get('epoch') === this.epoch && /^\d+$/.test(since) ? this.missedSince(Number(since)) : null;
    // Snapshot (or replay) and seq are read in the same tick, and publishing happens synchronously
    // after commits, so no delta can fall between them.
    let greeting: string[];
    if (missed !== null) {
      const resume: ServerMessage = { type: 'resume', seq: this.bus.seq, epoch: this.epoch, since: Number(since) };
      greeting = [JSON.stringify(resume), ...missed];
    } else {
      let snapshot: Snapshot;
      try {
        snapshot = this.snapshot();
      } catch (err) {
        // Thrown inside the 'connection' event it would stop the agent: this client alone is turned away.
        log.error(`WebSocket snapshot failed: ${errorText(err)}`);
        ws.close(1011, err instanceof SnapshotUnavailable ? err.message.slice(0, 120) : 'cannot read the snapshot; see the agent log');
        return;
      }
      const hello: ServerMessage = { type: 'hello', seq: this.bus.seq, epoch: this.epoch, snapshot };
      greeting = [JSON.stringify(hello)];
    }
    this.queues.add(ws, query.get('batch') === '1', greeting);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queues.close();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
