// One alert per (kind, subject) with a count; time-based resolution; the quiet period; stale and muted input.
import { describe, expect, it } from 'vitest';
import { ALERT_EVIDENCE_MAX } from '../../../shared/alerts.js';
import { clocked, incident, MIN, SEC } from './fixtures.js';

describe('de-duplication', () => {
  it('folds 100 identical incidents into one alert with count 100 and capped evidence', () => {
    const { engine, clock, advance } = clocked();
    const changes = [];
    for (let i = 0; i < 100; i++) {
      changes.push(...engine.onIncident(incident(clock, 'context_truncated', { detail: `truncated #${i}` })));
      advance(SEC);
    }
    expect(changes).toHaveLength(100);
    expect(changes.map((c) => c.change)).toEqual(['fired', ...Array(99).fill('updated')]);
    expect(changes.map((c) => c.notify)).toEqual(['fire', ...Array(99).fill(null)]);
    expect(new Set(changes.map((c) => c.key))).toEqual(new Set(['context_truncated|model:qwen3:8b']));
    const last = changes[99]!.alert;
    expect(last).toMatchObject({ count: 100, notifications: 1, firstAt: '2026-03-01T10:00:00.000Z', lastAt: '2026-03-01T10:01:39.000Z' });
    expect(ALERT_EVIDENCE_MAX).toBe(5);
    expect(last.evidence).toEqual(['truncated #95', 'truncated #96', 'truncated #97', 'truncated #98', 'truncated #99']);
    expect(engine.alerts()).toHaveLength(1);
  });

  it('keeps the latest incident, load and request ids on the alert', () => {
    const { engine, clock } = clocked();
    engine.onIncident(incident(clock, 'oom', { id: 500, loadId: 7, requestId: 1 }));
    const [c] = engine.onIncident(incident(clock, 'oom', { id: 501, loadId: 8, requestId: 2 }));
    expect(c!.alert).toMatchObject({ incidentId: 501, loadId: 8, requestId: 2, count: 2 });
  });

  it('keeps different kinds and different subjects apart', () => {
    const { engine, clock } = clocked();
    engine.onIncident(incident(clock, 'oom', { model: 'a:1' }));
    engine.onIncident(incident(clock, 'oom', { model: 'b:1' }));
    engine.onIncident(incident(clock, 'runner_crash', { model: 'a:1' }));
    engine.onIncident(incident(clock, 'oom', { model: null, loadId: 4 }));
    engine.onIncident(incident(clock, 'oom', { model: 'a:1' }));
    const alerts = engine.alerts();
    expect(alerts.map((a) => `${a.kind}|${a.subject}|${a.count}`).sort()).toEqual([
      'oom|load:4|1',
      'oom|model:a:1|2',
      'oom|model:b:1|1',
      'runner_crash|model:a:1|1',
    ]);
  });

  it('carries the id the I/O side assigned in later changes', () => {
    const { engine, clock } = clocked();
    const [fired] = engine.onIncident(incident(clock, 'oom'));
    expect(fired!.alert.id).toBeNull();
    engine.assignId(fired!.key, 42);
    expect(engine.onIncident(incident(clock, 'oom'))[0]!.alert.id).toBe(42);
  });
});

describe('time-based resolution', () => {
  it('resolves after eventResolveMs without a new incident, and a recurrence restarts the wait', () => {
    const { engine, clock, at } = clocked();
    engine.onIncident(incident(clock, 'partial_offload'));
    at(20 * MIN);
    engine.onIncident(incident(clock, 'partial_offload'));
    at(49 * MIN + 59 * SEC);
    expect(engine.tick()).toEqual([]);
    at(50 * MIN);
    const [c, ...rest] = engine.tick();
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      key: 'partial_offload|model:qwen3:8b',
      change: 'resolved',
      notify: 'resolve',
      alert: { state: 'resolved', resolvedAt: '2026-03-01T10:50:00.000Z', count: 2, notifications: 2 },
    });
    expect(engine.tick()).toEqual([]);
  });

  it('reopens the same alert silently within the quiet period, and opens a new one after it', () => {
    const { engine, clock, at } = clocked();
    const [fired] = engine.onIncident(incident(clock, 'oom'));
    engine.assignId(fired!.key, 42);
    at(30 * MIN);
    expect(engine.tick()[0]).toMatchObject({ change: 'resolved', notify: 'resolve' });

    at(39 * MIN);
    const [reopened] = engine.onIncident(incident(clock, 'oom'));
    expect(reopened).toMatchObject({
      change: 'reopened',
      notify: null,
      alert: { id: 42, state: 'firing', resolvedAt: null, count: 2, notifications: 2 },
    });

    // Its next resolution is not sent again: the person's latest news already says "resolved".
    at(69 * MIN);
    expect(engine.tick()[0]).toMatchObject({ change: 'resolved', notify: null, alert: { id: 42, notifications: 2 } });

    at(79 * MIN);
    const [fresh] = engine.onIncident(incident(clock, 'oom'));
    expect(fresh).toMatchObject({ change: 'fired', notify: 'fire', alert: { id: null, count: 1, notifications: 1 } });
  });

  it('forgets resolved alerts once their quiet period is over', () => {
    const { engine, clock, at } = clocked();
    engine.onIncident(incident(clock, 'oom'));
    at(30 * MIN);
    engine.tick();
    expect(engine.alerts().map((a) => a.state)).toEqual(['resolved']);
    at(40 * MIN);
    engine.tick();
    expect(engine.alerts()).toEqual([]);
  });
});

describe('input the engine ignores', () => {
  it('raises nothing for incidents older than eventResolveMs (a backfill of old logs)', () => {
    const { engine, clock } = clocked();
    const old = new Date(clock.t - 31 * MIN).toISOString();
    expect(engine.onIncident(incident(clock, 'oom', { at: old }))).toEqual([]);
    const recent = new Date(clock.t - 29 * MIN).toISOString();
    expect(engine.onIncident(incident(clock, 'oom', { at: recent }))).toHaveLength(1);
    // No time (a line without a timestamp) is taken as now.
    expect(engine.onIncident(incident(clock, 'runner_crash', { at: null }))).toHaveLength(1);
  });

  it('never raises alerts of muted kinds', () => {
    const { engine, clock } = clocked({ mutedKinds: ['partial_offload', 'context_shift'] });
    expect(engine.onIncident(incident(clock, 'partial_offload'))).toEqual([]);
    expect(engine.onIncident(incident(clock, 'context_shift'))).toEqual([]);
    expect(engine.onIncident(incident(clock, 'gpu_fallback'))).toHaveLength(1);
    expect(engine.alerts().map((a) => a.kind)).toEqual(['gpu_fallback']);
  });
});

describe('acknowledgement', () => {
  it('records the time once, and silences the resolution', () => {
    const { engine, clock, at } = clocked();
    engine.onIncident(incident(clock, 'oom'));
    at(5 * MIN);
    expect(engine.acknowledge('oom|model:qwen3:8b')).toEqual([
      expect.objectContaining({
        change: 'updated',
        notify: null,
        alert: expect.objectContaining({ acknowledgedAt: '2026-03-01T10:05:00.000Z' }),
      }),
    ]);
    expect(engine.acknowledge('oom|model:qwen3:8b')).toEqual([]);
    expect(engine.acknowledge('oom|model:nope')).toEqual([]);
    at(30 * MIN);
    expect(engine.tick()).toEqual([
      expect.objectContaining({ change: 'resolved', notify: null, alert: expect.objectContaining({ notifications: 1 }) }),
    ]);
  });
});
