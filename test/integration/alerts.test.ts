// Alerts end to end: a truncation line appended to a real log, read by the real agent (a child
// process), becomes an alert that reaches a real local webhook receiver, is served at /api/alerts,
// pushed over /ws, and can be acknowledged.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../shared/alerts.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const iso = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, '.000Z');
const gin = (d = new Date()): string => {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `[GIN] ${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} - ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} | 200 |  2.5s |       127.0.0.1 | POST     "/api/generate"`;
};

describe('alerts, end to end', () => {
  it('a truncation appended to the log reaches a webhook and an ntfy topic, once, and can be acknowledged', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, `time=${iso()} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n`);
    const hook = await receiver();
    const ntfy = await receiver();
    let agent: AgentProcess | null = await startAgentProcess([
      '--log',
      log,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--webhook',
      `${hook.url}/hook?token=s3cret`,
      '--ntfy',
      `${ntfy.url}/topic`,
    ]);
    cleanup.push(() => agent?.stop('SIGKILL') ?? Promise.resolve());

    const truncation = () =>
      `time=${iso()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n${gin()}\n`;
    appendFileSync(log, truncation());
    const [first] = await until(() => hook.received.length > 0 && hook.received);
    const body = JSON.parse(first!.body) as Record<string, unknown>;
    expect(first!.headers['content-type']).toMatch(/application\/json/);
    expect(body).toMatchObject({ event: 'fire', kind: 'context_truncated', severity: 'warning', state: 'firing', count: 1 });
    expect(body.evidence).toEqual([expect.stringMatching(/5065 tokens truncated to 2048/)]);
    expect(String(body.link)).toMatch(new RegExp(`^${agent.url}/#alert-\\d+$`));
    const pushed = await until(() => ntfy.received.length > 0 && ntfy.received[0]!);
    expect(pushed.headers['x-title']).toMatch(/context/i);
    expect(pushed.headers['x-tags']).toBe('warning,context_truncated');
    expect(pushed.body).toMatch(/5065 tokens truncated to 2048/);

    // The same thing again is the same alert, counted, not a second notification.
    appendFileSync(log, truncation());
    const counted = await until(async () => {
      const items = ((await (await fetch(`${agent!.url}/api/alerts?state=firing`)).json()) as { items: AlertRecord[] }).items;
      return items.length === 1 && items[0]!.count === 2 && items[0]!;
    });
    expect(counted).toMatchObject({ kind: 'context_truncated', acknowledgedAt: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.received).toHaveLength(1);

    const ack = await fetch(`${agent.url}/api/alerts/${counted.id}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { alert: AlertRecord }).alert.acknowledgedAt).not.toBeNull();
    expect(
      (await fetch(`${agent.url}/api/alerts/99999/ack`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status,
    ).toBe(404);
    expect((await fetch(`${agent.url}/api/alerts?state=open`)).status).toBe(400);

    // A restart keeps the alert, its count and its acknowledgement.
    await agent.stop('SIGTERM');
    agent = await startAgentProcess(['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--webhook', `${hook.url}/hook`]);
    appendFileSync(log, truncation());
    const after = await until(async () => {
      const items = ((await (await fetch(`${agent.url}/api/alerts`)).json()) as { items: AlertRecord[] }).items;
      return items.length === 1 && items[0]!.count === 3 && items[0]!;
    });
    expect(after).toMatchObject({ id: counted.id, state: 'firing', acknowledgedAt: expect.any(String) });
    expect(hook.received).toHaveLength(1);
  });

  it('a webhook that is down is a visible channel state, never a crash', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, '');
    // A port nothing listens on: take a free one and close it again.
    const closed = await receiver();
    await new Promise((resolve) => closed.server.close(resolve));
    const agent = await startAgentProcess([
      '--log',
      log,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--webhook',
      `${closed.url}/hook`,
    ]);
    cleanup.push(() => agent.stop('SIGKILL'));
    appendFileSync(
      log,
      `time=${iso()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n${gin()}\n`,
    );
    // Each failed attempt shows at once; `ok` turns false only when the retries are used up.
    const health = await until(async () => {
      const h = (await (await fetch(`${agent.url}/api/health`)).json()) as {
        channels?: { name: string; ok: boolean; lastError: string | null; pending: number }[];
      };
      return h.channels?.some((c) => c.lastError !== null) && h;
    });
    expect(health.channels).toEqual([
      expect.objectContaining({
        name: `webhook:${closed.url}/ho…`,
        sent: 0,
        pending: 1,
        lastError: expect.stringMatching(/ECONNREFUSED|refused|reach/),
      }),
    ]);
    expect((await fetch(`${agent.url}/api/requests`)).status).toBe(200);
  });
});
