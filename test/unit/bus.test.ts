// The bus stamps each delta with the next sequence number, and a request's delta carries the whole
// stored record.
import { describe, expect, it } from 'vitest';
import { Bus, requestDelta } from '../../agent/bus.js';
import type { RequestRecord } from '../../shared/records.js';

/** A record whose every field holds a value of its own, so a field left out or crossed shows. */
const record: RequestRecord = {
  id: 7,
  at: '2026-12-06T09:00:00.000Z',
  method: 'POST',
  path: '/api/chat',
  status: 200,
  latencyMs: 1234,
  client: '127.0.0.1',
  kind: 'inference',
  model: 'llama3.2:3b',
  backend: 'metal',
  promptTokens: 11,
  completionTokens: 12,
  prefillTps: 13.5,
  decodeTps: 14.5,
  ctxUsed: 15,
  ctxLimit: 4096,
  truncated: false,
  loadId: 16,
  source: 'log',
  peakMemoryBytes: 17,
  modelMemoryBytes: 18,
  kvBytes: 19,
  kvUsedBytes: 20,
  kvFill: 0.21,
  memoryUsedBytes: 22,
  memoryPressure: 'warn',
  swapUsedBytes: 23,
  ollamaFootprintBytes: 24,
};

describe('Bus', () => {
  it("makes a request's delta of every field of the record", () => {
    expect(requestDelta(record)).toEqual({ type: 'request', ...record });
    expect(Object.keys(requestDelta(record))).toEqual(['type', ...Object.keys(record)]);
  });

  it('numbers the messages in the order they are published, to every listener', () => {
    const bus = new Bus();
    const a: unknown[] = [];
    const b: number[] = [];
    bus.subscribe((m) => a.push(m));
    const off = bus.subscribe((m) => b.push(m.seq));
    bus.publish(requestDelta(record));
    off();
    bus.publish({
      type: 'incident',
      incident: { id: 1, at: record.at, kind: 'mlx_fallback', model: null, detail: 'x', loadId: null, requestId: null },
    });
    expect(a).toEqual([
      { type: 'request', ...record, seq: 1 },
      { type: 'incident', incident: expect.objectContaining({ id: 1 }), seq: 2 },
    ]);
    expect(b).toEqual([1]);
    expect(bus.seq).toBe(2);
  });
});
