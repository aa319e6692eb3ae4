import { describe, expect, it } from 'vitest';
import {
  MAX_SEEN,
  parseBackfill,
  planFirstStart,
  planResume,
  rememberLeft,
  skipSeen,
  type ReadPlan,
  type TailPosition,
} from '../../agent/source/readPlan.js';
import { fingerprintOfHead } from '../../agent/source/fileIdentity.js';
import type { FileInfo, RotatedFile } from '../../agent/source/rotatedFiles.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-26T12:00:00Z');

const file = (name: string, over: Partial<FileInfo> = {}): FileInfo => {
  const head = Buffer.from(`first bytes of ${name}`.padEnd(64, '.'));
  return { path: `/logs/${name}`, identity: `1:${name}`, fingerprint: fingerprintOfHead(head), head, size: 1000, mtimeMs: NOW, ...over };
};
const rotated = (n: number, over: Partial<FileInfo> = {}): RotatedFile => ({
  ...file(`server-${n}.log`, { mtimeMs: NOW - n * 1000, ...over }),
  n,
});
/** server-5 … server-1, oldest first, as listRotated gives them. */
const siblings = (...ns: number[]) => ns.map((n) => rotated(n));
const live = file('server.log');

/** `name@from` per step, `*` marking a rotated (final) file. */
const steps = (p: ReadPlan) => p.steps.map((s) => `${s.file.path.slice(6)}@${s.from}${s.final ? '*' : ''}`);
const at = (f: FileInfo, offset: number, over: Partial<TailPosition> = {}): TailPosition => ({
  identity: f.identity,
  fingerprint: f.fingerprint,
  offset,
  mtimeMs: f.mtimeMs,
  ...over,
});

describe('planFirstStart', () => {
  it('all: every rotated file oldest first, then the live one, all from their start', () => {
    expect(steps(planFirstStart({ kind: 'all' }, live, siblings(5, 4, 3, 2, 1), NOW))).toEqual([
      'server-5.log@0*',
      'server-4.log@0*',
      'server-3.log@0*',
      'server-2.log@0*',
      'server-1.log@0*',
      'server.log@0',
    ]);
  });

  it('none: only what is written from now on, to the live file', () => {
    expect(steps(planFirstStart({ kind: 'none' }, live, siblings(2, 1), NOW))).toEqual(['server.log@end']);
    expect(steps(planFirstStart({ kind: 'none' }, null, siblings(2, 1), NOW))).toEqual([]);
  });

  it('Nd: only files modified within the last N days; an older live file from its end', () => {
    const files = [rotated(3, { mtimeMs: NOW - 9 * DAY }), rotated(2, { mtimeMs: NOW - 6 * DAY }), rotated(1, { mtimeMs: NOW - DAY })];
    expect(steps(planFirstStart({ kind: 'days', days: 7 }, live, files, NOW))).toEqual([
      'server-2.log@0*',
      'server-1.log@0*',
      'server.log@0',
    ]);
    const oldLive = file('server.log', { mtimeMs: NOW - 8 * DAY });
    expect(steps(planFirstStart({ kind: 'days', days: 7 }, oldLive, [files[0]!], NOW))).toEqual(['server.log@end']);
  });

  it('reads the rotated files even before a live file exists', () => {
    expect(steps(planFirstStart({ kind: 'all' }, null, siblings(1), NOW))).toEqual(['server-1.log@0*']);
  });
});

describe('planResume', () => {
  it('the live file is still the resume point file: continue at the offset', () => {
    expect(planResume(at(live, 400), live, siblings(1))).toEqual({ steps: [{ file: live, from: 400, final: false }], lost: false });
  });

  it('the live file shrank below the offset (copy-truncate): from its start', () => {
    expect(steps(planResume(at(live, 4000), live, []))).toEqual(['server.log@0']);
  });

  it('same inode, other first bytes (truncated and written again): from its start, nothing reported lost', () => {
    const p = planResume(at(live, 400, { fingerprint: 'before' }), live, []);
    expect(steps(p)).toEqual(['server.log@0']);
    expect(p.lost).toBe(false);
  });

  it('a resume point taken when the file had fewer than 64 bytes matches the file grown since, not another on its inode', () => {
    const short = fingerprintOfHead(live.head.subarray(0, 10));
    expect(steps(planResume(at(live, 10, { fingerprint: short }), live, []))).toEqual(['server.log@10']);
    const other = fingerprintOfHead(Buffer.from('other file'));
    expect(steps(planResume(at(live, 10, { fingerprint: other }), live, []))).toEqual(['server.log@0']);
    // No first bytes (an older build's resume point of a short file): identity alone.
    expect(steps(planResume(at(live, 0, { fingerprint: null }), live, []))).toEqual(['server.log@0']);
  });

  it('rotated once: finish the old file where it stopped, then the new live file', () => {
    const files = siblings(3, 2, 1);
    expect(steps(planResume(at(files[2]!, 400), live, files))).toEqual(['server-1.log@400*', 'server.log@0']);
  });

  it('rotated twice while stopped: finish server-2, then server-1 from its start, then server.log', () => {
    const files = siblings(5, 4, 3, 2, 1);
    const p = planResume(at(files[3]!, 400), live, files);
    expect(steps(p)).toEqual(['server-2.log@400*', 'server-1.log@0*', 'server.log@0']);
    expect(p.lost).toBe(false);
  });

  it('a rotated file with the resume point inode but other first bytes is not the resume point file', () => {
    const files = siblings(2, 1);
    const pos = at(files[1]!, 400, { fingerprint: 'other', mtimeMs: NOW - 1500 });
    expect(planResume(pos, live, files)).toMatchObject({ lost: true });
  });

  it('gone (rotated past -5): reported lost, then every rotated file written after it, then the live one', () => {
    const gone = rotated(6);
    const p = planResume(at(gone, 400), live, siblings(5, 4, 3, 2, 1));
    expect(p.lost).toBe(true);
    expect(steps(p)).toEqual([
      'server-5.log@0*',
      'server-4.log@0*',
      'server-3.log@0*',
      'server-2.log@0*',
      'server-1.log@0*',
      'server.log@0',
    ]);
  });

  it('gone (deleted or replaced): the older rotated files are not read again', () => {
    const old = file('server.log', { identity: '1:old', mtimeMs: NOW - 500 });
    const p = planResume(at(old, 400), live, siblings(2, 1));
    expect(p.lost).toBe(true);
    expect(steps(p)).toEqual(['server.log@0']);
  });

  it('gone, from a resume point without an mtime: only the live file', () => {
    expect(steps(planResume(at(rotated(6), 400, { mtimeMs: null }), live, siblings(2, 1)))).toEqual(['server.log@0']);
  });

  it('gone and no live file yet: nothing to read, reported lost', () => {
    expect(planResume(at(file('x', { mtimeMs: NOW }), 5), null, siblings(1))).toEqual({ steps: [], lost: true });
  });

  it('no resume point file yet (nothing existed at the first start): the live file from its start', () => {
    expect(steps(planResume({ identity: null, fingerprint: null, offset: 0 }, live, siblings(1)))).toEqual(['server.log@0']);
  });
});

describe('parseBackfill', () => {
  it('reads all, none and Nd; all when unset', () => {
    expect(parseBackfill(undefined)).toEqual({ kind: 'all' });
    expect(parseBackfill('all')).toEqual({ kind: 'all' });
    expect(parseBackfill('none')).toEqual({ kind: 'none' });
    expect(parseBackfill('14d')).toEqual({ kind: 'days', days: 14 });
    expect(() => parseBackfill('soon')).toThrow(/all, none or Nd/);
  });
});

describe('rememberLeft and skipSeen: a file that comes back', () => {
  const other = file('other.log');
  const mark = (f: FileInfo, offset: number) => ({ identity: f.identity, fingerprint: f.fingerprint!, offset });

  it('remembers the file left and how far it was read; forgets the file now read; keeps at most MAX_SEEN', () => {
    expect(rememberLeft(at(live, 700), other.identity)).toEqual([mark(live, 700)]);
    expect(rememberLeft(at(other, 30, { seen: [mark(live, 700)] }), live.identity)).toEqual([mark(other, 30)]);
    expect(rememberLeft(at(live, 5, { fingerprint: null }), other.identity)).toEqual([]); // nothing to know it by
    const many = Array.from({ length: MAX_SEEN + 3 }, (_, i) => mark(file(`f${i}.log`), i));
    expect(rememberLeft(at(live, 1, { seen: many }), other.identity)).toHaveLength(MAX_SEEN);
  });

  it('starts a remembered file where reading stopped; not when its first bytes differ or it is shorter (rewritten)', () => {
    const plan: ReadPlan = { steps: [{ file: live, from: 0, final: false }], lost: true };
    expect(steps(skipSeen(plan, [mark(live, 700)]))).toEqual(['server.log@700']);
    expect(steps(skipSeen(plan, [{ ...mark(live, 700), fingerprint: 'another file' }]))).toEqual(['server.log@0']);
    expect(steps(skipSeen(plan, [mark(live, 1200)]))).toEqual(['server.log@0']);
    expect(steps(skipSeen({ steps: [{ file: live, from: 900, final: false }], lost: false }, [mark(live, 700)]))).toEqual([
      'server.log@900',
    ]);
    expect(skipSeen(plan, undefined)).toBe(plan);
  });
});
