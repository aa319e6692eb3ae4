import { appendFileSync, mkdirSync, renameSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityOf } from '../../agent/source/fileIdentity.js';
import { MAX_LINE_BYTES } from '../../agent/source/splitLines.js';
import { FIRST_UNSPLIT_READ_BYTES, READ_BYTES } from '../../agent/source/readLines.js';
import { useTmpDir } from '../helpers/tmp.js';
import { rotatedPath, useTailers } from '../helpers/tailer.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const tail = useTailers();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const identity = (p: string) => identityOf(statSync(p));
/** An older rotated file that was read long ago: nothing may read it again. */
function oldSibling(p: string): void {
  writeFileSync(rotatedPath(p, 1), 'read long ago\n');
  const past = new Date(Date.now() - 3600_000);
  utimesSync(rotatedPath(p, 1), past, past);
}

describe('FileTailer', () => {
  it('reads what is there, then follows appends; a partial line waits for its newline', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'one\ntwo\n');
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual(['one', 'two']);
    appendFileSync(p, 'thr');
    await pause(150);
    expect(lines).toEqual(['one', 'two']);
    expect(t.status().offset).toBe(8);
    appendFileSync(p, 'ee\nfour\n');
    await until(() => lines.length === 4);
    expect(lines).toEqual(['one', 'two', 'three', 'four']);
    expect(t.status()).toMatchObject({ state: 'following', offset: 19, size: 19, lagBytes: 0, linesRead: 4 });
  });

  it('resumes from a resume point without repeating lines', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'old\nnew\n');
    const { t, lines } = tail(p, { start: { identity: identity(p), fingerprint: null, offset: 4 } });
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

  it('starts over after a copy-truncate while stopped, even once the file has grown past the old offset', async () => {
    const p = join(tmp(), 'server.log');
    const first = 'first generation, long enough for a fingerprint of its first sixty-four bytes\n';
    writeFileSync(p, first);
    const a = tail(p);
    await a.t.start();
    await a.t.stop();
    truncateSync(p, 0);
    const second = 'second generation: other first bytes, and longer than the first one was, by a good margin\n';
    appendFileSync(p, second);
    expect(second.length).toBeGreaterThan(first.length);
    const b = tail(p, { start: a.position() });
    await b.t.start();
    expect(b.lines).toEqual([second.trimEnd()]);
  });

  it('reads a file deleted and created again from its start, and not the older rotated files', async () => {
    const p = join(tmp(), 'server.log');
    oldSibling(p);
    writeFileSync(p, 'a\n');
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual(['read long ago', 'a']);
    unlinkSync(p);
    await until(() => t.status().state === 'waiting');
    writeFileSync(p, 'b\n');
    await until(() => lines.includes('b'));
    await pause(100);
    expect(lines).toEqual(['read long ago', 'a', 'b']);
    expect(t.status().state).toBe('following');
  });

  it('reads a file that replaced the followed one (same name, new identity) from its start; says the old one is gone', async () => {
    const dir = tmp();
    const p = join(dir, 'server.log');
    writeFileSync(p, 'a\n');
    const { t, lines, position } = tail(p);
    await t.start();
    const before = position();
    oldSibling(p);
    writeFileSync(join(dir, 'other.log'), 'x\ny\n');
    renameSync(join(dir, 'other.log'), p);
    await until(() => lines.includes('y'));
    await pause(100);
    expect(lines).toEqual(['a', 'x', 'y']);
    expect(t.status()).toMatchObject({ state: 'following', identity: identity(p) });
    expect(t.status().lastError).toContain(`(${before.identity}) is gone`);
    expect(t.status().lastError).toContain('after byte 2 was not read; continuing with server.log');
  });

  it('replaces invalid UTF-8 and keeps going', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, Buffer.concat([Buffer.from('ok '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' tail\n')]));
    const { t, lines } = tail(p);
    await t.start();
    appendFileSync(p, Buffer.concat([Buffer.from([0x80]), Buffer.from('next\n')]));
    await until(() => lines.length === 2);
    expect(lines).toEqual(['ok \uFFFD\uFFFD\uFFFD tail', '\uFFFDnext']);
    expect(t.status()).toMatchObject({ state: 'following', lastError: null, linesRead: 2 });
  });

  it('hands the same lines over unsplit (their bytes and count) as split, CRLF, UTF-8 and a partial line included', async () => {
    const text = Buffer.concat([
      Buffer.from('one\r\n[GIN] 200 | 1.5µs | model «qwen»\n'),
      Buffer.from([0xff, 0x41, 0x0a]),
      Buffer.from('\n'.repeat(3)),
      Buffer.from('x'.repeat(70_000) + '\npartial'),
    ]);
    const split = join(tmp(), 'split.log');
    const unsplit = join(tmp(), 'unsplit.log');
    writeFileSync(split, text);
    writeFileSync(unsplit, text);
    const a = tail(split);
    const b = tail(unsplit, { unsplit: true });
    await a.t.start();
    await b.t.start();
    expect(a.lines).toHaveLength(7);
    expect(b.lines).toEqual(a.lines);
    expect(b.batches.every((batch) => batch.lines.length === 0)).toBe(true);
    // The first read (FIRST_UNSPLIT_READ_BYTES) ends inside the 70,000-byte line, which a read of READ_BYTES then holds whole.
    expect(b.batches.filter((batch) => batch.unsplit !== undefined).map((batch) => batch.unsplit)).toEqual([6, 1]);
    expect(b.t.status()).toMatchObject({ offset: a.t.status().offset, linesRead: 7 });
    appendFileSync(unsplit, ' line\n');
    await until(() => b.lines.length === 8);
    expect(b.lines.at(-1)).toBe('partial line');
    expect(b.t.status()).toMatchObject({ offset: text.length + 6, linesRead: 8 });
  });

  it("cuts the same over-long lines unsplit, whose reads are several times one line's limit", async () => {
    const short = 'short line\n'.repeat(50_000);
    const text =
      short +
      'a'.repeat(MAX_LINE_BYTES) +
      '\n' +
      short +
      'b'.repeat(MAX_LINE_BYTES + 1) +
      '\r\n' +
      short +
      'c'.repeat(3 * MAX_LINE_BYTES) +
      '\n' +
      short.repeat(9) +
      'end\n';
    const split = join(tmp(), 'split.log');
    const unsplit = join(tmp(), 'unsplit.log');
    writeFileSync(split, text);
    writeFileSync(unsplit, text);
    const a = tail(split);
    const b = tail(unsplit, { unsplit: true });
    await a.t.start();
    await b.t.start();
    expect(a.t.status()).toMatchObject({ offset: text.length, linesCut: 2 });
    const { identity: _i, path: _p, ...same } = a.t.status();
    expect(b.t.status()).toMatchObject(same);
    expect(b.lines.length).toBe(a.lines.length);
    expect(b.lines.map((l) => l.length)).toEqual(a.lines.map((l) => l.length));
    expect(b.lines).toEqual(a.lines);
    // Reads grow from FIRST_UNSPLIT_READ_BYTES and never pass READ_BYTES.
    const reads = b.batches.filter((batch) => batch.unsplit !== undefined).map((batch) => batch.raw!.byteLength);
    expect(reads[0]).toBeLessThanOrEqual(FIRST_UNSPLIT_READ_BYTES);
    expect(Math.max(...reads)).toBeLessThanOrEqual(READ_BYTES);
  });

  it('keeps the offset when storing fails, and retries', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'x\n');
    let fail = true;
    const { t, lines } = tail(p, {
      onBatch: () => {
        if (fail) throw new Error('SQLITE_FULL: database or disk is full');
      },
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
