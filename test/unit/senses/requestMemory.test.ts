import { describe, expect, it } from 'vitest';
import { RequestMemory } from '../../../agent/senses/RequestMemory.js';
import { nearestSample } from '../../../agent/senses/nearestSample.js';
import type { MemorySample } from '../../../shared/memory.js';
import type { LoadRecord } from '../../../shared/records.js';

const T0 = Date.parse('2026-12-06T10:00:00Z');
const INTERVAL = 5000;

function sample(ms: number, usedBytes: number, pressure: MemorySample['pressure'] = 'normal'): MemorySample {
  return {
    at: new Date(ms).toISOString(),
    totalBytes: 64e9,
    usedBytes,
    availableBytes: 64e9 - usedBytes,
    wiredBytes: null,
    compressedBytes: null,
    swapUsedBytes: 1e9,
    swapTotalBytes: 2e9,
    swapoutsDelta: null,
    pressure,
    pressureValue: null,
    pressureSource: 'macos',
    ollamaFootprintBytes: 20e9,
    ollamaProcesses: 2,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
  };
}

describe('nearest machine sample to a request end', () => {
  const samples = [0, 5000, 10_000].map((d, i) => ({ ts: T0 + d, sample: i }));

  it('takes the nearest sample, before or after the end', () => {
    expect(nearestSample(samples, T0 + 6000, INTERVAL)).toBe(1);
    expect(nearestSample(samples, T0 + 8000, INTERVAL)).toBe(2);
    expect(nearestSample(samples, T0 - 3000, INTERVAL)).toBe(0);
  });

  it('takes one only within two sampling intervals', () => {
    expect(nearestSample(samples, T0 + 10_000 + 2 * INTERVAL, INTERVAL)).toBe(2);
    expect(nearestSample(samples, T0 + 10_000 + 2 * INTERVAL + 1, INTERVAL)).toBeNull();
    expect(nearestSample(samples, T0 - 2 * INTERVAL - 1, INTERVAL)).toBeNull();
  });

  it("gives a backfilled request (a day old) nothing, not today's figures", () => {
    expect(nearestSample(samples, T0 - 86_400_000, INTERVAL)).toBeNull();
    expect(nearestSample(samples, NaN, INTERVAL)).toBeNull();
    expect(nearestSample([], T0, INTERVAL)).toBeNull();
  });
});

describe('RequestMemory', () => {
  it('fills the machine fields from the nearest sample and the load memory from the load it ran on', () => {
    const rm = new RequestMemory(INTERVAL);
    rm.noteSample(sample(T0, 30e9));
    rm.noteSample(sample(T0 + 5000, 40e9, 'warn'));
    rm.noteLoad({ id: 7, sizeBytes: 22e9 } as LoadRecord);
    expect(rm.forRequest(T0 + 4000, 7)).toEqual({
      modelMemoryBytes: 22e9,
      memoryUsedBytes: 40e9,
      memoryPressure: 'warn',
      swapUsedBytes: 1e9,
      ollamaFootprintBytes: 20e9,
    });
    expect(rm.forRequest(T0 + 4000, 8).modelMemoryBytes).toBeNull();
  });

  it('backfill: a request far from every sample gets null machine fields', () => {
    const rm = new RequestMemory(INTERVAL);
    rm.noteSample(sample(T0, 30e9));
    expect(rm.forRequest(T0 - 3_600_000, null)).toEqual({
      modelMemoryBytes: null,
      memoryUsedBytes: null,
      memoryPressure: null,
      swapUsedBytes: null,
      ollamaFootprintBytes: null,
    });
  });

  it('forgets a load size the API no longer gives', () => {
    const rm = new RequestMemory(INTERVAL);
    rm.noteLoad({ id: 7, sizeBytes: 22e9 } as LoadRecord);
    rm.noteLoad({ id: 7, sizeBytes: null } as LoadRecord);
    expect(rm.forRequest(T0, 7).modelMemoryBytes).toBeNull();
  });
});
