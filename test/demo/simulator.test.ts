import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../agent/demo/simulator.js';
import { createDemoState } from '../../agent/demo/state.js';

let dir: string;
let sim: Simulator | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ollama-lens-demo-test-'));
});

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const read = (name: string): Promise<string> => readFile(join(dir, name), 'utf8').catch(() => '');

describe('demo simulator', () => {
  it('leaves whole lines behind even when stopped during split writes', async () => {
    // Every step is written in two chunks, so stopping at any instant risks a cut line.
    sim = startSimulator({ dir: join(dir, 'logs'), speed: 2000, seed: 4, splitChance: 1, rotateEvery: 0 });
    expect(sim.logPath).toBe(join(dir, 'logs', 'server.log'));
    await waitFor(async () => (await read('logs/server.log')).split('\n').length > 40);
    await sim.stop();
    const text = await read('logs/server.log');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')[0]).toContain('msg="server config"');
    // Nothing is written after stop() resolved.
    await new Promise((r) => setTimeout(r, 50));
    expect(await read('logs/server.log')).toBe(text);
  });

  it('stamps lines with the supplied clock', async () => {
    const now = () => new Date('2030-01-02T03:04:05.000Z');
    sim = startSimulator({ dir, speed: 5000, seed: 1, now, offset: 'Z', rotateEvery: 0 });
    await waitFor(async () => (await read('server.log')).includes('[GIN]'));
    await sim.stop();
    const text = await read('server.log');
    expect(text).toContain('time=2030-01-02T03:04:0');
    expect(text).toContain('[GIN] 2030/01/02 - 03:04:0');
  });

  it('never stamps a line ahead of the wall clock when sped up', async () => {
    sim = startSimulator({ dir, speed: 40, seed: 3, offset: 'Z', rotateEvery: 0 });
    await waitFor(async () => (await read('server.log')).includes('msg="loaded runners"'));
    await sim.stop();
    const stamps = (await read('server.log')).match(/^time=\S+/gm) ?? [];
    const last = Date.parse(stamps[stamps.length - 1]!.slice('time='.length));
    expect(last).toBeLessThanOrEqual(Date.now());
  });

  it('rotates server.log to server-1.log on a server restart', async () => {
    await writeFile(join(dir, 'server.log'), 'an older run\n');
    const state = createDemoState();
    sim = startSimulator({ dir, speed: 20000, seed: 6, rotateEvery: 1, state });
    await waitFor(async () => (await read('server-2.log')) !== '');
    await sim.stop();
    expect(await read('server-2.log')).toBe('an older run\n');
    const previous = await read('server-1.log');
    expect(previous.split('\n')[0]).toContain('msg="server config"');
    expect(previous).toContain('llama-server terminated');
    expect(previous.endsWith('\n')).toBe(true);
    expect((await read('server.log')).split('\n')[0]).toContain('msg="server config"');
    expect((await readdir(dir)).sort()).toEqual(['server-1.log', 'server-2.log', 'server.log']);
  });

  it('keeps all files when rotation is disabled', async () => {
    sim = startSimulator({ dir, speed: 20000, seed: 6, rotateEvery: 0 });
    await waitFor(async () => ((await read('server.log')).match(/msg="server config"/g) ?? []).length >= 2);
    await sim.stop();
    expect(await readdir(dir)).toEqual(['server.log']);
  });
});
