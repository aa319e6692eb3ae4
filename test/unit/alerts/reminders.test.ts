// Reminders: only while firing, unacknowledged, still occurring, after renotifyMs, at most maxReminders.
import { describe, expect, it } from 'vitest';
import type { AlertChange } from '../../../agent/alerts/types.js';
import { clocked, incident, MIN, sample, SEC } from './fixtures.js';

/** An incident every 10 minutes (so it never resolves by time) and a tick every minute, for `minutes`. */
function drive(minutes: number, opts: { ackAt?: number } = {}) {
  const r = clocked();
  const reminders: number[] = [];
  const all: AlertChange[] = [];
  for (let m = 0; m <= minutes; m++) {
    r.at(m * MIN);
    if (m % 10 === 0) all.push(...r.engine.onIncident(incident(r.clock, 'runner_crash')));
    if (m === opts.ackAt) all.push(...r.engine.acknowledge('runner_crash|model:qwen3:8b'));
    for (const c of r.engine.tick()) {
      all.push(c);
      if (c.notify === 'reminder') reminders.push(m);
    }
  }
  return { ...r, reminders, all };
}

describe('reminders', () => {
  it('reminds every renotifyMs while it keeps occurring, at most 3 times', () => {
    const { reminders, all } = drive(300);
    expect(reminders).toEqual([60, 120, 180]);
    const third = all.filter((c) => c.notify === 'reminder')[2]!;
    expect(third).toMatchObject({ change: 'updated', alert: { notifications: 4, lastNotifiedAt: '2026-03-01T13:00:00.000Z', count: 19 } });
  });

  it('sends none once acknowledged', () => {
    const { reminders, all } = drive(300, { ackAt: 5 });
    expect(reminders).toEqual([]);
    expect(all.filter((c) => c.notify !== null).map((c) => c.notify)).toEqual(['fire']);
  });

  it('sends none when it did not occur again since the last notification', () => {
    const r = clocked({ eventResolveMs: 10 * 60 * MIN });
    r.engine.onIncident(incident(r.clock, 'oom'));
    for (const m of [60, 61, 120, 180]) {
      r.at(m * MIN);
      expect(r.engine.tick()).toEqual([]);
    }
    r.at(190 * MIN);
    r.engine.onIncident(incident(r.clock, 'oom'));
    expect(r.engine.tick()).toEqual([
      expect.objectContaining({ notify: 'reminder', alert: expect.objectContaining({ count: 2, notifications: 2 }) }),
    ]);
  });

  it('reminds of sustained memory pressure (each sample is an occurrence)', () => {
    const r = clocked();
    const reminders: number[] = [];
    for (let s = 0; s <= 3700; s += 5) {
      r.at(s * SEC);
      r.engine.onMemory(sample(r.clock, 'warn'));
      for (const c of r.engine.tick()) if (c.notify === 'reminder') reminders.push(s);
    }
    // Fired at 30 s; reminded an hour later.
    expect(reminders).toEqual([3630]);
  });
});
