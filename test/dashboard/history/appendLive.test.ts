import { describe, expect, it } from 'vitest';
import { appendLiveSamples, appendLiveRequests } from '../../../dashboard/src/lib/history/appendLive.js';
import { memorySample, record } from '../fixtures.js';

const at = (m: number) => new Date(Date.UTC(2025, 10, 26, 10, m)).toISOString();

describe('live data in the 1 h view', () => {
  it('appends memory samples newer than the fetched ones, oldest first, trimmed to the window', () => {
    const fetched = [memorySample({ at: at(0) }), memorySample({ at: at(1) })];
    const live = [memorySample({ at: at(3) }), memorySample({ at: at(2) }), memorySample({ at: at(1) }), memorySample({ at: at(0) })];
    expect(appendLiveSamples(fetched, live, Date.parse(at(0))).map((s) => s.at)).toEqual([at(0), at(1), at(2), at(3)]);
    expect(appendLiveSamples(fetched, live, Date.parse(at(1))).map((s) => s.at)).toEqual([at(1), at(2), at(3)]);
    expect(appendLiveSamples([], live.slice(0, 1), 0).map((s) => s.at)).toEqual([at(3)]);
  });

  it('merges requests by id, newest first', () => {
    const merged = appendLiveRequests([record(2), record(1)], [record(4), record(3), record(2)]);
    expect(merged.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect(appendLiveRequests([record(1)], []).map((r) => r.id)).toEqual([1]);
  });
});
