// WebSocket fan-out against the real agent (a child process): 100 WebSocket readers and 5 clients that
// never read, while 10,000 gin lines are appended to the log it follows. Before the fix, sends to every
// client were made synchronously per batch: 9,800 of 20,000 lines delivered in 57 s, /api/health timing
// out, RSS from 100 to 738 MB. Now every reader gets every line (a reader dropped for being slow
// resumes with ?since=, as the dashboard does), /api/health keeps answering, and RSS stays bounded.
// The figures are printed for the CI log.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE_TOO_SLOW } from '../../shared/wsClose.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const READERS = Number(process.env.LOAD_READERS ?? 100);
const STALLED = Number(process.env.LOAD_STALLED ?? 5);
const LINES = Number(process.env.LOAD_LINES ?? 10_000);
const CHUNK = 500;

const tmp = useTmpDir();
const sockets: WebSocket[] = [];
let agent: AgentProcess | null = null;
let finished = false;
afterAll(async () => {
  finished = true;
  for (const ws of sockets) ws.terminate();
  await agent?.stop('SIGKILL');
});

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const PROBER = `
const url = process.argv[1];
const latencies = [];
let failures = 0;
let running = true;
process.stdin.on('data', () => (running = false));
(async () => {
  while (running) {
    const t = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (!res.ok) failures++;
    } catch {
      failures++;
    }
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(JSON.stringify({ latencies, failures }));
  process.exit(0);
})();
`;

function startProber(url: string): { stop(): Promise<{ latencies: number[]; failures: number }> } {
  const child = spawn(process.execPath, ['-e', PROBER, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stop: async () => {
      child.stdin.write('stop\n');
      await exited;
      return JSON.parse(out) as { latencies: number[]; failures: number };
    },
  };
}

interface Frame {
  type: string;
  seq: number;
  epoch?: string;
}

/** A reader as the dashboard is one: counts request messages, and on WS_CLOSE_TOO_SLOW resumes with ?since=. */
function reader(base: string) {
  const state = { requests: 0, lastSeq: 0, epoch: '', drops: 0, ws: null as WebSocket | null, done: false };
  const open = (query: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(base + query);
      sockets.push(ws);
      state.ws = ws;
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        // Fast path for the bulk (this process reads 100 sockets on the same 2 cores as the agent):
        // request messages counted by their opening, the frame's last seq from its end (seq is every
        // message's last key). Greetings and resumes are parsed whole.
        if (!/^\[?\{"type":"(hello|resume)"/.test(text)) {
          let n = 0;
          for (let i = text.indexOf('{"type":"request"'); i !== -1; i = text.indexOf('{"type":"request"', i + 1)) n++;
          state.requests += n;
          state.lastSeq = Number(/"seq":(\d+)\}\]?$/.exec(text)?.[1] ?? state.lastSeq);
          return;
        }
        const parsed = JSON.parse(text) as Frame | Frame[];
        for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
          if (m.type === 'hello') {
            state.epoch = m.epoch ?? '';
            state.lastSeq = m.seq;
            continue;
          }
          if (m.type === 'resume' || m.seq <= state.lastSeq) continue;
          state.lastSeq = m.seq;
          if (m.type === 'request') state.requests++;
        }
      });
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', (code) => {
        // Like the dashboard: resume after any drop (4008 normally; 1006 if the close frame came too late).
        if (!state.done && !finished) {
          if (code === WS_CLOSE_TOO_SLOW) state.drops++;
          void open(`?batch=1&since=${state.lastSeq}&epoch=${state.epoch}`);
        }
      });
    });
  // batch=1, as the dashboard asks.
  return { state, ready: open('?batch=1') };
}

describe('WebSocket fan-out under load (real agent)', () => {
  it(`${READERS} readers + ${STALLED} stalled clients, ${LINES} lines: every reader gets every line, /api/health answers`, async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, `time=2026-11-26T08:00:00.000Z level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n`);
    agent = await startAgentProcess(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
    const pid = agent.child.pid!;
    const base = `${agent.url.replace('http', 'ws')}/ws`;

    const readers = Array.from({ length: READERS }, () => reader(base));
    await Promise.all(readers.map((r) => r.ready));
    for (let i = 0; i < STALLED; i++) {
      const ws = new WebSocket(base);
      sockets.push(ws);
      ws.on('error', () => {});
      await new Promise((r) => ws.once('message', r));
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    }
    // Warm-up: the first request pays for fetch's own start-up, not the agent's.
    await (await fetch(`${agent.url}/api/health`)).arrayBuffer();
    const rssBefore = rssMb(pid);

    // /api/health, asked again as soon as it answers, for the whole run — from its own process, so the
    // figure is the agent's answer time, not this process's busy event loop reading 100 sockets.
    const prober = startProber(`${agent.url}/api/health`);

    let rssPeak = rssBefore;
    const started = performance.now();
    for (let at = 0; at < LINES; at += CHUNK) {
      const n = Math.min(CHUNK, LINES - at);
      const lines = Array.from({ length: n }, (_, i) => {
        const s = at + i;
        const time = `08:${String(Math.floor(s / 3600) % 60).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;
        return ginLine({ time, method: 'POST', path: '/api/chat', latency: `${(s % 900) + 100}ms` });
      });
      appendFileSync(log, lines.join('\n') + '\n');
      rssPeak = Math.max(rssPeak, rssMb(pid));
      await new Promise((r) => setTimeout(r, 250));
    }
    await until(() => {
      rssPeak = Math.max(rssPeak, rssMb(pid));
      return readers.every((r) => r.state.requests >= LINES);
    }, 90_000).catch((err: Error) => {
      const counts = readers.map((r) => r.state.requests);
      throw new Error(
        `${err.message}: readers got ${Math.min(...counts)}…${Math.max(...counts)} of ${LINES} requests; agent output:\n${agent!.output().slice(-2000)}`,
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const { latencies, failures: healthFailures } = await prober.stop();
    for (const r of readers) r.state.done = true;
    const rssAfter = rssMb(pid);

    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
    const delivered = readers.reduce((sum, r) => sum + r.state.requests, 0);
    const drops = readers.reduce((sum, r) => sum + r.state.drops, 0);
    console.log(
      `ws load: ${READERS} readers + ${STALLED} stalled, ${LINES} lines in ${seconds.toFixed(1)} s; ` +
        `delivered ${delivered} of ${READERS * LINES} request messages (${drops} reader drops resumed with ?since=); ` +
        `/api/health p95 ${p95.toFixed(0)} ms over ${latencies.length} probes, ${healthFailures} failed; ` +
        `RSS ${rssBefore.toFixed(0)} → peak ${rssPeak.toFixed(0)} → ${rssAfter.toFixed(0)} MB (growth ${(rssPeak - rssBefore).toFixed(0)} MB)`,
    );

    for (const r of readers) expect(r.state.requests).toBe(LINES);
    expect(healthFailures).toBe(0);
    expect(p95).toBeLessThan(250);
    expect(rssPeak - rssBefore).toBeLessThan(200);
    expect(agent.child.exitCode).toBeNull();
  }, 150_000);
});
