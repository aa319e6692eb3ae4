import { describe, expect, it, vi } from 'vitest';
import { applyMessage, toRequestRecord } from '../../dashboard/src/lib/dispatch.js';
import { agentStatus, record } from './fixtures.js';

function sinks() {
  return { snapshot: vi.fn(), request: vi.fn(), status: vi.fn() };
}

describe('applyMessage', () => {
  it('routes hello to snapshot, with the requests untouched', () => {
    const s = sinks();
    const snapshot = { status: agentStatus(), requests: [record(2), record(1)], loads: [], incidents: [] };
    applyMessage({ type: 'hello', seq: 1, snapshot }, s);
    expect(s.snapshot).toHaveBeenCalledWith(snapshot);
    expect(s.request).not.toHaveBeenCalled();
  });

  it('routes request deltas as plain RequestRecords (no type/seq)', () => {
    const s = sinks();
    applyMessage({ type: 'request', seq: 7, ...record(3) }, s);
    expect(s.request).toHaveBeenCalledWith(record(3));
    expect(toRequestRecord({ type: 'request', seq: 7, ...record(3) })).not.toHaveProperty('seq');
  });

  it('routes status deltas', () => {
    const s = sinks();
    const status = agentStatus({ requestCount: 5 });
    applyMessage({ type: 'status', seq: 2, status }, s);
    expect(s.status).toHaveBeenCalledWith(status);
  });
});
