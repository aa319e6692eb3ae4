// The push side of `/ws`: a `hello` with a snapshot on connect, then every bus message. A client
// that reconnects with `?since=SEQ&epoch=E` gets what it missed from a replay buffer instead, when the
// buffer still holds it and the agent is the same run.
//
// Publishing never waits on a client: the bus only appends the message (serialised once) to each
// client's queue; queues are written out later, a bounded amount per turn of the event loop and only
// as fast as each socket takes them (`bufferedAmount`, send callbacks). A client that lets too much
// pile up, or the largest backlog when all queues together pass their cap, is dropped with close code
// WS_CLOSE_TOO_SLOW (the dashboard says so and resumes with `?since=`). Past `maxClients`, a new
// client is closed with WS_CLOSE_TOO_MANY. A client that connects with `batch=1` (the dashboard does)
// takes several waiting messages as one JSON array frame: a frame per message per client is what
// limits a burst's fan-out, not the bytes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Snapshot, ServerMessage } from '../../shared/messages.js';
import { WS_CLOSE_TOO_MANY, WS_CLOSE_TOO_SLOW } from '../../shared/wsClose.js';
import type { Bus } from '../bus.js';
import { errorText, log } from '../log.js';
import { upgradeRefusal, type AccessPolicy } from './accessGuard.js';
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

export interface WsLimits {
  /** Clients served at once; more are closed with WS_CLOSE_TOO_MANY. */
  maxClients: number;
  /** One client's backlog (our queue + what the socket holds) beyond which it is dropped. */
  maxClientBytes: number;
  /** All queues together; past it the largest backlog is dropped until under. */
  maxTotalBytes: number;
  /** A socket is written to only while it holds less than this. */
  highWaterBytes: number;
  /** Bytes written per turn of the event loop, so a burst never starves ingestion or the API. */
  bytesPerTurn: number;
  /** Largest array frame for a `batch=1` client (one message larger than this goes alone). */
  frameBytes: number;
  /** A dropped client that does not finish the close handshake in this time is cut. */
  closeGraceMs: number;
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

interface Client {
  ws: WebSocket;
  queue: string[];
  /** Index of the next message to send in `queue` (shifting an array per send is quadratic). */
  head: number;
  queuedBytes: number;
  /** A send callback is awaited before writing more (the socket is at its high-water mark). */
  waiting: boolean;
  /** Takes several messages per frame, as a JSON array. */
  batch: boolean;
}

export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private dropped = 0;
  readonly epoch = randomUUID();
  /** The last messages published, for clients that reconnect with `?since=`. */
  private readonly replay: ReplayRing<Sequenced>;
  private readonly live = new Set<Client>();
  private totalQueued = 0;
  private drainScheduled = false;
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
    this.wss.on('connection', (ws, req: IncomingMessage) => this.onConnection(ws, req));
    // One serialisation per message, whatever the number of clients, and none while nobody is
    // connected (the replay buffer serialises what a reconnecting client asks for).
    bus.subscribe((msg: Sequenced) => {
      if (this.live.size === 0) {
        this.replay.push(msg);
        return;
      }
      const json = JSON.stringify(msg);
      this.replay.push(msg, json);
      for (const c of this.live) this.enqueue(c, json);
      this.enforceTotal();
      this.scheduleDrain();
    });
  }

  get clients(): number {
    return this.live.size;
  }

  get droppedClients(): number {
    return this.dropped;
  }

  /** Bytes waiting in the queues (not yet handed to a socket). */
  get queuedBytes(): number {
    return this.totalQueued;
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
    if (this.closed || this.live.size >= this.limits.maxClients) {
      ws.close(WS_CLOSE_TOO_MANY, 'too many clients');
      setTimeout(() => ws.terminate(), this.limits.closeGraceMs).unref();
      return;
    }
    const query = new URL(req.url ?? '/ws', 'http://localhost').searchParams;
    const since = query.get('since');
    const missed = since !== null && query.get('epoch') === this.epoch && /^\d+$/.test(since) ? this.missedSince(Number(since)) : null;
    const client: Client = { ws, queue: [], head: 0, queuedBytes: 0, waiting: false, batch: query.get('batch') === '1' };
    // Snapshot (or replay) and seq are read in the same tick, and publishing happens synchronously
    // after commits, so no delta can fall between them.
    if (missed !== null) {
      const resume: ServerMessage = { type: 'resume', seq: this.bus.seq, epoch: this.epoch, since: Number(since) };
      this.enqueue(client, JSON.stringify(resume), false);
      for (const json of missed) this.enqueue(client, json, false);
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
      this.enqueue(client, JSON.stringify(hello), false);
    }
    this.live.add(client);
    ws.on('close', () => this.forget(client));
    this.enforceTotal();
    this.scheduleDrain();
  }

  /** `capped`: false for the greeting, which may be a large snapshot but comes only once. */
  private enqueue(c: Client, json: string, capped = true): void {
    c.queue.push(json);
    c.queuedBytes += json.length;
    this.totalQueued += json.length;
    if (capped && c.queuedBytes + c.ws.bufferedAmount > this.limits.maxClientBytes) this.drop(c);
  }

  private enforceTotal(): void {
    while (this.totalQueued > this.limits.maxTotalBytes) {
      // Backlog counts what the socket still holds too: after a burst every queue is equally long,
      // and the client whose socket is full is the one not reading.
      let worst: Client | null = null;
      let worstBacklog = -1;
      for (const c of this.live) {
        const backlog = c.queuedBytes + c.ws.bufferedAmount;
        if (backlog > worstBacklog) [worst, worstBacklog] = [c, backlog];
      }
      if (worst === null) return;
      this.drop(worst);
    }
  }

  /** Stops serving a client that fell behind: its queue is freed now, the socket closed with the reason. */
  private drop(c: Client): void {
    if (!this.live.has(c)) return;
    this.dropped++;
    this.forget(c);
    // The close frame goes behind what the socket already holds: a slow reader still gets the reason;
    // one that reads nothing is cut after the grace period.
    c.ws.close(WS_CLOSE_TOO_SLOW, 'too slow: reconnect with ?since=');
    setTimeout(() => c.ws.terminate(), this.limits.closeGraceMs).unref();
  }

  private forget(c: Client): void {
    if (!this.live.delete(c)) return;
    this.totalQueued -= c.queuedBytes;
    c.queue = [];
    c.head = 0;
    c.queuedBytes = 0;
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** Writes queued messages out, round-robin, at most `bytesPerTurn` per call; reschedules itself for the rest. */
  private drain(): void {
    let budget = this.limits.bytesPerTurn;
    let more = false;
    for (const c of this.live) {
      if (c.waiting || c.head >= c.queue.length) continue;
      if (c.ws.readyState !== c.ws.OPEN) {
        if (c.ws.readyState !== c.ws.CONNECTING) this.forget(c);
        continue;
      }
      if (c.ws.bufferedAmount >= this.limits.highWaterBytes) {
        // Full without a send of ours pending (e.g. a ping): look again shortly rather than spin.
        c.waiting = true;
        setTimeout(() => {
          c.waiting = false;
          this.scheduleDrain();
        }, 20).unref();
        continue;
      }
      let last: string | null = null;
      while (c.head < c.queue.length && c.ws.bufferedAmount < this.limits.highWaterBytes && budget > 0) {
        const json = this.nextFrame(c);
        budget -= json.length;
        last = json;
        const isLast = c.head >= c.queue.length || c.ws.bufferedAmount + json.length >= this.limits.highWaterBytes;
        if (isLast) {
          // Written out by the socket: continue with this client then.
          c.waiting = true;
          c.ws.send(json, () => {
            c.waiting = false;
            if (c.head < c.queue.length) this.scheduleDrain();
          });
          break;
        }
        c.ws.send(json);
      }
      if (c.head >= c.queue.length) {
        c.queue = [];
        c.head = 0;
      } else if (c.head > 1024) {
        c.queue = c.queue.slice(c.head);
        c.head = 0;
      }
      if (last !== null && !c.waiting && c.head < c.queue.length) more = true;
      if (budget <= 0) {
        more = true;
        break;
      }
    }
    // Fairness: the clients not reached this turn come first next turn.
    if (more) this.scheduleDrain();
  }

  /** The next frame of a client's queue: one message, or for a `batch=1` client as many as fit in `frameBytes`, as an array. */
  private nextFrame(c: Client): string {
    const first = c.queue[c.head]!;
    let end = c.head + 1;
    let bytes = first.length;
    if (c.batch) {
      while (end < c.queue.length && bytes + c.queue[end]!.length + 1 <= this.limits.frameBytes) bytes += c.queue[end++]!.length + 1;
    }
    const parts = c.queue.slice(c.head, end);
    for (let i = c.head; i < end; i++) c.queue[i] = '';
    c.head = end;
    const taken = parts.reduce((n, p) => n + p.length, 0);
    c.queuedBytes -= taken;
    this.totalQueued -= taken;
    return parts.length === 1 ? first : `[${parts.join(',')}]`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of [...this.live]) this.forget(c);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
