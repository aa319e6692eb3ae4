// First start (no resume point): --backfill all | none | Nd decides how much of the existing logs to read.
import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpDir } from '../helpers/tmp.js';
import { rotatedPath, useTailers } from '../helpers/tailer.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const tail = useTailers();
const DAY_S = 24 * 60 * 60;

/** server-5.log … server-1.log and server.log, each holding its own name; `ageDays` sets mtimes. */
function ollamaLogs(ageDays: Partial<Record<number, number>> = {}): string {
  const p = join(tmp(), 'server.log');
  for (let n = 5; n >= 0; n--) {
    const f = n === 0 ? p : rotatedPath(p, n);
    writeFileSync(f, `${n === 0 ? 'live' : `rotated ${n}`}\n`);
    const age = ageDays[n];
    if (age !== undefined) utimesSync(f, Date.now() / 1000 - age * DAY_S, Date.now() / 1000 - age * DAY_S);
  }
  return p;
}

describe('FileTailer on a first start', () => {
  it('all (the default): reads server-5.log … server-1.log, then server.log, oldest first', async () => {
    const p = ollamaLogs();
    const { t, lines } = tail(p);
    await t.start();
    expect(lines).toEqual(['rotated 5', 'rotated 4', 'rotated 3', 'rotated 2', 'rotated 1', 'live']);
    appendFileSync(p, 'new\n');
    await until(() => lines.includes('new'));
  });

  it('none: reads only lines written after the start; the resume point is at the end of server.log', async () => {
    const p = ollamaLogs();
    appendFileSync(p, 'a line still being writ');
    const { t, lines, batches } = tail(p, { backfill: 'none' });
    await t.start();
    expect(lines).toEqual([]);
    expect(batches).toEqual([expect.objectContaining({ offset: 'live\n'.length, lines: [] })]);
    appendFileSync(p, 'ten\nnew\n');
    await until(() => lines.includes('new'));
    expect(lines).toEqual(['a line still being written', 'new']);
  });

  it('none: a log that appears after the start is new, and read from its start', async () => {
    const p = join(tmp(), 'server.log');
    writeFileSync(rotatedPath(p, 1), 'old\n');
    const { t, lines } = tail(p, { backfill: 'none' });
    await t.start();
    writeFileSync(p, 'first\n');
    await until(() => lines.includes('first'));
    expect(lines).toEqual(['first']);
  });

  it('Nd: reads only the files modified within the last N days, oldest first', async () => {
    const p = ollamaLogs({ 5: 30, 4: 20, 3: 9, 2: 6, 1: 2 });
    const { t, lines } = tail(p, { backfill: '7d' });
    await t.start();
    expect(lines).toEqual(['rotated 2', 'rotated 1', 'live']);
  });

  it('Nd: a server.log not modified within N days is followed from its end', async () => {
    const p = ollamaLogs({ 5: 30, 4: 20, 3: 9, 2: 8, 1: 3, 0: 8 });
    const { t, lines } = tail(p, { backfill: '7d' });
    await t.start();
    expect(lines).toEqual(['rotated 1']);
    appendFileSync(p, 'new\n');
    await until(() => lines.includes('new'));
    expect(lines).toEqual(['rotated 1', 'new']);
  });

  it('a resume point, not the backfill setting, decides where a later start resumes', async () => {
    const p = ollamaLogs();
    const first = tail(p, { backfill: 'none' });
    await first.t.start();
    await first.t.stop();
    appendFileSync(p, 'while stopped\n');
    const second = tail(p, { backfill: 'all', start: first.position() });
    await second.t.start();
    expect(second.lines).toEqual(['while stopped']);
  });
});
