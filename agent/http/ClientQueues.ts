// The WebSocket hub's clients and what waits to be sent to them.
//
// Publishing never waits on a client: the bus only appends the message (serialised once) to each
// client's queue; queues are written out later, a bounded amount per turn of the event loop and only
// as fast as each socket takes them (`bufferedAmount`, send callbacks). A client that lets too much
// pile up, or the largest backlog when all queues together pass their cap, is dropped with close code
// WS_CLOSE_TOO_SLOW (the dashboard says so and resumes with `?since=`). A client that connects with
// `batch=1` (the dashboard does) takes several waiting messages as one JSON array frame: a frame per
// message per client is what limits a burst's fan-out, not the bytes.
import type { WebSocket } from 'ws';
import { WS_CLOSE_TOO_SLOW } from '../../shared/wsClose.js';

export interface QueueLimits {
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

export class ClientQueues {
  private dropped = 0;
  private readonly live = new Set<Client>();
  private totalQueued = 0;
  private drainScheduled = false;
  private closed = false;

  constructor(private readonly limits: QueueLimits) {}

  get size(): number {
    return this.live.size;
  }

  get droppedClients(): number {
    return this.dropped;
  }

  /** Bytes waiting in the queues (not yet handed to a socket). */
  get queuedBytes(): number {
    return this.totalQueued;
  }

  /** Starts serving a client: `greeting` goes first and uncapped, it comes only once. */
  add(ws: WebSocket, batch: boolean, greeting: string[]): void {
    const client: Client = { ws, queue: [], head: 0, queuedBytes: 0, waiting: false, batch };
    for (const json of greeting) this.enqueue(client, json, false);
    this.live.add(client);
    ws.on('close', () => this.forget(client));
    this.enforceTotal();
    this.scheduleDrain();
  }

  publish(json: string): void {
    for (const c of this.live) this.enqueue(c, json);
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

  /** Frees every queue and stops writing; the sockets are the hub's to terminate. */
  close(): void {
    this.closed = true;
    for (const c of [...this.live]) this.forget(c);
  }
}
