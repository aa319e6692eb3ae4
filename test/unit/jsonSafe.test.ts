import { describe, expect, it } from 'vitest';
import { jsonSafe } from '../../agent/pipeline/jsonSafe.js';

describe('jsonSafe: whether JSON carries a record across threads unchanged', () => {
  it.each([
    ['a request-like record', { key: 1, at: '2026-01-01T00:00:00Z', ts: 1, model: null, truncated: false, latencyMs: 1.5 }, true],
    ['a server record with nested config and devices', { config: { OLLAMA_HOST: '0.0.0.0' }, devices: [{ library: 'Metal', totalBytes: null }] }, true],
    ['NaN', { tps: Number.NaN }, false],
    ['Infinity', { tps: Number.POSITIVE_INFINITY }, false],
    ['-Infinity deep inside', { devices: [{ totalBytes: Number.NEGATIVE_INFINITY }] }, false],
    ['undefined', { model: undefined }, false],
    ['a Date', { at: new Date(0) }, false],
    ['a Map', { m: new Map() }, false],
  ])('%s', (_name, value, safe) => {
    expect(jsonSafe(value)).toBe(safe);
  });
});
