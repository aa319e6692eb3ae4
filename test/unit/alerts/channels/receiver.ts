// A real HTTP server on 127.0.0.1:<random port> that records what it receives and answers from a
// script, so the webhook channel is exercised through Node's real fetch, sockets and timeouts.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer, `'hang'` (never answer), or a function that answers when it likes. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | ((res: ServerResponse) => void);

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** `script(i)` answers the i-th request (0-based); answers 200 when it returns undefined. */
export async function startReceiver(script: (i: number, req: Received) => Reply | undefined = () => undefined): Promise<Receiver> {
  const received: Received[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const i = received.push(r) - 1;
      waiters = waiters.filter((w) => (received.length >= w.n ? (w.resolve(), false) : true));
      const reply = script(i, r) ?? { status: 200, body: 'ok' };
      if (reply === 'hang') return;
      if (typeof reply === 'function') return reply(res);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    waitFor: (n) => (received.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}
