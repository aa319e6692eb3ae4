// The real WebSocket server on a real port: snapshot on connect, and a reconnect that resumes from
// the last seq when the replay buffer still holds what was missed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Bus } from '../../agent/bus.js';
import { WsHub } from '../../agent/http/WsHub.js';
import type { ServerMessage, Snapshot } from '../../shared/messages.js';
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

async function start(replayLimit?: number) {
  const bus = new Bus();
  const hub = new WsHub(bus, snapshot, replayLimit);
  const server = createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(async () => {
    await hub.close();
    await new Promise((r) => server.close(r));
  });
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
  const connect = async (query = '') => {
    const ws = new WebSocket(base + query);
    const messages: ServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse((d as Buffer).toString()) as ServerMessage)); // a Buffer: ws's default binaryType
    await new Promise((r) => ws.once('open', r));
    await until(() => messages.length > 0);
    cleanup.push(async () => void ws.close());
    return { ws, messages };
  };
  const status = (i: number) => bus.publish({ type: 'status', status: agentStatus({ requestCount: i }) });
  return { bus, hub, connect, status };
}

describe('WsHub', () => {
  it('greets with a snapshot and its epoch, then pushes deltas in seq order', async () => {
    const { hub, connect, status } = await start();
    const c = await connect();
    expect(c.messages[0]).toMatchObject({ type: 'hello', seq: 0, epoch: hub.epoch });
    status(1);
    status(2);
    await until(() => c.messages.length === 3);
    expect(c.messages.map((m) => m.seq)).toEqual([0, 1, 2]);
  });

  it('serialises nothing while no client is connected, and what a reconnecting client missed when it asks', async () => {
    const { hub, connect, status } = await start();
    const first = await connect();
    await until(() => first.messages.length === 1);
    first.ws.close();
    await until(() => hub.clients === 0);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      // A backfill publishes a message per stored request: with nobody watching, none is serialised.
      for (let i = 1; i <= 500; i++) status(i);
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    const again = await connect(`?since=498&epoch=${hub.epoch}`);
    await until(() => again.messages.length === 3);
    expect(again.messages.slice(1).map((m) => [m.type, m.seq])).toEqual([
      ['status', 499],
      ['status', 500],
    ]);
  });

  it('resumes a client that reconnects with its last seq: no snapshot, just what it missed, in order', async () => {
    const { hub, connect, status } = await start();
    const first = await connect();
    status(1);
    await until(() => first.messages.length === 2);
    first.ws.close();
    status(2);
    status(3);
    const again = await connect(`?since=1&epoch=${hub.epoch}`);
    await until(() => again.messages.length === 3);
    expect(again.messages[0]).toEqual({ type: 'resume', seq: 3, epoch: hub.epoch, since: 1 });
    expect(again.messages.slice(1).map((m) => [m.type, m.seq])).toEqual([
      ['status', 2],
      ['status', 3],
    ]);
    status(4);
    await until(() => again.messages.length === 4);
    expect(again.messages[3]!.seq).toBe(4);
  });

  it('sends a fresh snapshot when the seq is from another run of the agent, too old, or in the future', async () => {
    const { hub, connect, status } = await start(2);
    for (let i = 1; i <= 5; i++) status(i);
    for (const query of [
      '?since=1&epoch=other-run',
      `?since=1&epoch=${hub.epoch}`,
      `?since=99&epoch=${hub.epoch}`,
      `?since=x&epoch=${hub.epoch}`,
    ]) {
      const c = await connect(query);
      expect(c.messages[0], query).toMatchObject({ type: 'hello', seq: 5 });
    }
    // Within the buffer (the last 2 messages) it still resumes.
    const c = await connect(`?since=3&epoch=${hub.epoch}`);
    await until(() => c.messages.length === 3);
    expect(c.messages.map((m) => m.type)).toEqual(['resume', 'status', 'status']);
  });
});
