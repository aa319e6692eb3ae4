// The pipeline thread's records reach the main thread exactly as they were made (issue 23).
import { describe, expect, it } from 'vitest';
import { scenario } from '../../agent/demo/scenario.js';
import type { CorrelatedRecord, NewRequest } from '../../agent/correlate/records.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';
import { decodeRecords, encodeRecords, REQUEST_FIELDS } from '../../agent/pipeline/recordCodec.js';

/** Across a thread boundary as postMessage takes it: the structured clone, buffers transferred. */
function roundTrip(records: readonly CorrelatedRecord[]): CorrelatedRecord[] {
  const { encoded, transfer } = encodeRecords(records);
  return decodeRecords(structuredClone(encoded, { transfer }));
}

/** The records of the first `n` steps of the demo's usage mix: every record kind. */
function demoRecords(n: number): CorrelatedRecord[] {
  const pipeline = new LogPipeline();
  const records: CorrelatedRecord[] = [];
  let steps = 0;
  for (const step of scenario({ start: new Date('2026-01-01T00:00:00Z'), offset: '+01:00', seed: 3, mix: 'usage' })) {
    for (const line of step.lines) pipeline.push(line, records);
    if (++steps >= n) break;
  }
  return records;
}

describe('recordCodec', () => {
  it('gives back every record of a real log unchanged, requests with their fields in the same order', () => {
    const records = demoRecords(3000);
    const kinds = new Set(records.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['incident', 'load', 'request', 'server']);
    const decoded = roundTrip(records);
    expect(decoded).toEqual(records);
    const request = decoded.find((r) => r.kind === 'request')!;
    expect(Object.keys(request.record)).toEqual(Object.keys(records.find((r) => r.kind === 'request')!.record));
    // A field added to requests without the codec knowing of it would be lost on the way.
    expect(Object.keys(request.record)).toEqual([...REQUEST_FIELDS]);
  });

  it("sends the correlator's requests in the columns, not whole", () => {
    const records = demoRecords(3000);
    const { encoded } = encodeRecords(records);
    const requests = records.filter((r) => r.kind === 'request').length;
    expect(requests).toBeGreaterThan(100);
    expect(encoded.at).toHaveLength(requests);
    expect(encoded.others.map((r) => r.kind)).not.toContain('request');
    expect(encoded.others).toHaveLength(records.length - requests);
  });

  it('puts each value back in its own field', () => {
    const record = Object.fromEntries(REQUEST_FIELDS.map((f, i) => [f, `${f}-${i}`])) as unknown as NewRequest;
    const server = { kind: 'server', record: { key: 1, config: { A: 'b' }, devices: [{ n: 1 }] } } as unknown as CorrelatedRecord;
    const records: CorrelatedRecord[] = [
      { kind: 'request', record },
      server,
      { kind: 'request', record: { ...record, ts: 5, truncated: null } },
    ];
    expect(roundTrip(records)).toEqual(records);
  });

  it('carries what JSON would change (NaN, Infinity, undefined, nested objects) exactly', () => {
    const [request, load, server] = ['request', 'load', 'server'].map((kind) => demoRecords(400).find((r) => r.kind === kind)!);
    const records = [
      { kind: 'request', record: { ...request!.record, ts: Number.NaN, decodeTps: Number.POSITIVE_INFINITY, model: undefined } },
      // Not what the correlator makes, but carried as it is: a number, and a string equal to a number, in string fields.
      { kind: 'request', record: { ...request!.record, backend: 7, client: '0', method: null } },
      { kind: 'load', record: { ...load!.record, ctx: Number.NaN } },
      server!,
    ] as CorrelatedRecord[];
    const decoded = roundTrip(records);
    expect(decoded).toEqual(records);
    expect(Object.hasOwn(decoded[0]!.record, 'model')).toBe(true);
  });
});
