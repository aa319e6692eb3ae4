import { describe, expect, it, vi } from 'vitest';
import { applyMessage, toRequestRecord } from '../../dashboard/src/lib/dispatch.js';
import { agentStatus, alert, loadedModel, loadRecord, memorySample, record } from './fixtures.js';

function sinks() {
  return { snapshot: vi.fn(), request: vi.fn(), status: vi.fn(), memory: vi.fn(), models: vi.fn(), alert: vi.fn(), load: vi.fn() };
}

type Sinks = ReturnType<typeof sinks>;

/** Every sink except `only` must have stayed silent. */
function expectOnly(s: Sinks, only: keyof Sinks): void {
  const calls = Object.fromEntries(Object.entries(s).map(([name, fn]) => [name, fn.mock.calls.length]));
  expect(calls).toEqual({ ...Object.fromEntries(Object.keys(s).map((name) => [name, 0])), [only]: 1 });
}

describe('applyMessage', () => {
  it('routes hello to snapshot, with the requests, memory, models and alerts untouched', () => {
    const s = sinks();
    const snapshot = {
      status: agentStatus(),
      requests: [record(2), record(1)],
      loads: [],
      incidents: [],
      memory: [memorySample()],
      models: [loadedModel()],
      modelsCheckedAt: '2026-11-26T08:00:00Z',
      alerts: [alert(3), alert(2, { state: 'resolved', resolvedAt: '2026-11-26T08:00:00Z' })],
    };
    applyMessage({ type: 'hello', seq: 1, epoch: 'e', snapshot }, s);
    expect(s.snapshot).toHaveBeenCalledWith(snapshot);
    expectOnly(s, 'snapshot');
  });

  it('routes request deltas as plain RequestRecords (no type/seq)', () => {
    const s = sinks();
    applyMessage({ type: 'request', seq: 7, ...record(3) }, s);
    expect(s.request).toHaveBeenCalledWith(record(3));
    expectOnly(s, 'request');
    expect(toRequestRecord({ type: 'request', seq: 7, ...record(3) })).not.toHaveProperty('seq');
  });

  it('routes status deltas', () => {
    const s = sinks();
    const status = agentStatus({ requestCount: 5 });
    applyMessage({ type: 'status', seq: 2, status }, s);
    expect(s.status).toHaveBeenCalledWith(status);
    expectOnly(s, 'status');
  });

  it('routes memory deltas as the bare sample', () => {
    const s = sinks();
    const sample = memorySample({ pressure: 'warn' });
    applyMessage({ type: 'memory', seq: 3, sample }, s);
    expect(s.memory).toHaveBeenCalledWith(sample);
    expectOnly(s, 'memory');
  });

  it('routes models deltas as the whole list, including an empty one (everything unloaded)', () => {
    const s = sinks();
    const models = [loadedModel(), loadedModel({ name: 'llama3.2:3b' })];
    applyMessage({ type: 'models', seq: 4, models }, s);
    expect(s.models).toHaveBeenCalledWith(models);
    expectOnly(s, 'models');
    applyMessage({ type: 'models', seq: 5, models: [] }, s);
    expect(s.models).toHaveBeenLastCalledWith([]);
  });

  it('routes alert deltas as the bare AlertRecord (replace by id), never to the snapshot', () => {
    const s = sinks();
    const fired = alert(9, { severity: 'critical', count: 3 });
    applyMessage({ type: 'alert', seq: 8, alert: fired }, s);
    expect(s.alert).toHaveBeenCalledWith(fired);
    expectOnly(s, 'alert');
    const resolved = alert(9, { state: 'resolved', resolvedAt: '2025-11-26T08:00:00Z' });
    applyMessage({ type: 'alert', seq: 9, alert: resolved }, s);
    expect(s.alert).toHaveBeenLastCalledWith(resolved);
  });

  it('routes load deltas as the bare LoadRecord', () => {
    const s = sinks();
    const load = loadRecord(4, { backend: 'mlx' });
    applyMessage({ type: 'load', seq: 5, load }, s);
    expect(s.load).toHaveBeenCalledWith(load);
    expectOnly(s, 'load');
  });

  it('ignores messages without a view yet (incident)', () => {
    const s = sinks();
    applyMessage(
      { type: 'incident', seq: 6, incident: { id: 1, at: null, kind: 'oom', model: null, detail: 'x', loadId: null, requestId: null } },
      s,
    );
    for (const fn of Object.values(s)) expect(fn).not.toHaveBeenCalled();
  });
});
