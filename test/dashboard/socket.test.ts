import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../shared/messages.js';
import {
  buildWsUrl,
  LiveSocket,
  parseServerMessage,
  reconnectDelay,
  type ConnectionState,
  type SocketFactory,
  type SocketHandlers,
} from '../../dashboard/src/lib/socket.js';
import { WS_CLOSE_TOO_MANY, WS_CLOSE_TOO_SLOW } from '../../shared/wsClose.js';
import { agentStatus, record } from './fixtures.js';

interface FakeSocket {
  url: string;
  handlers: SocketHandlers;
  closed: boolean;
}

function harness() {
  const sockets: FakeSocket[] = [];
  const messages: ServerMessage[] = [];
  const states: ConnectionState[] = [];
  const createSocket: SocketFactory = (url, handlers) => {
    const socket: FakeSocket = { url, handlers, closed: false };
    sockets.push(socket);
    return { close: () => void (socket.closed = true) };
  };
  const live = new LiveSocket({
    url: (since, epoch) => buildWsUrl({ protocol: 'http:', host: 'localhost:7878' }, since, epoch),
    createSocket,
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
  });
  const last = () => sockets[sockets.length - 1]!;
  const send = (m: unknown) => last().handlers.message(JSON.stringify(m));
  return { live, sockets, messages, states, last, send };
}

const hello = (seq: number, epoch = 'run-1') => ({ type: 'hello', seq, epoch, snapshot: { status: agentStatus(), requests: [] } });
const delta = (seq: number, id: number) => ({ type: 'request', seq, ...record(id) });

describe('buildWsUrl', () => {
  it('uses ws/wss from the page protocol and adds since when resuming', () => {
    expect(buildWsUrl({ protocol: 'http:', host: 'localhost:7878' }, null)).toBe('ws://localhost:7878/ws?batch=1');
    expect(buildWsUrl({ protocol: 'https:', host: 'lens.local' }, 42)).toBe('wss://lens.local/ws?batch=1&since=42');
    expect(buildWsUrl({ protocol: 'http:', host: 'lens.local' }, 42, 'a b')).toBe('ws://lens.local/ws?batch=1&since=42&epoch=a%20b');
  });
});

describe('reconnectDelay', () => {
  it('backs off from 0.5 s doubling up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => reconnectDelay(n))).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });
});

describe('parseServerMessage', () => {
  it('rejects non-JSON, non-strings and unknown shapes', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'nope', seq: 1 }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: 'status' }))).toBeNull();
    expect(parseServerMessage(JSON.stringify(hello(1)))?.type).toBe('hello');
  });
});

describe('LiveSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects, reports open, and forwards valid messages only', () => {
    const h = harness();
    h.live.start();
    expect(h.live.state).toBe('connecting');
    expect(h.last().url).toBe('ws://localhost:7878/ws?batch=1');
    h.last().handlers.open();
    expect(h.states).toEqual(['open']);
    h.send(hello(1));
    h.last().handlers.message('garbage');
    h.send({ type: 'request', seq: 2, ...record(7) });
    expect(h.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(h.live.lastSeq).toBe(2);
  });

  it('takes a batch frame (a JSON array) as its messages in order, skipping invalid ones', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.open();
    h.send(hello(1));
    h.send([delta(2, 1), { type: 'nope' }, delta(3, 2), delta(3, 2)]);
    expect(h.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('drops deltas whose seq is not newer than the last one seen', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.open();
    h.send(hello(10));
    h.send(delta(11, 1));
    h.send(delta(11, 1));
    h.send(delta(9, 2));
    h.send(delta(12, 3));
    expect(h.messages.map((m) => m.seq)).toEqual([10, 11, 12]);
  });

  it('reconnects with backoff 0.5 → 1 → 2 s and passes ?since=<last seq>', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.open();
    h.send(hello(1));
    h.send(delta(5, 1));
    h.last().handlers.close();
    expect(h.live.state).toBe('reconnecting');

    vi.advanceTimersByTime(499);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(2);
    expect(h.last().url).toBe('ws://localhost:7878/ws?batch=1&since=5&epoch=run-1');

    h.last().handlers.close(); // refused again
    vi.advanceTimersByTime(999);
    expect(h.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(3);

    h.last().handlers.close();
    vi.advanceTimersByTime(2000);
    expect(h.sockets).toHaveLength(4);
    expect(h.states).toEqual(['open', 'reconnecting']);
  });

  it('dropped for falling behind (WS_CLOSE_TOO_SLOW): says "behind" and resumes at once with ?since=', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.open();
    h.send(hello(1));
    h.send(delta(7, 1));
    h.last().handlers.close(WS_CLOSE_TOO_SLOW);
    expect(h.live.state).toBe('behind');
    vi.advanceTimersByTime(0);
    expect(h.sockets).toHaveLength(2);
    expect(h.last().url).toBe('ws://localhost:7878/ws?batch=1&since=7&epoch=run-1');
    h.last().handlers.open();
    expect(h.states).toEqual(['open', 'behind', 'open']);
  });

  it('turned away because the agent serves its maximum (1013): says "busy" and backs off', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.close(WS_CLOSE_TOO_MANY);
    expect(h.live.state).toBe('busy');
    vi.advanceTimersByTime(499);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(2);
  });

  it('on resume keeps its state and applies the replayed deltas that follow (seq after since)', () => {
    const h = harness();
    h.live.start();
    h.last().handlers.open();
    h.send(hello(1));
    h.send(delta(2, 1));
    h.last().handlers.close();
    vi.advanceTimersByTime(500);
    h.last().handlers.open();
    h.send({ type: 'resume', seq: 4, epoch: 'run-1', since: 2 });
    h.send(delta(3, 2));
    h.send(delta(4, 3));
    expect(h.messages.map((m) => [m.type, m.seq])).toEqual([
      ['hello', 1],
      ['request', 2],
      ['resume', 4],
      ['request', 3],
      ['request', 4],
    ]);
    expect(h.live.lastSeq).toBe(4);
  });

  it('never waits more than 5 s and resets the backoff after a hello', () => {
    const h = harness();
    h.live.start();
    for (let i = 0; i < 8; i++) {
      h.last().handlers.close();
      vi.advanceTimersByTime(5000);
    }
    expect(h.sockets).toHaveLength(9);
    h.last().handlers.open();
    h.send(hello(1));
    h.last().handlers.close();
    vi.advanceTimersByTime(500);
    expect(h.sockets).toHaveLength(10);
  });

  it('accepts a hello with a lower seq (agent restarted) and resumes from it', () => {
    const h = harness();
    h.live.start();
    h.send(hello(100));
    h.last().handlers.close();
    vi.advanceTimersByTime(500);
    h.last().handlers.open();
    h.send(hello(1));
    h.send(delta(2, 1));
    expect(h.messages.map((m) => [m.type, m.seq])).toEqual([
      ['hello', 100],
      ['hello', 1],
      ['request', 2],
    ]);
  });

  it('ignores events from an abandoned socket and stops reconnecting after stop()', () => {
    const h = harness();
    h.live.start();
    const first = h.last();
    first.handlers.close();
    vi.advanceTimersByTime(500);
    first.handlers.message(JSON.stringify(hello(1))); // stale socket
    expect(h.messages).toEqual([]);
    h.live.stop();
    expect(h.last().closed).toBe(true);
    h.last().handlers.close();
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(2);
  });

  it('retries when the socket cannot even be created', () => {
    let calls = 0;
    const live = new LiveSocket({
      url: () => 'ws://x/ws',
      createSocket: () => {
        calls++;
        throw new SyntaxError('bad url');
      },
      onMessage: () => {},
    });
    live.start();
    expect(live.state).toBe('reconnecting');
    vi.advanceTimersByTime(500);
    expect(calls).toBe(2);
    live.stop();
  });
});
