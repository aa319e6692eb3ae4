// The demo's proxied traffic: an MLX chat turn is sent as a real HTTP request (here to a recording
// stand-in for the agent's proxy, forwarding to the simulated Ollama), opened the access line's
// latency before the simulator writes that line and answered with the turn's counters when it does,
// so the proxy would measure the latency and end time the log shows and merge the two.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../agent/demo/fakeOllama.js';
import { ProxyBridge } from '../../agent/demo/proxyClient.js';
import { startSimulator, type Simulator } from '../../agent/demo/simulator.js';
import { createDemoState } from '../../agent/demo/state.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

interface Seen {
  path: string;
  startedAt: number;
  endedAt: number;
  body: { prompt_eval_count?: number; eval_count?: number; eval_duration?: number };
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });

describe('demo traffic through the proxy', () => {
  it('opens an MLX turn the latency before its access line and answers it with the turn’s counters', { timeout: 90_000 }, async () => {
    const dir = tmp();
    const state = createDemoState(1);
    const bridge = new ProxyBridge();
    const ollama: FakeOllama = await startFakeOllama({ port: 0, state, bridge });
    stops.push(() => ollama.close());
    const seen: Seen[] = [];
    const recorder = createServer((req, res) => {
      const startedAt = Date.now();
      void read(req).then(async (body) => {
        const r = await fetch(`${ollama.url}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await r.text();
        seen.push({ path: req.url ?? '', startedAt, endedAt: Date.now(), body: JSON.parse(text) as Seen['body'] });
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => recorder.close(() => resolve())));
    const sim: Simulator = startSimulator({
      dir,
      speed: 1,
      seed: 1,
      state,
      splitChance: 0,
      proxy: { url: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`, bridge },
    });
    stops.push(() => sim.stop());

    const first = await until(() => seen[0], 60_000);
    await sim.stop();
    const lines = readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n');
    // The turn in the log: MLX's prefix-cache line states its prompt tokens; its access line follows.
    expect(first.path).toBe('/api/chat');
    const prompt = first.body.prompt_eval_count;
    const cacheLine = lines.findIndex((l) => /msg="cache (?:miss|hit)"/.test(l) && l.includes(`total=${prompt} `));
    expect(cacheLine, `no MLX turn of ${prompt} prompt tokens in the log`).toBeGreaterThan(0);
    const gin = lines.slice(cacheLine).find((l) => l.startsWith('[GIN]') && l.includes('"/api/chat"'))!;
    const latencyS = Number(/\|\s+([\d.]+)s\s+\|/.exec(gin)![1]);
    expect(first.body.eval_count).toBeGreaterThan(0);
    expect(first.body.eval_duration).toBeGreaterThan(0);
    // The proxy merges within 1.5 s of the log's latency.
    expect(Math.abs((first.endedAt - first.startedAt) / 1000 - latencyS)).toBeLessThan(1.5);
  });
});
