// Ollama's rename rotation (server.log → server-1.log → … → server-5.log), while the tailer runs and
// while it is stopped, and a kill at every possible instant.
import { appendFileSync, linkSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../../agent/source/fileIdentity.js';
import type { LineBatch } from '../../agent/source/FileTailer.js';
import { useTmpDir } from '../helpers/tmp.js';
import { rotatedPath, rotateOllamaWay, useTailers, type TailOptions } from '../helpers/tailer.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const tail = useTailers();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const identity = (p: string) => identityOf(statSync(p));
/** The files each batch with lines came from, in order, without repeats. */
const filesRead = (batches: LineBatch[]) =>
  batches
    .filter((b) => b.lines.length > 0)
    .map((b) => b.identity)
    .filter((id, i, all) => id !== all[i - 1]);

describe('FileTailer across rotations', () => {
  it('reads the tail a rotated file got just before the rotation, then the new file', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const { t, lines, batches } = tail(p);
    await t.start();
    expect(lines).toEqual(['a']);
    const old = identity(p);
    // All in one tick: the tailer cannot read in between.
    appendFileSync(p, 'tail 1\ntail 2\n');
    rotateOllamaWay(p, 'fresh\n');
    await until(() => lines.includes('fresh'));
    await pause(100);
    expect(lines).toEqual(['a', 'tail 1', 'tail 2', 'fresh']);
    expect(filesRead(batches)).toEqual([old, identity(p)]);
    expect(t.status()).toMatchObject({ state: 'following', lastError: null, lagBytes: 0 });
  });

  it('follows a rotation whose new file appears later, and a partial last line of the old file', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const { t, lines } = tail(p);
    await t.start();
    // The server died mid-line: nothing will complete that line, so it is a line of its own.
    appendFileSync(p, 'b\nunfinish');
    rotateOllamaWay(p);
    await until(() => lines.includes('unfinish'));
    expect(t.status().state).toBe('waiting');
    writeFileSync(p, 'c\n');
    await until(() => lines.includes('c'));
    expect(lines).toEqual(['a', 'b', 'unfinish', 'c']);
  });

  it('after two rotations while stopped, finishes server-2.log, then server-1.log, then server.log', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const first = tail(p);
    await first.t.start();
    await first.t.stop();
    const old = identity(p);
    appendFileSync(p, 'b\n');
    rotateOllamaWay(p, 'c\n');
    appendFileSync(p, 'c2\n');
    rotateOllamaWay(p, 'd\n');
    const second = tail(p, { start: first.position() });
    await second.t.start();
    expect(second.lines).toEqual(['b', 'c', 'c2', 'd']);
    expect(filesRead(second.batches)).toEqual([old, identity(rotatedPath(p, 1)), identity(p)]);
    expect(identity(rotatedPath(p, 2))).toBe(old);
    expect(second.t.status().lastError).toBeNull();
  });

  it('when the resume point file was rotated past server-5.log, says so and reads the oldest remaining file on', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const first = tail(p);
    await first.t.start();
    await first.t.stop();
    appendFileSync(p, 'never read\n');
    // Kept under another name so that no new file gets its inode (that would look like a truncation).
    linkSync(p, join(dirname(p), 'kept.ref'));
    // Six server starts while stopped, each a little later than the last.
    const t0 = Date.now() / 1000;
    for (let i = 1; i <= 6; i++) {
      rotateOllamaWay(p, `run ${i}\n`);
      utimesSync(p, t0 + i, t0 + i);
    }
    const second = tail(p, { start: first.position() });
    await second.t.start();
    expect(second.lines).toEqual(['run 1', 'run 2', 'run 3', 'run 4', 'run 5', 'run 6']);
    expect(second.t.status()).toMatchObject({ state: 'following' });
    expect(second.t.status().lastError).toMatch(/is gone .*continuing with server-5\.log/);
  });

  it('takes no position in an empty new file; once the resume point file is deleted, reads the files written after it', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const first = tail(p);
    await first.t.start();
    rotateOllamaWay(p, ''); // a server start that has not logged yet
    await until(() => first.t.status().size === 0);
    await first.t.stop();
    // Nothing identifies an empty file: a later file on its inode would pass for it.
    expect(first.batches.map((b) => b.fingerprint)).not.toContain(null);
    expect(first.position().identity).toBe(identity(rotatedPath(p, 1)));
    const t0 = Date.now() / 1000;
    for (let i = 1; i <= 5; i++) {
      rotateOllamaWay(p, `run ${i}\n`);
      utimesSync(p, t0 + i, t0 + i);
    }
    const second = tail(p, { start: first.position() });
    await second.t.start();
    expect(second.lines).toEqual(['run 1', 'run 2', 'run 3', 'run 4', 'run 5']);
  });

  it('loses nothing and repeats nothing whichever batch a kill interrupts (backfill, then resume)', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(rotatedPath(p, 2), 'two a\ntwo b\n');
    writeFileSync(rotatedPath(p, 1), 'one a\n');
    writeFileSync(p, 'live a\nlive b\n');
    const expected = ['two a', 'two b', 'one a', 'live a', 'live b'];
    // Small reads would be nicer, but a batch per file and per move is already several instants.
    const whole = tail(p);
    await whole.t.start();
    expect(whole.lines).toEqual(expected);
    const instants = whole.batches.length;
    expect(instants).toBeGreaterThanOrEqual(6);
    for (let k = 0; k < instants; k++) {
      let stored = 0;
      const killed = tail(p, {
        onBatch: () => {
          if (stored === k) throw new Error('killed');
          stored++;
        },
      } satisfies TailOptions);
      await killed.t.start();
      await killed.t.stop();
      const restarted = tail(p, { start: killed.position() });
      await restarted.t.start();
      expect([...killed.lines, ...restarted.lines], `killed at batch ${k}`).toEqual(expected);
    }
  });

  it('a kill while catching up on rotations made while stopped: the restart picks up exactly where the kill left', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'a\n');
    const first = tail(p);
    await first.t.start();
    await first.t.stop();
    appendFileSync(p, 'b\n');
    rotateOllamaWay(p, 'c\n');
    rotateOllamaWay(p, 'd\n');
    const expected = ['b', 'c', 'd'];
    for (let k = 0; k < 6; k++) {
      let stored = 0;
      const killed = tail(p, {
        start: first.position(),
        onBatch: () => {
          if (stored === k) throw new Error('killed');
          stored++;
        },
      });
      await killed.t.start();
      await killed.t.stop();
      const restarted = tail(p, { start: killed.position() });
      await restarted.t.start();
      expect([...killed.lines, ...restarted.lines], `killed at batch ${k}`).toEqual(expected);
    }
  });
});
