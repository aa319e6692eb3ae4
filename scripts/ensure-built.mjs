#!/usr/bin/env node
// Builds only when a source is newer than the last complete build, so `npm start`, `npm run demo` and
// `npx ollama-lens` start at once when nothing changed and never run yesterday's build after a pull.
// Directory times count too: a deleted or renamed source changes its folder's mtime.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ROOT, STAMP } from './build.mjs';

/** What the build reads: a change to any of these makes dist/ stale. */
const INPUTS = [
  'agent',
  'shared',
  'dashboard',
  'tsconfig.json',
  'tsconfig.build.json',
  'vite.config.ts',
  'package.json',
  'scripts/build.mjs',
];

/** Newest mtime (ms) under `path`, folders included. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  let t = st.mtimeMs;
  if (st.isDirectory()) {
    for (const e of readdirSync(path, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      t = Math.max(t, newest(join(path, e.name)));
    }
  }
  return t;
}

/** Why dist/ must be rebuilt, or null when it is up to date. */
export function staleReason(root = ROOT) {
  const stamp = statSync(root === ROOT ? STAMP : join(root, 'dist', '.build-stamp'), { throwIfNoEntry: false });
  if (!stamp) return 'no complete build yet';
  const inputs = Math.max(...INPUTS.map((p) => newest(join(root, p))));
  return inputs > stamp.mtimeMs ? 'sources changed since the last build' : null;
}

/** Builds if needed; build output goes to stderr so that a command's stdout (`--json`) stays clean. */
export function ensureBuilt() {
  const reason = staleReason();
  if (reason === null) return true;
  if (!existsSync(join(ROOT, 'node_modules', 'typescript'))) {
    console.error(`ollama-lens: ${reason} and the build tools are missing: run "npm ci" in ${ROOT}`);
    return false;
  }
  console.error(`ollama-lens: building (${reason})…`);
  return build(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = ensureBuilt() ? 0 : 1;
}
