#!/usr/bin/env node
// The `ollama-lens` command. It is a committed file, not a build output, so the link npm makes to it
// (npx, npm link, npm install -g .) is valid from the first run on, built or not. In a checkout it
// first brings dist/ up to date; the published package ships dist/ built and has no scripts/.
import { existsSync } from 'node:fs';

const ensure = new URL('../scripts/ensure-built.mjs', import.meta.url);
if (existsSync(ensure)) {
  const { ensureBuilt } = await import(ensure.href);
  if (!ensureBuilt()) process.exit(1);
}
const cli = new URL('../dist/agent/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('ollama-lens: dist/agent/cli.js is missing: run "npm ci" (or "npm run build") first');
  process.exit(1);
}
await import(cli.href);
