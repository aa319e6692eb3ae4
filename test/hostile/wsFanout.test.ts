// WebSocket fan-out, in process on a real port: publishing only queues (sockets are written later, as
// fast as each takes it), a stalled client is dropped with WS_CLOSE_TOO_SLOW while readers get every
// message, the queues together are capped, and clients past the maximum are turned away with 1013.
// The load version against the real agent is wsLoad.test.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Bus } from '../../agent/bus.js';
import { WsHub, type WsLimits } from '../../agent/http/WsHub.js';
import type { ServerMessage, Snapshot } from '../../shared/messages.js';
import { WS_CLOSE_TOO_MANY, WS_CLOSE_TOO_SLOW } from '../../shared/wsClose.js';
import { agentStatus } from '../dashboard/fixtures.js';
import { until } from '../helpers/until.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const snapshot = (): Snapshot => ({
  status: agentStatus(),
  requests: [],
  loads: [],
  incidents: [],
  memory: [],
  models: [],
  modelsCheckedAt: null,
  alerts: [],
});

async function start(limits: Partial<WsLimits> = {}) {
  const bus = new Bus();
  const hub = new WsHub(bus, snapshot, undefined, null, { closeGraceMs: 60_000, ...limits });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(async () => {
    await hub.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  const connect = async () => {
    const ws = new WebSocket(base);
    const messages: ServerMessage[] = [];
    let closeCode: number | null = null;
    ws.on('message', (d) => messages.push(JSON.parse((d as Buffer).toString()) as ServerMessage)); // a Buffer: ws's default binaryType
    ws.on('close', (code) => (closeCode = code));
    ws.on('error', () => {});
    await new Promise((r) => ws.once('open', r));
    cleanup.push(async () => void ws.terminate());
    return { ws, messages, closeCode: () => closeCode };
  };
  /** A client that stops reading its socket after the greeting. */
  const stalled = async () => {
    const c = await connect();
    await until(() => c.messages.length > 0);
    (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    return { ...c, resume: () => (c.ws as unknown as { _socket: { resume(): void } })._socket.resume() };
  };
  const publish = (n: number, size = 1000) => {
    const pad = 'x'.repeat(size);
    for (let i = 0; i < n; i++) bus.publish({ type: 'status', status: agentStatus({ agentVersion: pad }) });
  };
  return { bus, hub, connect, stalled, publish };
}

describe('WebSocket fan-out', () => {
  it('publishing only queues: nothing is written to a socket until the event loop turns', async () => {
    const { hub, connect, publish } = await start();
    const reader = await connect();
    await until(() => reader.messages.length === 1);
    publish(100);
    expect(hub.queuedBytes).toBeGreaterThan(100 * 1000);
    expect(reader.ws.bufferedAmount).toBe(0);
    await until(() => reader.messages.length === 101);
    expect(hub.queuedBytes).toBe(0);
  });

  it('drops a stalled client with WS_CLOSE_TOO_SLOW while readers get every message in order', async () => {
    const { hub, connect, stalled, publish } = await start({ maxClientBytes: 256 * 1024 });
    const readers = await Promise.all([connect(), connect(), connect()]);
    const slow = await stalled();
    // A steady stream the readers keep up with; the stalled client's backlog only grows.
    for (let round = 0; round < 80; round++) {
      publish(50);
      await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => readers.every((r) => r.messages.length === 4001));
    for (const r of readers) expect(r.messages.map((m) => m.seq)).toEqual(Array.from({ length: 4001 }, (_, i) => i));
    expect(hub.droppedClients).toBe(1);
    expect(hub.clients).toBe(3);
    // Once it reads again, it learns why it was dropped (the close frame waited behind its backlog).
    slow.resume();
    await until(() => slow.closeCode() !== null);
    expect(slow.closeCode()).toBe(WS_CLOSE_TOO_SLOW);
    expect(slow.messages.length).toBeLessThan(4001);
  });

  it('caps all queues together: the largest backlog goes first', async () => {
    const { hub, connect, stalled, publish } = await start({ maxClientBytes: 64 * 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 });
    const reader = await connect();
    const a = await stalled();
    const b = await stalled();
    // 24 MB each: more than the kernel's socket buffers hold for a reader that does not read.
    for (let round = 0; round < 120; round++) {
      publish(10, 20_000);
      await new Promise((r) => setTimeout(r, 1));
    }
    await until(() => reader.messages.length === 1201);
    expect(hub.droppedClients).toBeGreaterThanOrEqual(1);
    expect(hub.queuedBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    a.resume();
    b.resume();
    await until(() => a.closeCode() !== null || b.closeCode() !== null);
    expect([a.closeCode(), b.closeCode()]).toContain(WS_CLOSE_TOO_SLOW);
  });

  it('turns away clients past the maximum with 1013, and serves the ones it has', async () => {
    const { hub, connect, publish } = await start({ maxClients: 2 });
    const a = await connect();
    const b = await connect();
    const c = await connect();
    await until(() => c.closeCode() !== null);
    expect(c.closeCode()).toBe(WS_CLOSE_TOO_MANY);
    expect(hub.clients).toBe(2);
    publish(3);
    await until(() => a.messages.length === 4 && b.messages.length === 4);
  });
});
