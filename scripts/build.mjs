#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` leaves a runnable project): the agent with tsc into dist/,
// the dashboard with vite into dist/dashboard, the CLI made executable, then the stamp that
// ensure-built compares the sources with. The stamp is written last: a build that failed half-way
// leaves the old stamp (or none), so the next start builds again.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = join(ROOT, 'dist', '.build-stamp');

/** Builds into dist/; child output goes to `stdio` (stderr for a command whose stdout is JSON). Returns success. */
export function build(stdio = 'inherit') {
  const require = createRequire(join(ROOT, 'package.json'));
  const steps = [
    [require.resolve('typescript/bin/tsc'), ['-p', 'tsconfig.build.json']],
    [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), ['build', '--logLevel', 'warn']],
  ];
  for (const [bin, args] of steps) {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: ROOT, stdio: ['ignore', stdio, stdio] });
    if (r.status !== 0) return false;
  }
  // npm links `bin` targets as they are; a checkout run through `node dist/agent/cli.js` or a shell needs the bit too.
  chmodSync(join(ROOT, 'dist', 'agent', 'cli.js'), 0o755);
  mkdirSync(dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = build() ? 0 : 1;
}
