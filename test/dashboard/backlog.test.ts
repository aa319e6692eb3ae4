import { describe, expect, it } from 'vitest';
import { BacklogTracker } from '../../dashboard/src/lib/backlog.js';
import { durationWords, progressBar, progressOf, progressWords } from '../../shared/progress.js';
import type { SourceStatus } from '../../shared/status.js';

const MiB = 1024 ** 2;
const source = (lagBytes: number | null, state: SourceStatus['state'] = 'following'): SourceStatus => ({
  path: '/logs/server.log',
  identity: '1:2',
  state,
  offset: 0,
  size: null,
  lagBytes,
  linesRead: 0,
  unparsed: 0,
  linesCut: 0,
  lastError: null,
});

describe('progress words', () => {
  it('gives percent, rate and time left', () => {
    const p = progressOf(30 * MiB, 120 * MiB, 2000);
    expect(p.fraction).toBe(0.25);
    expect(p.bytesPerSecond).toBe(15 * MiB);
    expect(p.secondsLeft).toBe(6);
    expect(progressWords(p)).toBe('25% · 15.0 MiB/s · 6 s left');
    expect(progressBar(0.25, 8)).toBe('[##......]');
  });
  it('leaves out what is not known yet', () => {
    expect(progressWords(progressOf(0, 100 * MiB, 100))).toBe('0%');
    expect(progressWords(progressOf(5 * MiB, null, 1000))).toBe('5.0 MiB/s');
    expect(durationWords(125)).toBe('2 min 5 s');
    expect(durationWords(0.2)).toBe('< 1 s');
  });
});

describe('BacklogTracker', () => {
  it('measures a source’s backlog from the first one it saw, and forgets it once caught up', () => {
    const t = new BacklogTracker();
    expect(t.update([source(100 * MiB)], 0).get('/logs/server.log')!.words).toBe('0%');
    const mid = t.update([source(40 * MiB)], 4000).get('/logs/server.log')!;
    expect(mid.progress.fraction).toBeCloseTo(0.6);
    expect(mid.words).toBe('60% · 15.0 MiB/s · 3 s left');
    expect(t.update([source(1000)], 5000).size).toBe(0);
    // A new burst starts a new measurement.
    expect(t.update([source(10 * MiB)], 9000).get('/logs/server.log')!.progress.fraction).toBe(0);
  });
  it('shows nothing for a source that is waiting or has no lag figure', () => {
    const t = new BacklogTracker();
    expect(t.update([source(null), source(50 * MiB, 'waiting')], 0).size).toBe(0);
  });
});
