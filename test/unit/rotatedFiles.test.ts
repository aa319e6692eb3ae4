import { linkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFile, listRotated, oldestFirst, rotationIndex, type RotatedFile } from '../../agent/source/rotatedFiles.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('rotationIndex', () => {
  it.each([
    ['server.log', 'server-1.log', 1],
    ['server.log', 'server-5.log', 5],
    ['server.log', 'server-12.log', 12],
    ['app', 'app-3', 3],
    ['ollama.serve.log', 'ollama.serve-2.log', 2],
  ])('%s: %s is rotation %i', (live, name, n) => {
    expect(rotationIndex(live, name)).toBe(n);
  });

  it.each([
    ['server.log', 'server.log'],
    ['server.log', 'server-0.log'],
    ['server.log', 'server-01.log'],
    ['server.log', 'server-.log'],
    ['server.log', 'server-1.log.gz'],
    ['server.log', 'server-1.txt'],
    ['server.log', 'other-1.log'],
    ['server.log', 'server-x.log'],
    ['server.log', 'server-1-2.log'],
    ['server.log', 'server-2024.log'],
  ])('%s: %s is not a rotation', (live, name) => {
    expect(rotationIndex(live, name)).toBeNull();
  });
});

describe('listRotated', () => {
  it('lists the rotated siblings oldest first, with what identifies them', async () => {
    const dir = tmp();
    for (const [name, text] of [
      ['server.log', 'live\n'],
      ['server-1.log', 'one\n'],
      ['server-10.log', 'ten\n'],
      ['server-2.log', 'two\n'],
      ['other-3.log', 'x\n'],
    ] as const) {
      writeFileSync(join(dir, name), text);
    }
    const files = await listRotated(join(dir, 'server.log'));
    expect(files.map((f) => [f.n, f.path, f.size])).toEqual([
      [10, join(dir, 'server-10.log'), 4],
      [2, join(dir, 'server-2.log'), 4],
      [1, join(dir, 'server-1.log'), 4],
    ]);
    const live = await describeFile(join(dir, 'server.log'));
    expect(live).toMatchObject({ size: 5, fingerprint: expect.stringMatching(/^5:[0-9a-f]{16}$/) });
    expect(files.map((f) => f.identity)).not.toContain(live!.identity);
    expect(files.every((f) => /^\d+:\d+$/.test(f.identity) && f.mtimeMs > 0)).toBe(true);
  });

  it('lists a file seen under two names once, under its older name', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'server-1.log'), 'one\n');
    linkSync(join(dir, 'server-1.log'), join(dir, 'server-2.log'));
    const files = await listRotated(join(dir, 'server.log'));
    expect(files.map((f) => f.n)).toEqual([2]);
  });

  it('gives the fingerprint of the first 64 bytes once a file has them', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'server-1.log'), 'x'.repeat(64));
    writeFileSync(join(dir, 'server-2.log'), 'x'.repeat(64) + 'more');
    writeFileSync(join(dir, 'server-3.log'), 'y'.repeat(64));
    const [three, two, one] = await listRotated(join(dir, 'server.log'));
    expect(one!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(two!.fingerprint).toBe(one!.fingerprint);
    expect(three!.fingerprint).not.toBe(one!.fingerprint);
  });

  it('is empty when the directory is missing, and describeFile is null for a missing file', async () => {
    const dir = join(tmp(), 'nope');
    expect(await listRotated(join(dir, 'server.log'))).toEqual([]);
    expect(await describeFile(join(dir, 'server.log'))).toBeNull();
  });

  it('follows a rename: the same identity under the next number', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'server.log'), 'a\n');
    const before = await describeFile(join(dir, 'server.log'));
    renameSync(join(dir, 'server.log'), join(dir, 'server-1.log'));
    const [after] = await listRotated(join(dir, 'server.log'));
    expect(after).toMatchObject({ n: 1, identity: before!.identity, mtimeMs: before!.mtimeMs });
  });
});

describe('oldestFirst', () => {
  const f = (n: number, identity: string): RotatedFile => ({
    n,
    identity,
    path: `s-${n}`,
    fingerprint: null,
    head: Buffer.alloc(0),
    size: 0,
    mtimeMs: 0,
  });
  it('orders by number, highest first, and keeps one entry per identity', () => {
    expect(oldestFirst([f(1, 'a'), f(3, 'c'), f(2, 'b'), f(4, 'b')]).map((x) => x.n)).toEqual([4, 3, 1]);
  });
});
