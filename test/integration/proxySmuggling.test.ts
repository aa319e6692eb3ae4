// Request smuggling through the proxy: a GET, DELETE, HEAD or OPTIONS with `Transfer-Encoding: chunked`
// sent on a raw socket. The hop-by-hop header is not forwarded, and Node's client adds no framing of its
// own for those methods, so unless the proxy frames the body the upstream reads it as a second request
// (here a hidden generation with a Host the sender chose). A real upstream counts what it serves.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyServer } from '../../agent/proxy/ProxyServer.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Served {
  method: string;
  url: string;
  host: string | undefined;
  body: string;
}

async function countingUpstream() {
  const served: Served[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      served.push({ method: req.method!, url: req.url!, host: req.headers.host, body: Buffer.concat(parts).toString() });
      const body = JSON.stringify({ answer: `${req.method} ${req.url}` });
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
        .end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, served };
}

/** Writes `raw` on a new connection and collects what comes back until the proxy closes it or goes quiet. */
function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(raw));
    let got = '';
    let timer: NodeJS.Timeout | null = null;
    const done = () => {
      sock.destroy();
      resolve(got);
    };
    sock.on('data', (d) => {
      got += d.toString('latin1');
      // One complete response (headers and a Content-Length body) is all a request gets back.
      const m = /\r\n\r\n/.exec(got);
      const len = /content-length: (\d+)/i.exec(got);
      if (m && (raw.startsWith('HEAD') || (len && got.length >= m.index + 4 + Number(len[1])))) {
        timer ??= setTimeout(done, 50); // anything more would be a second, smuggled response
      }
    });
    sock.on('end', done);
    sock.on('error', reject);
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

const chunked = (body: string): string => `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;

describe('proxy: a body is forwarded only with framing', () => {
  for (const method of ['GET', 'DELETE', 'HEAD', 'OPTIONS']) {
    it(`${method} with Transfer-Encoding: chunked: the body reaches Ollama as this request's body, never as a second request`, async () => {
      const up = await countingUpstream();
      const downs: string[] = [];
      const proxy = new ProxyServer({
        spec: { listen: { host: '127.0.0.1', port: 0 }, upstream: { host: '127.0.0.1', port: up.port } },
        onRecord: () => {},
        onUpstreamDown: (e) => downs.push(e),
        log: () => {},
      });
      await proxy.start();
      cleanup.push(() => proxy.stop());

      const hidden = '{"model":"qwen3:8b","prompt":"never recorded"}';
      const smuggled = `POST /api/generate HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\nContent-Length: ${hidden.length}\r\n\r\n${hidden}`;
      const reply = await rawExchange(
        proxy.port,
        `${method} /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked(smuggled)}`,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 200 /);
      expect(reply.match(/HTTP\/1\.1 /g)).toHaveLength(1);

      // Innocent requests afterwards, on the proxy's kept-alive upstream sockets: each gets its own answer.
      const innocent = await Promise.all([get(proxy.port, '/api/ps'), get(proxy.port, '/api/version')]);
      expect(innocent).toEqual([
        { status: 200, body: '{"answer":"GET /api/ps"}' },
        { status: 200, body: '{"answer":"GET /api/version"}' },
      ]);

      expect(up.served.map((s) => `${s.method} ${s.url} ${s.host}`).sort()).toEqual(
        [`${method} /api/tags 127.0.0.1`, `GET /api/ps 127.0.0.1:${proxy.port}`, `GET /api/version 127.0.0.1:${proxy.port}`].sort(),
      );
      expect(up.served[0]!.body).toBe(smuggled);
      expect(proxy.status()).toMatchObject({ forwarded: up.served.length, upstreamErrors: 0, upstreamState: 'reachable', lastError: null });
      expect(downs).toEqual([]);
    });
  }

  it('refuses with 400 a transfer coding other than chunked, which it could not pass on as it came', async () => {
    const up = await countingUpstream();
    const proxy = new ProxyServer({
      spec: { listen: { host: '127.0.0.1', port: 0 }, upstream: { host: '127.0.0.1', port: up.port } },
      onRecord: () => {},
      log: () => {},
    });
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const reply = await rawExchange(
      proxy.port,
      `GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n${chunked('x')}`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(up.served).toEqual([]);
  });
});
