// The package as npm publishes it: `npm pack` of the current build, installed into an empty project,
// then run through its `ollama-lens` bin the way `npx ollama-lens` runs it.
//
// By default the install skips dependency install scripts and reuses this checkout's compiled
// better-sqlite3 (same version, same Node), because compiling it from source takes about 4.5 minutes
// here. OLLAMA_LENS_PACK_FULL=1 installs exactly as a user would (prebuilt binary or node-gyp) instead.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
const FULL = process.env.OLLAMA_LENS_PACK_FULL === '1';
const tmp = useTmpDir();

// Only npm's own settings: the ones an enclosing `npm test` exports (npm_config_*, npm_lifecycle_*)
// must not leak into the nested npm commands.
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`;
  return env;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    env: npmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: FULL ? 600_000 : 170_000,
  });
}

/** Puts this checkout's compiled better-sqlite3 into an install made with --ignore-scripts. */
function reuseSqlite(theirs: string): void {
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const version = (p: string) => (JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')) as { version: string }).version;
  expect(version(theirs), 'the packed package resolved another better-sqlite3 than this checkout; run with OLLAMA_LENS_PACK_FULL=1').toBe(
    version(ours),
  );
  mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
  copyFileSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(theirs, 'build', 'Release', 'better_sqlite3.node'));
}

describe('npm install -g . (from a clone)', () => {
  it('links a global ollama-lens command that runs this checkout', () => {
    const prefix = tmp();
    npm(['install', '-g', '.', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', '--ignore-scripts'], ROOT);
    // Through the launcher in the clone: it may build first (on stderr) when a source is newer than dist/.
    const r = spawnSync(join(prefix, 'bin', 'ollama-lens'), ['--version'], { env: npmEnv(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  }, 180_000);
});

describe('npm pack', () => {
  it(
    'produces a package whose ollama-lens bin prints the version and help, analyzes a log and serves the dashboard',
    async () => {
      if (!existsSync(join(ROOT, 'dist', 'agent', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))) {
        throw new Error('dist is missing: run "npm run build" first (npm test does)');
      }
      const dir = tmp();
      const started = Date.now();
      // --ignore-scripts: pack what is built now; prepack would rebuild dist under the other tests' feet.
      const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT)) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = packed[0]!.files.map((f) => f.path);
      expect(files).toContain('package.json');
      expect(files).toContain('README.md');
      expect(files).toContain(PKG.bin['ollama-lens']);
      expect(files).toContain('dist/dashboard/index.html');
      expect(files).toContain('migrations/0001_init.sql');
      expect(files).toContain('LICENSE');
      expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.build-stamp'))).toEqual([]);
      expect(files.filter((f) => /^(test|bench|agent|dashboard|shared|\.ci)\//.test(f) || f.startsWith('dist/test/'))).toEqual([]);

      const project = join(dir, 'project');
      mkdirSync(project);
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-test', version: '1.0.0', private: true }));
      const tarball = join(dir, packed[0]!.filename);
      npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...(FULL ? [] : ['--ignore-scripts']), tarball], project);
      if (!FULL) reuseSqlite(join(project, 'node_modules', 'better-sqlite3'));
      // The README's global install of the packed file (into a private prefix, not this machine's).
      const global = join(dir, 'global');
      npm(
        [
          'install',
          '-g',
          '--prefix',
          global,
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          ...(FULL ? [] : ['--ignore-scripts']),
          tarball,
        ],
        dir,
      );
      if (!FULL) reuseSqlite(join(global, 'lib', 'node_modules', PKG.name, 'node_modules', 'better-sqlite3'));
      const globalVersion = spawnSync(join(global, 'bin', 'ollama-lens'), ['--version'], { env: npmEnv(), encoding: 'utf8' });
      expect(globalVersion.stderr).toBe('');
      expect(globalVersion.stdout.trim()).toBe(PKG.version);
      console.log(`pack + install took ${((Date.now() - started) / 1000).toFixed(1)} s${FULL ? ' (full install)' : ''}`);

      const bin = join(project, 'node_modules', '.bin', 'ollama-lens');
      const run = (...args: string[]) =>
        spawnSync(bin, args, { cwd: project, env: { ...npmEnv(), OLLAMA_HOST: '127.0.0.1:1' }, encoding: 'utf8' });

      const version = run('--version');
      expect(version.stderr).toBe('');
      expect(version.stdout.trim()).toBe(PKG.version);

      const help = run('--help');
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('ollama-lens analyze FILE…');
      expect(help.stdout).toContain('--log-level LEVEL');

      const log = join(dir, 'server.log');
      writeFileSync(
        log,
        [
          'time=2026-03-14T09:14:05.436+01:00 level=INFO source=routes.go:1684 msg="Listening on 127.0.0.1:11434 (version 0.15.2)"',
          '[GIN] 2026/03/14 - 09:19:27 | 200 |    1.7342091s |       127.0.0.1 | POST     "/api/generate"',
        ].join('\n') + '\n',
      );
      const analyzed = run('analyze', log, '--json');
      expect(analyzed.stderr).toBe('');
      expect(analyzed.status).toBe(0);
      const result = JSON.parse(analyzed.stdout) as { servers: { version: string }[]; requests: unknown[] };
      expect(result.servers.map((s) => s.version)).toEqual(['0.15.2']);
      expect(result.requests).toHaveLength(1);

      // The daemon from the package: its migrations and its dashboard ship with it.
      const child = spawn(bin, ['--port', '0', '--data-dir', join(dir, 'data'), '--log', log, '--backfill', 'none'], {
        cwd: project,
        env: { ...npmEnv(), OLLAMA_HOST: '127.0.0.1:1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the packed agent did not start; output:\n${out}`)), 20_000);
          child.stdout.on('data', () => {
            const m = /dashboard:\s+(http:\/\/\S+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          });
          void exited.then((code) => reject(new Error(`the packed agent exited with ${code}; output:\n${out}`)));
        });
        const page = await fetch(`${url}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="app"');
        const health = (await (await fetch(`${url}/api/health`)).json()) as { version: string };
        expect(health.version).toBe(PKG.version);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    },
    FULL ? 900_000 : 180_000,
  );
});
