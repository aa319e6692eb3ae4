// A followed name that points at another file for a while and then at the first one again (a symlink
// swapped in and the original moved back): the original is the same file, by identity and first bytes,
// and what was read of it is not read again — while running, and across a restart in between.
import { appendFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { useTailers } from '../helpers/tailer.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const tail = useTailers();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

function setup() {
  const dir = tmp();
  const p = join(dir, 'server.log');
  const other = join(tmp(), 'other.log');
  writeFileSync(p, text(numbered('original ', 100)));
  writeFileSync(other, text(numbered('other ', 3)));
  return { p, other, aside: join(dir, 'server.log.aside') };
}

describe('FileTailer and a file that comes back', () => {
  it('a symlink swapped in for the followed file, then the original moved back: the original is not read again', async () => {
    const { p, other, aside } = setup();
    const { t, lines } = tail(p);
    await t.start();
    await until(() => lines.length === 100);

    renameSync(p, aside);
    symlinkSync(other, p);
    await until(() => lines.includes('other 3'));

    // The original comes back (same device, inode and first bytes) and goes on growing.
    renameSync(aside, p);
    appendFileSync(p, 'original 101\n');
    await until(() => lines.includes('original 101'));
    await pause(100);
    expect(lines).toEqual([...numbered('original ', 100), ...numbered('other ', 3), 'original 101']);
  });

  it('the same when the agent restarts while the symlink is there: what was read of the original is in the resume point', async () => {
    const { p, other, aside } = setup();
    const first = tail(p);
    await first.t.start();
    await until(() => first.lines.length === 100);
    renameSync(p, aside);
    symlinkSync(other, p);
    await until(() => first.lines.includes('other 3'));
    await first.t.stop();

    renameSync(aside, p);
    appendFileSync(p, 'original 101\n');
    const second = tail(p, { start: first.position() });
    await second.t.start();
    await until(() => second.lines.includes('original 101'));
    await pause(100);
    expect(second.lines).toEqual(['original 101']);
  });
});
