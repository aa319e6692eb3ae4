import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above this file both in the sources (agent/) and the build (dist/agent/). */
export function packageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const up = here.includes('/dist/') || here.includes('\\dist\\') ? '../../' : '../';
  return fileURLToPath(new URL(up, import.meta.url));
}

export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL('package.json', `file://${packageRoot()}/`), 'utf8')) as { version: string }
).version;
