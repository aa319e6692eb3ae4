// The security bars (docs/quality-bars.md#security) against the real agent process: DNS rebinding
// (foreign Host), foreign WebSocket Origins, a non-loopback --host without a token, and the token
// itself (header, one-time URL → cookie).
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLI, startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const agents: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
});

async function start(extra: string[] = []) {
  const dir = tmp();
  const a = await startAgentProcess(['--log', join(dir, 'server.log'), '--port', '0', '--data-dir', join(dir, 'data'), ...extra]);
  agents.push(a);
  const port = Number(/:(\d+)/.exec(a.url.replace('http://', ''))![1]);
  return { ...a, port, dir };
}

/** fetch() cannot set Host; node:http can. */
function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(port: number, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.once('error', (err) => resolve(`error ${err.message}`));
  });
}

describe('access guard', () => {
  it('answers only its own Host names and Origins (DNS rebinding), with strict headers and no CORS', async () => {
    const a = await start();
    const ok = await get(a.port, '/api/health', { host: `127.0.0.1:${a.port}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await get(a.port, '/api/health', { host: `localhost:${a.port}` })).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${a.port}`, `127.0.0.1:${a.port + 1}`, 'attacker.rebind.network:80']) {
      const res = await get(a.port, '/api/health', { host });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'forbidden_host' } });
    }
    expect((await get(a.port, '/', { host: 'evil.example' })).status).toBe(403);

    expect(await upgrade(a.port, { origin: `http://127.0.0.1:${a.port}` })).toBe('open');
    expect(await upgrade(a.port, {})).toBe('open'); // not a browser: no Origin
    expect(await upgrade(a.port, { origin: 'https://evil.example' })).toBe('403');
    expect(await upgrade(a.port, { host: 'evil.example', origin: 'http://evil.example' })).toBe('403');
    // The data directory is the user's alone.
    expect(statSync(join(a.dir, 'data')).mode & 0o777).toBe(0o700);
  });

  it('refuses a non-loopback --host without a token, and a short token', () => {
    const dir = tmp();
    const run = (args: string[]) =>
      spawnSync(process.execPath, [CLI, '--log', join(dir, 'x.log'), '--data-dir', join(dir, 'data'), ...args], { encoding: 'utf8' });
    const open = run(['--host', '0.0.0.0', '--port', '0']);
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/--host 0\.0\.0\.0 would expose ollama-lens beyond this machine without a token; add --token/);
    const short = run(['--host', '0.0.0.0', '--port', '0', '--token', 'abc']);
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/at least 16 characters/);
  });

  it('with a token, every API, page and WebSocket request needs it: header, or the printed URL once (cookie)', async () => {
    const token = 'f00dcafe0123456789abcdef';
    const a = await start(['--token', token]);
    // Not a terminal (as under a service manager): the banner says how to open it, without the token.
    expect(a.output()).not.toContain(token);
    expect(a.output()).toContain('/?token=TOKEN once');
    const host = `127.0.0.1:${a.port}`;
    const denied = await get(a.port, '/api/health', { host });
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer');
    expect((await get(a.port, '/api/health', { host, authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await get(a.port, '/api/health', { host, authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get(a.port, '/', { host })).status).toBe(401);

    const visit = await get(a.port, `/?token=${token}`, { host });
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/');
    const cookie = String((visit.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    expect((visit.headers['set-cookie'] as string[])[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await get(a.port, '/api/requests', { host, cookie })).status).toBe(200);

    expect(await upgrade(a.port, {})).toBe('401');
    expect(await upgrade(a.port, { cookie })).toBe('open');
    expect(await upgrade(a.port, { authorization: `Bearer ${token}` })).toBe('open');
  });
});
