import { appendFileSync, mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTailer, type LineBatch } from '../../agent/source/FileTailer.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const running: FileTailer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
});

function tail(path: string, onBatch: (b: LineBatch) => void = () => {}, offset = 0) {
  const lines: string[] = [];
  const t = new FileTailer({
    path,
    start: { identity: null, fingerprint: null, offset },
    onBatch: (b) => {
      onBatch(b);
      lines.push(...b.lines);
    },
    retryMs: 20,
    dirPollMs: 20,
  });
  running.push(t);
  return { t, lines };
}


describe('FileTailer', () => {
  it('reads what is there, then follows appends; a partial line waits for its newline', async () => {
    const dir = tmp();
    const p = join(dir, 'server.log');
    writeFileSync(p, 'one\ntwo\n');
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual(['one', 'two']);
    appendFileSync(p, 'thr');
    await new Promise((r) => setTimeout(r, 150));
    expect(lines).toEqual(['one', 'two']);
    expect(t.status().offset).toBe(8);
    appendFileSync(p, 'ee\nfour\n');
    await until(() => lines.length === 4);
    expect(lines).toEqual(['one', 'two', 'three', 'four']);
    expect(t.status()).toMatchObject({ state: 'following', offset: 19, size: 19, lagBytes: 0, linesRead: 4 });
  });

  it('resumes from a checkpoint offset without repeating lines', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'old\nnew\n');
    const { t, lines } = tail(p, () => {}, 4);
    await t.start();
    expect(lines).toEqual(['new']);
  });

  it('waits for a missing file, and a missing directory, then follows it', async () => {
    const dir = join(tmp(), 'not', 'yet');
    const p = join(dir, 'server.log');
    const { t, lines } = tail(p);
    await t.start();
    expect(t.status()).toMatchObject({ state: 'waiting', size: null, lagBytes: null });
    mkdirSync(dir, { recursive: true });
    writeFileSync(p, 'hello\n');
    await until(() => lines.length === 1);
    expect(lines).toEqual(['hello']);
    expect(t.status().state).toBe('following');
  });

  it('starts over on a file renamed away and re-created (rotation)', async () => {
    const dir = tmp();
    const p = join(dir, 'server.log');
    writeFileSync(p, 'a\n');
    const { t, lines } = tail(p);
    await t.start();
    renameSync(p, join(dir, 'server-1.log'));
    writeFileSync(p, 'fresh\n');
    await until(() => lines.includes('fresh'));
    expect(lines).toEqual(['a', 'fresh']);
  });

  it('starts over after a copy-truncate', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'aaaa\nbbbb\n');
    const { t, lines } = tail(p);
    await t.start();
    truncateSync(p, 0);
    appendFileSync(p, 'c\n');
    await until(() => lines.includes('c'));
    expect(lines).toEqual(['aaaa', 'bbbb', 'c']);
  });

  it('keeps the offset when storing fails, and retries', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'x\n');
    let fail = true;
    const { t, lines } = tail(p, () => {
      if (fail) throw new Error('SQLITE_FULL: database or disk is full');
    });
    await t.start();
    expect(lines).toEqual([]);
    expect(t.status()).toMatchObject({ state: 'error', offset: 0 });
    expect(t.status().lastError).toContain('disk is full');
    fail = false;
    await until(() => lines.length === 1);
    expect(t.status()).toMatchObject({ state: 'following', offset: 2, lastError: null });
  });
});
