// Live latency (docs/quality-bars.md: a line appended to the log reaches a WebSocket client in ≤ 50 ms p99): the
// real agent in this process, a real log file, a real WebSocket client. Each line carries a unique
// path so its arrival can be matched to its write.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { runAgent } from '../dist/agent/main.js';
import { parseConfig } from '../dist/agent/config/parseConfig.js';

export async function measureLatency(count = 300, gapMs = 15) {
  const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-latency-'));
  const log = join(dir, 'server.log');
  writeFileSync(log, '');
  const { config } = parseConfig(['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--ollama', 'http://127.0.0.1:1'], {});
  const agent = await runAgent(config);
  const ws = new WebSocket(agent.url.replace('http', 'ws') + '/ws');
  const sent = new Map();
  const latencies = [];
  let done;
  const all = new Promise((resolve) => (done = resolve));
  // A Buffer: ws's default binaryType.
  ws.on('message', (/** @type {Buffer} */ data) => {
    const msg = JSON.parse(data.toString());
    if (msg.type !== 'request') return;
    const t0 = sent.get(msg.path);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    if (latencies.length === count) done();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  for (let i = 0; i < count; i++) {
    const path = `/api/chat/${i}`;
    sent.set(path, performance.now());
    appendFileSync(log, `[GIN] 2026/11/26 - 08:00:00 | 200 |    1.234567s |       127.0.0.1 | POST    "${path}"\n`);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
  ws.close();
  await agent.stop();
  rmSync(dir, { recursive: true, force: true });
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { received: sorted.length, count, p50: q(0.5), p99: q(0.99), max: sorted.at(-1) };
}
