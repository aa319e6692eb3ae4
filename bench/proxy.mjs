// `npm run bench`, proxy phase: what `--proxy` costs a client, direct vs proxied in the same run,
// against a stand-in Ollama on loopback. Added latency of small requests (p50/p99), time to the first
// streamed chunk, and throughput of a 10 MB stream. Prints figures beside their goals; asserts nothing.
import http from 'node:http';
import { ProxyServer } from '../dist/agent/proxy/ProxyServer.js';

const SMALL = JSON.stringify({
  model: 'qwen3:8b',
  created_at: '2026-01-01T00:00:00Z',
  response: 'ok',
  done: true,
  eval_count: 1,
  eval_duration: 1000,
});
const CHUNK =
  JSON.stringify({ model: 'qwen3:8b', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: 'token' }, done: false }) +
  '\n';
const BIG_BYTES = 10 * 1024 * 1024;

function upstream() {
  const big = Buffer.alloc(64 * 1024, 'x');
  return http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/api/generate') {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(SMALL) });
        res.end(SMALL);
      } else if (req.url === '/api/chat') {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        let n = 0;
        const next = () => {
          if (n++ < 20) {
            res.write(CHUNK);
            setImmediate(next);
          } else
            res.end(
              JSON.stringify({ done: true, eval_count: 20, eval_duration: 1e9, prompt_eval_count: 5, prompt_eval_duration: 1e7 }) + '\n',
            );
        };
        next();
      } else {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        let sent = 0;
        const pump = () => {
          while (sent < BIG_BYTES) {
            sent += big.length;
            if (!res.write(big)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      }
    });
  });
}

const listen = (server) => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));

/** One request; resolves with [ms to the first body byte, ms to the end, bytes]. */
function request(agent, port, path, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = null;
    let bytes = 0;
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        res.on('data', (c) => {
          if (first === null) first = performance.now() - t0;
          bytes += c.length;
        });
        res.on('end', () => resolve([first ?? performance.now() - t0, performance.now() - t0, bytes]));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (ms) => `${ms.toFixed(3)} ms`;

export async function benchProxy({ small = 3000, streams = 300 } = {}) {
  const up = upstream();
  const upPort = await listen(up);
  let recorded = 0;
  const proxy = new ProxyServer({
    spec: { listen: { host: '127.0.0.1', port: 0 }, upstream: { host: '127.0.0.1', port: upPort } },
    onRecord: () => void recorded++,
  });
  await proxy.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ model: 'qwen3:8b', prompt: 'hi', stream: false });
  const lines = [];
  try {
    // Warm-up: connections, JIT.
    for (let i = 0; i < 300; i++) {
      await request(agent, upPort, '/api/generate', body);
      await request(agent, proxy.port, '/api/generate', body);
    }
    // Small requests, alternating direct and proxied so both see the same machine state.
    const direct = [];
    const proxied = [];
    for (let i = 0; i < small; i++) {
      direct.push((await request(agent, upPort, '/api/generate', body))[1]);
      proxied.push((await request(agent, proxy.port, '/api/generate', body))[1]);
    }
    const added50 = pct(proxied, 50) - pct(direct, 50);
    const added99 = pct(proxied, 99) - pct(direct, 99);
    lines.push(
      `proxy, small requests (${small} each): direct p50 ${f(pct(direct, 50))} p99 ${f(pct(direct, 99))}; proxied p50 ${f(pct(proxied, 50))} ` +
        `p99 ${f(pct(proxied, 99))}; added p50 ${f(added50)}, p99 ${f(added99)}; goal < 1 ms added p50: ${added50 < 1 ? 'met' : 'NOT met'}`,
    );
    // Streams: time to the first chunk (first token) and to the end.
    const dFirst = [];
    const pFirst = [];
    for (let i = 0; i < streams; i++) {
      dFirst.push((await request(agent, upPort, '/api/chat', body))[0]);
      pFirst.push((await request(agent, proxy.port, '/api/chat', body))[0]);
    }
    const ttft = pct(pFirst, 50) - pct(dFirst, 50);
    lines.push(
      `proxy, time to first streamed chunk (${streams} NDJSON streams): direct p50 ${f(pct(dFirst, 50))}, proxied p50 ${f(pct(pFirst, 50))}, ` +
        `p99 ${f(pct(pFirst, 99))}; added p50 ${f(ttft)}; goal < 1 ms: ${ttft < 1 ? 'met' : 'NOT met'}`,
    );
    // A 10 MB stream.
    const mbps = async (port) => {
      const [, ms, bytes] = await request(agent, port, '/api/big', body);
      return bytes / 1e6 / (ms / 1000);
    };
    const d = Math.max(await mbps(upPort), await mbps(upPort), await mbps(upPort));
    const p = Math.max(await mbps(proxy.port), await mbps(proxy.port), await mbps(proxy.port));
    lines.push(
      `proxy, 10 MB stream: direct ${d.toFixed(0)} MB/s, proxied ${p.toFixed(0)} MB/s (best of 3; ${((100 * p) / d).toFixed(0)}% of direct); ` +
        `goal: far above any model's output rate (a 100 tok/s stream is < 0.1 MB/s): ${p > 100 ? 'met' : 'NOT met'}`,
    );
    lines.push(`proxy: ${recorded} requests recorded, ${proxy.status().recordErrors} recording faults`);
  } finally {
    agent.destroy();
    await proxy.stop();
    up.closeAllConnections();
    await new Promise((r) => up.close(r));
  }
  return lines;
}

// `node bench/proxy.mjs` runs this phase alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchProxy()) console.log(line);
}
