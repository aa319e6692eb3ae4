// `npm start` as a person runs it: npm, its shell and the agent are three processes. SIGTERM on npm's
// must reach the agent (the script `exec`s it), which stops gracefully and frees its port.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = useTmpDir();

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`;
  return env;
}

/** Resolves true when something accepts connections on the port, false when it is refused. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Processes whose command line mentions `marker` (the test's own data folder). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('npm start', () => {
  it('stops the agent and frees its port on SIGTERM to the npm process', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, '');
    const dataDir = join(dir, 'data');
    const npm = spawn('npm', ['start', '--', '--port', '0', '--data-dir', dataDir, '--log', log, '--ollama', 'http://127.0.0.1:1'], {
      cwd: ROOT,
      env: npmEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not start the agent; output:\n${out}`)), 45_000);
      npm.stdout.on('data', () => {
        const m = /dashboard:\s+(http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code}; output:\n${out}`)));
    });
    const port = Number(new URL(url).port);
    expect(await listening(port)).toBe(true);
    expect(processesWith(dataDir).length).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM, stopping');
    expect(await listening(port)).toBe(false);
    expect(processesWith(dataDir)).toEqual([]);
  });
});
