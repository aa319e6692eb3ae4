// The up-to-date check behind `npm start`, `npm run demo` and `npx ollama-lens`: it must rebuild after
// any change to the sources (an edit, a new or deleted file) and never when nothing changed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'ensure-built.mjs');
const tmp = useTmpDir();

/** staleReason(root) from the real script, in a child (it is plain ESM outside the TypeScript build). */
function staleReason(root: string): string | null {
  const code = `import(${JSON.stringify(SCRIPT)}).then((m) => console.log(JSON.stringify(m.staleReason(${JSON.stringify(root)}))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })) as string | null;
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('ensure-built', () => {
  it('asks for a build when none finished, and after an edit, a new file or a deleted one; not otherwise', () => {
    const root = tmp();
    for (const d of ['agent/sub', 'shared', 'dashboard/src', 'dist']) mkdirSync(join(root, d), { recursive: true });
    const files = ['agent/cli.ts', 'agent/sub/x.ts', 'shared/types.ts', 'dashboard/src/App.svelte', 'package.json'];
    for (const f of files) writeFileSync(join(root, f), 'x');
    const old = 1_700_000_000;
    for (const p of [...files, 'agent', 'agent/sub', 'shared', 'dashboard', 'dashboard/src']) at(join(root, p), old);
    expect(staleReason(root)).toBe('no complete build yet');

    const stamp = join(root, 'dist', '.build-stamp');
    writeFileSync(stamp, 'built');
    at(stamp, old + 10);
    expect(staleReason(root)).toBeNull();

    at(join(root, 'agent/sub/x.ts'), old + 20);
    expect(staleReason(root)).toBe('sources changed since the last build');
    at(join(root, 'agent/sub/x.ts'), old);
    expect(staleReason(root)).toBeNull();

    rmSync(join(root, 'shared/types.ts'));
    expect(staleReason(root)).toBe('sources changed since the last build');
  });
});
