// `ollama-lens doctor` as a user runs it: the built CLI in a child process, against the demo's fake
// Ollama API (in this process, so the child is spawned asynchronously) and a real temporary log.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../agent/demo/fakeOllama.js';
import { LLAMA_8B, QWEN_MLX } from '../../agent/demo/models.js';
import { createDemoState, markLoaded } from '../../agent/demo/state.js';
import type { DoctorReport } from '../../agent/doctor/types.js';
import { CLI } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let api: FakeOllama | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Asynchronous: the fake Ollama answers from this very process while the child runs. */
function doctor(...args: string[]): Promise<Run> {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: '127.0.0.1:1' };
  for (const k of Object.keys(env))
    if (k.startsWith('OLLAMA_LENS_') || k === 'OLLAMA_KV_CACHE_TYPE' || k === 'OLLAMA_NUM_PARALLEL') delete env[k];
  const child = spawn(process.execPath, [CLI, 'doctor', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started }));
  });
}

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SERVER_CONFIG =
  'time=2026-11-26T08:00:00.000+01:00 level=INFO source=routes.go:1752 msg="server config" ' +
  'env="map[OLLAMA_CONTEXT_LENGTH:8192 OLLAMA_KV_CACHE_TYPE:q8_0 OLLAMA_NUM_PARALLEL:2 OLLAMA_ORIGINS:[http://localhost https://localhost]]"\n' +
  'time=2026-11-26T08:00:00.010+01:00 level=INFO source=routes.go:1800 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"\n';

describe('ollama-lens doctor', () => {
  it('--json: a readable log and a reachable Ollama give exit code 0 and the documented keys', async () => {
    const state = createDemoState();
    const at = new Date();
    markLoaded(state, LLAMA_8B, at, 8192, 6_000_000_000);
    api = await startFakeOllama({ state });
    const log = join(tmp(), 'server.log');
    writeFileSync(log, SERVER_CONFIG);

    const r = await doctor('--json', '--log', log, '--ollama', api.url);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as DoctorReport;
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining(['ok', 'machine', 'memory', 'ollama', 'log', 'mlx', 'models', 'loaded', 'checks']),
    );
    expect(out.ok).toBe(true);
    expect(out.machine).toMatchObject({ os: process.platform, arch: process.arch });
    expect(Object.keys(out.machine)).toEqual(expect.arrayContaining(['os', 'arch', 'chip', 'memoryBytes']));
    expect(Object.keys(out.memory)).toEqual(expect.arrayContaining(['pressure', 'availableBytes', 'swapUsedBytes']));
    // Linux (/proc/meminfo) and macOS (sysctl) have a memory probe; elsewhere the total is unknown, never a guess.
    const probed = process.platform === 'linux' || process.platform === 'darwin';
    expect(out.machine.memoryBytes !== null && out.machine.memoryBytes > 0).toBe(probed);
    expect(out.machine.memoryBytes === null).toBe(!probed);
    expect(out.ollama).toEqual({ url: api.url, reachable: true, version: '0.33.0', error: null });
    expect(out.log).toMatchObject({ path: log, found: true, readable: true });
    expect(typeof out.mlx.eligible === 'boolean' || out.mlx.eligible === null).toBe(true);
    expect(Array.isArray(out.mlx.reasons)).toBe(true);
    expect(out.mlx.models).toEqual(expect.arrayContaining([QWEN_MLX.name]));
    // Off a Mac MLX is ruled out whatever else is true; on one it depends on the chip, the memory and the macOS
    // version, and eligible is only checked to be a boolean or unknown (above).
    expect(out.mlx.eligible === false && /Apple Silicon Macs only/.test(out.mlx.reasons.join(' '))).toBe(process.platform !== 'darwin');
    const models = out.models as Array<{ name: string; format: string; mlx: boolean }>;
    expect(models.find((m) => m.name === QWEN_MLX.name)).toMatchObject({ format: 'safetensors', mlx: true });
    expect(models.find((m) => m.name === LLAMA_8B.name)).toMatchObject({ format: 'gguf', mlx: false });
    // Llama 3.1 8B: 32 layers × 8 KV heads × (128 + 128) × q8_0's 34/32 bytes, two sequences of 8192 (the log's server config).
    const perToken = 32 * 8 * 256 * (34 / 32);
    expect(out.kvSettings).toEqual({ cacheType: 'q8_0', parallel: 2, from: 'server config' });
    expect(out.loaded).toHaveLength(1);
    const loaded = out.loaded?.[0];
    expect(loaded).toMatchObject({
      name: LLAMA_8B.name,
      ctx: 8192,
      parallel: 2,
      cacheType: 'q8_0',
      bytesPerToken: perToken,
      kvBytes: perToken * 8192 * 2,
    });
    // The headroom in tokens comes from the memory free now; unknown free memory leaves it unknown.
    const free = out.memory.availableBytes;
    expect(free === null).toBe(!probed);
    expect(loaded?.moreTokens).toBe(free === null ? null : Math.floor(free / perToken));
    const checks = out.checks as Array<{ id: string; ok: boolean; severity: string; fix: string | null }>;
    expect(checks.find((c) => c.id === `log:${log}`)).toMatchObject({ ok: true, severity: 'error', fix: null });
    expect(checks.find((c) => c.id === 'ollama')).toMatchObject({ ok: true, severity: 'error', fix: null });
    expect(checks.filter((c) => !c.ok).every((c) => c.severity !== 'error' && c.fix)).toBe(true);
  });

  it('a missing log and a closed port: exit code 1, quickly, and the report says how to fix both', async () => {
    const log = join(tmp(), 'nowhere', 'server.log');
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await doctor('--log', log, '--ollama', url);
    expect(r.status).toBe(1);
    expect(r.ms).toBeLessThan(6000);
    expect(r.stdout).toContain(`✗ Log file ${log}: not found`);
    expect(r.stdout).toMatch(/✗ Log file .*\n {6}fix: Check the path/);
    expect(r.stdout).toContain(`✗ Ollama API at ${url}: not reachable (ECONNREFUSED)`);
    expect(r.stdout).toMatch(/fix: Start Ollama \(.*\); if it listens elsewhere pass --ollama URL or set OLLAMA_HOST\./);
    expect(r.stdout).toMatch(/Models: unknown/);
    expect(r.stdout).toMatch(/✗ 2 checks failed: .*\(exit code 1\)/);

    const j = await doctor('--json', '--log', log, '--ollama', url);
    expect(j.status).toBe(1);
    const out = JSON.parse(j.stdout) as DoctorReport;
    expect(out.ok).toBe(false);
    expect(out.log).toMatchObject({ path: log, found: false, readable: false });
    expect(out.ollama).toEqual({ url, reachable: false, version: null, error: 'ECONNREFUSED' });
    expect(out.models).toBeNull();
  });

  it('--help explains the checks and the exit codes; a bad flag is a usage error', async () => {
    const h = await doctor('--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/Exit codes:/);
    expect(h.stdout).toMatch(/MLX not being available is\s+informational/);
    expect(h.stdout).toMatch(/--journal UNIT/);
    const bad = await doctor('--bogus');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown option "--bogus"/);
  });
});
