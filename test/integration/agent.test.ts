// The real agent as a child process: a temp log, a real WebSocket client, the real HTTP API.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/messages.js';
import { CLI, startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const agents: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
});

async function start(args: string[]) {
  const a = await startAgentProcess(args);
  agents.push(a);
  return a;
}

function collect(url: string) {
  const ws = new WebSocket(url.replace('http', 'ws') + '/ws');
  const messages: ServerMessage[] = [];
  ws.on('message', (d) => messages.push(JSON.parse((d as Buffer).toString()) as ServerMessage)); // a Buffer: ws's default binaryType
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, open };
}

describe('agent process', () => {
  it('tails a log into SQLite, pushes each request over /ws and serves it at /api/requests', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(
      log,
      'time=2026-11-26T08:00:00.000+01:00 level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"\n' +
        ginLine({ time: '08:00:01', path: '/api/tags', method: 'GET', latency: '1.2ms' }) +
        '\n',
    );
    const agent = await start(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
    expect(agent.output()).toContain(`log:        ${log}`);
    expect(agent.output()).toContain(join(dir, 'data'));

    const client = collect(agent.url);
    await client.open;
    const hello = await until(() => client.messages.find((m) => m.type === 'hello'));
    expect(hello.type === 'hello' && hello.snapshot.requests.map((r) => r.path)).toEqual(['/api/tags']);
    expect(hello.type === 'hello' && hello.snapshot.status.ollama.version).toBe('0.33.0'); // from the log while the API is down

    for (let i = 0; i < 20; i++)
      appendFileSync(log, ginLine({ time: `08:01:${String(i).padStart(2, '0')}`, latency: `${i + 1}.5s` }) + '\n');
    // Half a line: must not show up until its newline arrives.
    appendFileSync(log, ginLine({ time: '08:02:00', status: 500 }).slice(0, 30));
    const requests = await until(() => {
      const r = client.messages.filter((m) => m.type === 'request');
      return r.length >= 20 && r;
    });
    expect(requests).toHaveLength(20);
    const seqs = client.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(requests[0]).toMatchObject({
      type: 'request',
      method: 'POST',
      path: '/api/chat',
      status: 200,
      latencyMs: 1500,
      kind: 'inference',
      at: '2026-11-26T08:01:00+01:00',
      backend: null,
    });

    const page = (await (await fetch(`${agent.url}/api/requests?limit=5`)).json()) as { items: { latencyMs: number }[]; total: number };
    expect(page.total).toBe(21);
    expect(page.items.map((i) => i.latencyMs)).toEqual([20500, 19500, 18500, 17500, 16500]);

    appendFileSync(log, ginLine({ time: '08:02:00', status: 500 }).slice(30) + '\n');
    appendFileSync(log, 'a line no Ollama version ever wrote\n');
    const last = await until(() => client.messages.find((m) => m.type === 'request' && m.status === 500));
    expect(last).toMatchObject({ status: 500, at: '2026-11-26T08:02:00+01:00' });

    // Counted, not fatal: the health of the source says how many lines were not understood.
    const health = await until(async () => {
      const h = (await (await fetch(`${agent.url}/api/health`)).json()) as {
        ok: boolean;
        sources: { path: string; lagBytes: number; unparsed: number }[];
      };
      return h.sources[0]?.unparsed === 1 && h;
    });
    expect(health.ok).toBe(true);
    expect(health.sources).toEqual([expect.objectContaining({ path: log, lagBytes: 0, unparsed: 1 })]);
    client.ws.close();
  });

  it('pushes loads and incidents as they happen, survives a kill mid-load, and serves them at /api/loads and /api/incidents', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    const blob = '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';
    const T = (s: string) => `time=2026-11-26T08:00:${s}.000+01:00`;
    writeFileSync(
      log,
      [
        `${T('00')} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
        `${T('00')} level=INFO source=types.go:32 msg="inference compute" id=0 library=Metal name=MTL0 description="Apple M3 Max" total="96.0 GiB" available="96.0 GiB"`,
        `${T('01')} level=INFO source=server.go:109 msg="using llama-server for model" model=${blob}`,
        `${T('01')} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/x/llama-server --model ${blob} -c 8192 -np 1"`,
        'load_tensors: offloaded 31/33 layers to GPU',
        '',
      ].join('\n'),
    );
    const args = ['--log', log, '--port', '0', '--data-dir', join(dir, 'data')];
    // Killed while the load is still coming up: its pending state was saved at its resume point with the rows.
    const first = await start(args);
    await until(async () => ((await (await fetch(`${first.url}/api/loads`)).json()) as { items: unknown[] }).items.length === 1);
    await first.stop('SIGKILL');

    appendFileSync(
      log,
      [
        'llama_kv_cache:       MTL0 KV buffer size =   896.00 MiB',
        `${T('04')} level=INFO source=llama_server.go:1362 msg="llama-server started in 3.87 seconds"`,
        'ggml_metal_synchronize: error: command buffer 0 failed with status 5',
        `${T('09')} level=ERROR source=llama_server.go:985 msg="llama-server terminated" error="exit status 2"`,
        ginLine({ time: '08:00:09', status: 500, path: '/api/generate', latency: '5.1s' }),
        '',
      ].join('\n'),
    );
    const agent = await start(args);
    const client = collect(agent.url);
    await client.open;
    const kinds = await until(async () => {
      const items = ((await (await fetch(`${agent.url}/api/incidents`)).json()) as { items: { kind: string }[] }).items;
      return items.length >= 3 && items.map((i) => i.kind).sort();
    });
    expect(kinds).toEqual(['oom', 'partial_offload', 'runner_crash']);
    const loads = ((await (await fetch(`${agent.url}/api/loads`)).json()) as { items: Record<string, unknown>[] }).items;
    expect(loads).toEqual([
      expect.objectContaining({
        engine: 'llama.cpp',
        backend: 'metal',
        ctx: 8192,
        kvBytes: 896 * 2 ** 20,
        gpuLayers: 31,
        totalLayers: 33,
        loadSeconds: 3.87,
        outcome: 'failed',
        error: 'exit status 2',
      }),
    ]);
    const hello = await until(() => client.messages.find((m) => m.type === 'hello'));
    expect(hello.type === 'hello' && hello.snapshot.loads).toHaveLength(1);
    expect(hello.type === 'hello' && hello.snapshot.incidents).toHaveLength(3);

    // Live deltas: a new load arrives as a `load` message before anything asks for it.
    appendFileSync(log, `${T('20')} level=INFO source=server.go:109 msg="using llama-server for model" model=${blob}\n`);
    const pushed = await until(() => client.messages.find((m) => m.type === 'load'));
    expect(pushed).toMatchObject({ type: 'load', load: { engine: 'llama.cpp', outcome: null } });
    client.ws.close();
  });

  it('waits for a log that does not exist yet and says so', async () => {
    const dir = tmp();
    const log = join(dir, 'later', 'server.log');
    const agent = await start(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
    expect(agent.output()).toContain('waiting for it to appear');
    const health = (await (await fetch(`${agent.url}/api/health`)).json()) as { sources: { state: string }[] };
    expect(health.sources[0]!.state).toBe('waiting');
    mkdirSync(join(dir, 'later'));
    writeFileSync(log, ginLine() + '\n');
    const total = async () => ((await (await fetch(`${agent.url}/api/requests`)).json()) as { total: number }).total;
    await until(async () => (await total()) === 1).catch(() => undefined);
    expect(await total()).toBe(1);
  });

  it('does not store a line twice across a restart, and stops cleanly on SIGTERM', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, ginLine({ time: '08:00:01' }) + '\n' + ginLine({ time: '08:00:02' }) + '\n');
    const args = ['--log', log, '--port', '0', '--data-dir', join(dir, 'data')];
    const first = await start(args);
    await until(async () => ((await (await fetch(`${first.url}/api/requests`)).json()) as { total: number }).total === 2);
    expect(await first.stop('SIGTERM'), first.output()).toBe(0);
    appendFileSync(log, ginLine({ time: '08:00:03' }) + '\n');
    const second = await start(args);
    const total = async () => ((await (await fetch(`${second.url}/api/requests`)).json()) as { total: number }).total;
    await until(async () => (await total()) >= 3).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200)); // a duplicate would show up now
    expect(await total()).toBe(3);
  });
});

describe('CLI', () => {
  // A process that does not exit (a thread or timer left running) fails its test instead of hanging the run.
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, OLLAMA_LENS_PORT: '' } });

  it('--help lists every flag with its default and variable', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const s of [
      '--log PATH',
      '--port N',
      '--host ADDR',
      '--data-dir DIR',
      '--ollama URL',
      'OLLAMA_LENS_PORT',
      'default: 7878',
      'demo',
    ])
      expect(r.stdout).toContain(s);
  });

  it('demo --help explains the demo', () => {
    const r = run('demo', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('simulator');
  });

  it.each([
    [['--bogus'], 'unknown option "--bogus"'],
    [['--port', 'x'], '--port must be a port number'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('refuses %j with one line and exit 2', (args, msg) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(msg);
  });

  it('prints its version', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 1 with a one-line reason when the port is taken', async () => {
    const dir = tmp();
    const a = await start(['--log', join(dir, 's.log'), '--port', '0', '--data-dir', join(dir, 'd1')]);
    const port = new URL(a.url).port;
    const r = run('--log', join(dir, 's.log'), '--port', port, '--data-dir', join(dir, 'd2'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(existsSync(join(dir, 'd2'))).toBe(true);
  });
});
