// A webhook answering 500 with a large streamed body was read whole (RSS 86 → 958 MB)
// although 200 characters are used. Every outside body is now read up to a limit, then cancelled. The
// servers here answer with bodies that never end: only a bounded read can finish before the timeout.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../agent/alerts/channels/WebhookNotifier.js';
import { readBounded } from '../../agent/net/readBounded.js';
import { OllamaApi, OllamaApiError } from '../../agent/ollama/OllamaApi.js';
import { alert } from '../unit/alerts/channels/fixtures.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

interface Endless {
  url: string;
  /** Bytes the server managed to hand to its socket, and whether the client hung up. */
  sent: () => number;
  closed: Promise<void>;
}

/** Answers every request with `status` and a body that never ends (1 KiB chunks, respecting backpressure). */
async function endless(status: number, chunk = 'x'.repeat(1023) + '\n'): Promise<Endless> {
  let sent = 0;
  let onClose!: () => void;
  const closed = new Promise<void>((r) => (onClose = r));
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    let open = true;
    res.on('close', () => {
      open = false;
      onClose();
    });
    const pump = (): void => {
      while (open) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, closed };
}

describe('readBounded', () => {
  it('reads at most the limit, says the body went on, and decodes whole characters only', async () => {
    const body = 'é'.repeat(10); // 20 bytes
    expect(await readBounded(new Response(body), 5)).toEqual({ text: 'éé', truncated: true });
    expect(await readBounded(new Response(body), 20)).toEqual({ text: body, truncated: false });
    expect(await readBounded(new Response(body), 100)).toEqual({ text: body, truncated: false });
    expect(await readBounded(new Response(null), 10)).toEqual({ text: '', truncated: false });
  });
});

describe('bodies that never end', () => {
  it("a webhook's endless 500 reply: the error is reported from its first bytes and the connection is dropped", async () => {
    const srv = await endless(500);
    const logs: string[] = [];
    // A timeout far beyond the test's: an unbounded read would end only there, as "timed out".
    const n = new WebhookNotifier({
      url: `${srv.url}/hook`,
      format: 'json',
      dashboardUrl: 'http://127.0.0.1:1',
      retries: 0,
      timeoutMs: 20_000,
      log: (l) => logs.push(l),
    });
    n.send(alert(), 'fire');
    await n.whenIdle();
    await srv.closed;
    expect(n.status().lastError).toMatch(/^HTTP 500 from webhook: x{200} \(gave up after 1 attempts\)$/);
    expect(srv.sent()).toBeLessThan(64 * 1024 * 1024);
    console.log(`webhook endless 500: ${(srv.sent() / 1024).toFixed(0)} KiB handed to the socket before the agent hung up`);
    await n.close();
  });

  it('an endless Ollama answer is refused at its limit; an endless Ollama error reply keeps its first line', async () => {
    const ok = await endless(200, '[' + '1,'.repeat(511) + '\n');
    const api = new OllamaApi({ url: ok.url, timeoutMs: 20_000 });
    const err = await api.ps().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OllamaApiError);
    expect((err as OllamaApiError).message).toBe('answer from /api/ps over 4 MB');
    await ok.closed;

    const bad = await endless(500, '{"error":"boom"}');
    const err2 = await new OllamaApi({ url: bad.url, timeoutMs: 20_000 }).tags().then(
      () => null,
      (e: unknown) => e,
    );
    expect((err2 as OllamaApiError).message).toBe('HTTP 500 from /api/tags');
    await bad.closed;
  });
});
