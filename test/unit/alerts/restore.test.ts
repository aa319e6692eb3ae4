// After an agent restart the engine picks up the stored alerts: counting goes on in the same row.
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../shared/alerts.js';
import { AlertEngine } from '../../../agent/alerts/AlertEngine.js';
import type { AlertDraft } from '../../../agent/alerts/types.js';
import { clocked, incident, MIN, sample, SEC, T0 } from './fixtures.js';

const stored = (d: AlertDraft, id: number): AlertRecord => ({ ...d, id });

/** An engine that fired `kind` 3 times, stored as row `id`; and a fresh engine on the same clock. */
function before(kind: 'oom' | 'mlx_fallback' = 'oom', id = 42) {
  const r = clocked();
  for (let i = 0; i < 3; i++) {
    const [c] = r.engine.onIncident(incident(r.clock, kind));
    if (c!.change === 'fired') r.engine.assignId(c!.key, id);
    r.advance(SEC);
  }
  const rows = r.engine.alerts().map((a) => stored(a, a.id!));
  const after = new AlertEngine({}, () => r.clock.t);
  return { ...r, rows, after };
}

describe('restore after a restart', () => {
  it('keeps counting into the same firing alert, without a new notification', () => {
    const { rows, after, clock, advance } = before();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 42, count: 3, state: 'firing', notifications: 1 });
    advance(5 * MIN);
    after.restore(rows);
    expect(after.onIncident(incident(clock, 'oom'))).toEqual([
      expect.objectContaining({
        key: 'oom|model:qwen3:8b',
        change: 'updated',
        notify: null,
        alert: expect.objectContaining({ id: 42, count: 4, notifications: 1 }),
      }),
    ]);
  });

  it('resolves a restored alert by time from its stored lastAt, and sends the resolve its fire promised', () => {
    const { rows, after, at } = before();
    at(20 * MIN);
    after.restore(rows);
    at(30 * MIN + 1 * SEC);
    expect(after.tick()).toEqual([]);
    at(30 * MIN + 2 * SEC);
    expect(after.tick()).toEqual([
      expect.objectContaining({ change: 'resolved', notify: 'resolve', alert: expect.objectContaining({ id: 42, notifications: 2 }) }),
    ]);
  });

  it('reopens a recently resolved alert silently; forgets one resolved before the quiet period', () => {
    const { engine, at, clock } = before();
    at(31 * MIN);
    engine.tick();
    const resolved = engine.alerts().map((a) => stored(a, a.id!));
    expect(resolved[0]).toMatchObject({ state: 'resolved', resolvedAt: '2026-03-01T10:31:00.000Z' });

    at(35 * MIN);
    const soon = new AlertEngine({}, () => clock.t);
    soon.restore(resolved);
    expect(soon.onIncident(incident(clock, 'oom'))).toEqual([
      expect.objectContaining({ change: 'reopened', notify: null, alert: expect.objectContaining({ id: 42, count: 4 }) }),
    ]);

    at(45 * MIN);
    const late = new AlertEngine({}, () => clock.t);
    late.restore(resolved);
    expect(late.alerts()).toEqual([]);
    expect(late.onIncident(incident(clock, 'oom'))).toEqual([
      expect.objectContaining({ change: 'fired', notify: 'fire', alert: expect.objectContaining({ id: null, count: 1 }) }),
    ]);
  });

  it('prefers the firing row when the store returns several for one key', () => {
    const { rows, after, clock, at } = before();
    const old: AlertRecord = { ...rows[0]!, id: 7, state: 'resolved', resolvedAt: new Date(T0 - MIN).toISOString(), count: 99 };
    at(2 * MIN);
    after.restore([rows[0]!, old]);
    after.restore([old]);
    expect(after.onIncident(incident(clock, 'oom'))[0]!.alert).toMatchObject({ id: 42, count: 4 });
  });

  it('does not exceed the reminder cap across a restart', () => {
    const r = clocked({ eventResolveMs: 24 * 60 * MIN });
    const row: AlertRecord = {
      id: 5,
      kind: 'oom',
      severity: 'critical',
      subject: 'model:qwen3:8b',
      model: 'qwen3:8b',
      state: 'firing',
      title: 't',
      message: 'm',
      evidence: [],
      count: 10,
      firstAt: new Date(T0).toISOString(),
      lastAt: new Date(T0).toISOString(),
      resolvedAt: null,
      acknowledgedAt: null,
      notifications: 4,
      lastNotifiedAt: new Date(T0).toISOString(),
      incidentId: null,
      loadId: null,
      requestId: null,
    };
    r.engine.restore([row]);
    r.at(2 * 60 * MIN);
    r.engine.onIncident(incident(r.clock, 'oom'));
    expect(r.engine.tick()).toEqual([]);
    const fewer = clocked({ eventResolveMs: 24 * 60 * MIN });
    fewer.engine.restore([{ ...row, notifications: 2 }]);
    fewer.at(2 * 60 * MIN);
    fewer.engine.onIncident(incident(fewer.clock, 'oom'));
    expect(fewer.engine.tick()).toEqual([
      expect.objectContaining({ notify: 'reminder', alert: expect.objectContaining({ id: 5, notifications: 3 }) }),
    ]);
  });

  it('resolves a restored memory pressure alert after 60 s of normal samples', () => {
    const r = clocked();
    for (let s = 0; s <= 35; s += 5) {
      r.at(s * SEC);
      r.engine.onMemory(sample(r.clock, 'critical'));
    }
    const rows = r.engine.alerts().map((a) => stored(a, 3));
    expect(rows[0]).toMatchObject({ subject: 'machine', severity: 'critical', state: 'firing' });
    const after = new AlertEngine({}, () => r.clock.t);
    r.at(60 * SEC);
    after.restore(rows);
    const changes = [];
    for (let s = 60; s <= 120; s += 5) {
      r.at(s * SEC);
      changes.push(...after.onMemory(sample(r.clock, 'normal')));
    }
    expect(changes).toEqual([
      expect.objectContaining({ change: 'resolved', alert: expect.objectContaining({ id: 3, resolvedAt: '2026-03-01T10:02:00.000Z' }) }),
    ]);
  });

  it('resolves restored memory alerts when no sample arrives for eventResolveMs, or when their kind is now muted', () => {
    const row: AlertRecord = {
      id: 8,
      kind: 'memory_pressure',
      severity: 'warning',
      subject: 'machine:swap',
      model: null,
      state: 'firing',
      title: 't',
      message: 'm',
      evidence: [],
      count: 1,
      firstAt: new Date(T0).toISOString(),
      lastAt: new Date(T0).toISOString(),
      resolvedAt: null,
      acknowledgedAt: null,
      notifications: 1,
      lastNotifiedAt: new Date(T0).toISOString(),
      incidentId: null,
      loadId: null,
      requestId: null,
    };
    const r = clocked();
    r.at(10 * MIN);
    r.engine.restore([row]);
    r.at(39 * MIN);
    expect(r.engine.tick()).toEqual([]);
    r.at(40 * MIN);
    expect(r.engine.tick()).toEqual([
      expect.objectContaining({ key: 'memory_pressure|machine:swap', change: 'resolved', notify: 'resolve' }),
    ]);

    const muted = clocked({ mutedKinds: ['memory_pressure'] });
    muted.engine.restore([row]);
    expect(muted.engine.tick()).toEqual([expect.objectContaining({ change: 'resolved', alert: expect.objectContaining({ id: 8 }) })]);
  });
});
