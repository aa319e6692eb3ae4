// A line over MAX_LINE_BYTES is stored cut at that length and counted; the rest of it, up to its
// newline, is skipped however it arrives: in one write, in pieces, or across a restart.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../agent/source/splitLines.js';
import { useTmpDir } from '../helpers/tmp.js';
import { rotateOllamaWay, useTailers } from '../helpers/tailer.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const tail = useTailers();
const MiB = 1024 * 1024;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const head = 'x'.repeat(MAX_LINE_BYTES);

describe('FileTailer with very long lines', () => {
  it('stores a 5 MiB line as one cut line, then the lines after it', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, `before\n${'x'.repeat(5 * MiB)}\nafter 1\nafter 2\n`);
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual(['before', head, 'after 1', 'after 2']);
    expect(t.status()).toMatchObject({ linesCut: 1, linesRead: 4, lagBytes: 0 });
  });

  it('skips the rest of a long line written in pieces while it is followed', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'before\n');
    const { t, lines } = tail(p);
    await t.start();
    for (let i = 0; i < 5; i++) {
      appendFileSync(p, 'x'.repeat(MiB));
      await pause(80); // let the tailer look at the line while it is still growing
    }
    expect(lines).toEqual(['before']);
    appendFileSync(p, 'tail of the long line\nafter\n');
    await until(() => lines.includes('after'));
    await pause(100);
    expect(lines).toEqual(['before', head, 'after']);
    expect(t.status()).toMatchObject({ linesCut: 1, lagBytes: 0 });
  });

  it('skips the rest of a long line after a restart in the middle of it', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, `before\n${'x'.repeat(3 * MiB)}`);
    const first = tail(p);
    await first.t.start();
    await first.t.stop();
    expect(first.lines).toEqual(['before']);
    appendFileSync(p, `${'x'.repeat(2 * MiB)}\nafter\n`);
    const second = tail(p, { start: first.position() });
    await second.t.start();
    expect(second.lines).toEqual([head, 'after']);
  });

  it('keeps a line of exactly MAX_LINE_BYTES whole', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, `${head}\nafter\n`);
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual([head, 'after']);
    expect(t.status().linesCut).toBe(0);
  });

  it('cuts a long last line of a rotated file that never got its newline', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(p, 'before\n');
    const { t, lines } = tail(p);
    await t.start();
    appendFileSync(p, 'x'.repeat(2 * MiB));
    rotateOllamaWay(p, 'next\n');
    await until(() => lines.includes('next'));
    expect(lines).toEqual(['before', head, 'next']);
    expect(t.status().linesCut).toBe(1);
  });
});
