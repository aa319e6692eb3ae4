// Memory pressure and swap growth: sustained before firing, hysteresis before resolving, flapping reopens.
import { describe, expect, it } from 'vitest';
import type { PressureLevel } from '../../../shared/memory.js';
import type { AlertChange } from '../../../agent/alerts/types.js';
import { clocked, MIN, MiB, sample, SEC } from './fixtures.js';

function pressureRig(config = {}) {
  const rig = clocked(config);
  /** Feeds one sample at T0 + s seconds. */
  const feed = (s: number, level: PressureLevel | null, value: number | null = 12): AlertChange[] => {
    rig.at(s * SEC);
    return rig.engine.onMemory(sample(rig.clock, level, { pressureValue: value }));
  };
  /** Samples every 5 s from `from` (inclusive) to `to` (exclusive); returns every change. */
  const run = (from: number, to: number, level: PressureLevel): AlertChange[] => {
    const out: AlertChange[] = [];
    for (let s = from; s < to; s += 5) out.push(...feed(s, level));
    return out;
  };
  return { ...rig, feed, run };
}

describe('memory pressure', () => {
  it('fires after 30 s of warn, not after 29 s', () => {
    const { run, feed } = pressureRig();
    expect(run(0, 29, 'warn')).toEqual([]);
    expect(feed(29, 'warn')).toEqual([]);
    expect(feed(31, 'warn')).toEqual([
      {
        key: 'memory_pressure|machine',
        change: 'fired',
        notify: 'fire',
        alert: expect.objectContaining({
          kind: 'memory_pressure',
          subject: 'machine',
          severity: 'warning',
          model: null,
          count: 1,
          title: 'Memory pressure is high on this machine',
          evidence: ['warn for 31 s (free memory level 12%)'],
          firstAt: '2026-03-01T10:00:31.000Z',
        }),
      },
    ]);
  });

  it('resolves after 60 s of normal, not after 59 s, and a flap within the quiet period reopens silently', () => {
    const { engine, run, feed } = pressureRig();
    run(0, 30, 'warn');
    const [fired] = feed(31, 'warn');
    engine.assignId(fired!.key, 9);
    expect(feed(35, 'warn')).toEqual([]);
    expect(run(40, 99, 'normal')).toEqual([]);
    expect(feed(99, 'normal')).toEqual([]);
    expect(feed(101, 'normal')).toEqual([
      expect.objectContaining({
        change: 'resolved',
        notify: 'resolve',
        alert: expect.objectContaining({
          id: 9,
          state: 'resolved',
          resolvedAt: '2026-03-01T10:01:41.000Z',
          evidence: ['warn for 35 s (free memory level 12%)', 'normal again for 61 s'],
        }),
      }),
    ]);
    // Warn again 2 minutes later: sustained again before anything happens, then the same alert, no notification.
    expect(run(220, 250, 'warn')).toEqual([]);
    expect(feed(251, 'warn')).toEqual([
      expect.objectContaining({
        change: 'reopened',
        notify: null,
        alert: expect.objectContaining({ id: 9, count: 2, state: 'firing', notifications: 2 }),
      }),
    ]);
    run(255, 300, 'normal');
    expect(feed(320, 'normal')).toEqual([expect.objectContaining({ change: 'resolved', notify: null })]);
  });

  it('needs the pressure sustained: one normal sample restarts the count', () => {
    const { run, feed } = pressureRig();
    expect(run(0, 30, 'warn')).toEqual([]);
    expect(feed(27, 'normal')).toEqual([]);
    expect(run(28, 58, 'warn')).toEqual([]);
    expect(feed(58, 'warn')).toEqual([expect.objectContaining({ change: 'fired' })]);
  });

  it('a sample without a pressure reading neither breaks nor extends a run', () => {
    const { feed } = pressureRig();
    feed(0, 'warn');
    expect(feed(10, null)).toEqual([]);
    expect(feed(20, null)).toEqual([]);
    expect(feed(30, 'warn')).toEqual([expect.objectContaining({ change: 'fired' })]);
  });

  it('does not count a gap in the samples (sleep) as sustained pressure', () => {
    const { feed } = pressureRig();
    feed(0, 'warn');
    expect(feed(90, 'warn')).toEqual([]);
    expect(feed(119, 'warn')).toEqual([]);
    expect(feed(120, 'warn')).toEqual([expect.objectContaining({ change: 'fired' })]);
  });

  it('escalates warn → critical in the same alert with a notification, and keeps the worst severity', () => {
    const { engine, run, feed } = pressureRig();
    run(0, 35, 'warn');
    expect(engine.alerts()[0]).toMatchObject({ severity: 'warning', count: 1 });
    engine.acknowledge('memory_pressure|machine');
    expect(run(35, 65, 'critical')).toEqual([]);
    const [esc, ...rest] = feed(65, 'critical', 3);
    expect(rest).toEqual([]);
    expect(esc).toMatchObject({
      key: 'memory_pressure|machine',
      change: 'escalated',
      notify: 'fire',
      alert: {
        severity: 'critical',
        count: 1,
        notifications: 2,
        acknowledgedAt: null,
        title: 'Memory pressure is critical on this machine',
      },
    });
    expect(esc!.alert.evidence.at(-1)).toBe('critical for 30 s (free memory level 3%)');
    expect(run(70, 120, 'warn')).toEqual([]);
    expect(engine.alerts()[0]).toMatchObject({ severity: 'critical', state: 'firing' });
  });

  it('needs critical itself sustained to escalate: a warn sample in between restarts it', () => {
    const { run, feed } = pressureRig();
    run(0, 35, 'warn');
    expect(run(35, 60, 'critical')).toEqual([]);
    expect(feed(60, 'warn')).toEqual([]);
    expect(run(65, 95, 'critical')).toEqual([]);
    expect(feed(95, 'critical')).toEqual([expect.objectContaining({ change: 'escalated' })]);
  });

  it('fires critical directly when critical is sustained from the start', () => {
    const { run, feed } = pressureRig();
    run(0, 30, 'critical');
    expect(feed(30, 'critical')).toEqual([
      expect.objectContaining({ change: 'fired', notify: 'fire', alert: expect.objectContaining({ severity: 'critical' }) }),
    ]);
  });

  it('resolves when the memory samples stop for eventResolveMs', () => {
    const { engine, run, at } = pressureRig();
    run(0, 40, 'warn');
    at(35 * SEC + 29 * MIN);
    expect(engine.tick()).toEqual([]);
    at(35 * SEC + 30 * MIN);
    expect(engine.tick()).toEqual([
      expect.objectContaining({
        change: 'resolved',
        alert: expect.objectContaining({ evidence: expect.arrayContaining(['no memory samples for a while']) }),
      }),
    ]);
  });

  it('is never raised when memory_pressure is muted', () => {
    const { run } = pressureRig({ mutedKinds: ['memory_pressure'] });
    expect(run(0, 120, 'critical')).toEqual([]);
  });
});

describe('swap growth', () => {
  function swapRig() {
    const rig = clocked();
    const feed = (s: number, swapMiB: number | null): AlertChange[] => {
      rig.at(s * SEC);
      return rig.engine.onMemory(sample(rig.clock, 'normal', { swapUsedBytes: swapMiB === null ? null : swapMiB * MiB }));
    };
    return { ...rig, feed };
  }

  it('fires once swap grew ≥ 256 MiB/min over a whole minute', () => {
    const { feed } = swapRig();
    const base = 4096;
    for (let s = 0; s < 60; s += 5) expect(feed(s, base + s * 6)).toEqual([]);
    expect(feed(60, base + 360)).toEqual([
      {
        key: 'memory_pressure|machine:swap',
        change: 'fired',
        notify: 'fire',
        alert: expect.objectContaining({
          kind: 'memory_pressure',
          subject: 'machine:swap',
          severity: 'warning',
          title: 'Swap is growing fast on this machine',
          evidence: ['swap +360 MiB in the last 60 s (360 MiB/min), 4.4 GiB used'],
        }),
      },
    ]);
  });

  it('does not fire at 240 MiB/min, nor on samples without a swap reading', () => {
    const { feed } = swapRig();
    for (let s = 0; s <= 300; s += 5) expect(feed(s, 1000 + s * 4)).toEqual([]);
    for (let s = 305; s <= 400; s += 5) expect(feed(s, null)).toEqual([]);
  });

  it('resolves once the rate stayed under half the threshold for 60 s', () => {
    const { feed } = swapRig();
    for (let s = 0; s < 60; s += 5) feed(s, s * 6);
    expect(feed(60, 360)).toHaveLength(1);
    // Growth stops; the trailing minute's rate falls under 128 MiB/min at 100 s.
    for (let s = 65; s <= 155; s += 5) expect(feed(s, 360)).toEqual([]);
    expect(feed(160, 360)).toEqual([expect.objectContaining({ change: 'resolved', notify: 'resolve' })]);
  });
});
