import { describe, expect, it } from 'vitest';
import type { MemorySample, PressureLevel } from '../../../shared/memory.js';
import { MemorySampleStore } from '../../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();
const T0 = Date.parse('2026-11-26T08:00:00Z');

function sample(i: number, over: Partial<MemorySample> = {}): MemorySample {
  return {
    at: new Date(T0 + i * 5000).toISOString(),
    totalBytes: 64 * 2 ** 30,
    usedBytes: 40 * 2 ** 30 + i,
    availableBytes: 24 * 2 ** 30 - i,
    wiredBytes: 8 * 2 ** 30,
    compressedBytes: 2 ** 30,
    swapUsedBytes: 0,
    swapTotalBytes: 2 ** 30,
    swapoutsDelta: i === 0 ? null : 0,
    pressure: 'normal',
    pressureValue: 60,
    pressureSource: 'macos',
    ollamaFootprintBytes: null,
    ollamaProcesses: 2,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
    ...over,
  };
}

describe('MemorySampleStore', () => {
  it('stores samples exactly, nulls included, and reads them back newest first', () => {
    const m = new MemorySampleStore(openDatabase(tmp(), MIGRATIONS_DIR));
    const a = sample(0);
    const b = sample(1, { pressure: null, pressureSource: null, pressureValue: null, usedBytes: null });
    m.insert(a);
    m.insert(b);
    expect(m.latest(5)).toEqual([b, a]);
  });

  it('returns raw samples while they fit, else buckets keeping the worst pressure and summing swap-outs', () => {
    const m = new MemorySampleStore(openDatabase(tmp(), MIGRATIONS_DIR));
    const levels: PressureLevel[] = ['normal', 'critical', 'warn', 'normal'];
    for (let i = 0; i < 40; i++) m.insert(sample(i, { pressure: levels[i % 4]!, swapoutsDelta: i === 0 ? null : 3 }));
    const raw = m.range(T0, T0 + 40 * 5000, 100);
    expect(raw.bucketMs).toBeNull();
    expect(raw.samples).toHaveLength(40);
    expect(raw.samples[0]!.at).toBe(sample(0).at);

    const thin = m.range(T0, T0 + 40 * 5000, 10);
    expect(thin.bucketMs).toBe(20_000);
    expect(thin.samples).toHaveLength(10);
    // Every bucket of 4 samples holds a critical one; swap-outs add up (the first bucket has a null).
    expect(thin.samples.map((s) => s.pressure)).toEqual(Array(10).fill('critical'));
    expect(thin.samples.map((s) => s.swapoutsDelta)).toEqual([9, ...Array(9).fill(12)]);
    expect(thin.samples[0]!.usedBytes).toBe(40 * 2 ** 30 + 2); // round(avg(0, 1, 2, 3)) = round(1.5)
  });

  it('keeps the window half-open', () => {
    const m = new MemorySampleStore(openDatabase(tmp(), MIGRATIONS_DIR));
    for (let i = 0; i < 10; i++) m.insert(sample(i));
    expect(m.range(T0 + 5000, T0 + 15_000, 100).samples.map((s) => s.at)).toEqual([sample(1).at, sample(2).at]);
  });
});
