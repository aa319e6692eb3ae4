import { describe, expect, it } from 'vitest';
import {
  alertElementId,
  alertIdFromHash,
  ALERT_LIST,
  firingAlerts,
  RECENTLY_RESOLVED_MS,
  recentlyResolved,
} from '../../dashboard/src/lib/alertList.js';
import { mergeList } from '../../dashboard/src/lib/listSpec.js';
import { alert } from './fixtures.js';

const ids = (list: readonly { id: number }[]) => list.map((a) => a.id);

describe('mergeList(ALERT_LIST)', () => {
  it('orders newest first by id and replaces by id (the incoming copy wins)', () => {
    const existing = [alert(3), alert(1)];
    const merged = mergeList(ALERT_LIST, existing, [alert(2), alert(3, { count: 7, acknowledgedAt: '2025-11-26T08:00:00Z' })]);
    expect(ids(merged)).toEqual([3, 2, 1]);
    expect(merged[0]).toMatchObject({ count: 7, acknowledgedAt: '2025-11-26T08:00:00Z' });
  });

  it('lets the last of several deltas for one id win, and a resolve replaces the firing copy', () => {
    const merged = mergeList(
      ALERT_LIST,
      [alert(5)],
      [alert(5, { count: 2 }), alert(5, { count: 3, state: 'resolved', resolvedAt: '2025-11-26T09:00:00Z' })],
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ count: 3, state: 'resolved' });
  });

  it('never mutates its inputs and returns the same array when nothing changes', () => {
    const existing = Object.freeze([alert(2), alert(1)]);
    const incoming = Object.freeze([alert(3)]);
    const merged = mergeList(ALERT_LIST, existing, incoming);
    expect(merged).not.toBe(existing);
    expect(ids(existing)).toEqual([2, 1]);
    expect(mergeList(ALERT_LIST, merged, [])).toBe(merged);
  });

  it('over the cap drops the oldest resolved alerts first, keeping firing ones however old', () => {
    const resolved = (id: number) => alert(id, { state: 'resolved', resolvedAt: '2025-11-26T09:00:00Z' });
    const existing = [resolved(6), resolved(5), resolved(4), alert(3), resolved(2), alert(1)];
    expect(ids(mergeList(ALERT_LIST, existing, [resolved(7)], 5))).toEqual([7, 6, 5, 3, 1]);
    expect(ids(mergeList(ALERT_LIST, existing, [resolved(7)], 3))).toEqual([7, 3, 1]);
  });

  it('cuts by id when firing alerts alone exceed the cap, and treats a bad cap as 0', () => {
    expect(ids(mergeList(ALERT_LIST, [], [alert(1), alert(2), alert(3)], 2))).toEqual([3, 2]);
    expect(mergeList(ALERT_LIST, [alert(1)], [alert(2)], -1)).toEqual([]);
  });

  it('defaults to a cap of 200', () => {
    const many = Array.from({ length: 250 }, (_, i) => alert(i + 1, { state: 'resolved' }));
    const merged = mergeList(ALERT_LIST, [], many);
    expect(merged).toHaveLength(ALERT_LIST.cap);
    expect(merged[0]!.id).toBe(250);
  });
});

describe('firingAlerts', () => {
  it('keeps only firing alerts, critical first, then newest first', () => {
    const items = [
      alert(6, { severity: 'warning' }),
      alert(5, { severity: 'critical', state: 'resolved' }),
      alert(4, { severity: 'critical' }),
      alert(3, { severity: 'warning' }),
      alert(2, { severity: 'critical' }),
    ];
    expect(ids(firingAlerts(items))).toEqual([4, 2, 6, 3]);
    expect(firingAlerts([])).toEqual([]);
  });
});

describe('recentlyResolved', () => {
  const now = Date.parse('2025-11-26T12:00:00Z');
  it('lists resolved alerts of the last day, most recently resolved first', () => {
    const items = [
      alert(9),
      alert(8, { state: 'resolved', resolvedAt: '2025-11-26T10:00:00Z' }),
      alert(7, { state: 'resolved', resolvedAt: '2025-11-26T11:30:00Z' }),
      alert(6, { state: 'resolved', resolvedAt: '2025-11-25T11:59:00Z' }), // over a day ago
      alert(5, { state: 'resolved', resolvedAt: null }), // resolved, time unknown: still listed, last
    ];
    expect(ids(recentlyResolved(items, now))).toEqual([7, 8, 5]);
    expect(ids(recentlyResolved(items, now, 2 * RECENTLY_RESOLVED_MS))).toEqual([7, 8, 6, 5]);
  });
});

describe('alert links', () => {
  it('reads #alert-<id> and nothing else', () => {
    expect(alertIdFromHash('#alert-42')).toBe(42);
    expect(alertIdFromHash('alert-7')).toBe(7);
    for (const hash of ['', '#', '#alert-', '#alert-0', '#alert-1x', '#alert--3', '#alerts-3', '#alert-1.5', '#alert-99999999999999999']) {
      expect(alertIdFromHash(hash), hash).toBeNull();
    }
    expect(alertElementId(42)).toBe('alert-42');
    expect(alertIdFromHash(`#${alertElementId(42)}`)).toBe(42);
  });
});
