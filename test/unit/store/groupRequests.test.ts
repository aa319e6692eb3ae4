// Requests grouped by bucket, model and backend before their rollup rows are written (requestAgg.ts).
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../shared/records.js';
import { groupRequests, HOUR, MINUTE, type RollupRequest } from '../../../agent/store/requestAgg.js';

const T = Date.parse('2026-03-01T10:00:00Z');

function request(at: number, model: string | null, backend: Backend | null = 'metal', latencyMs = 100): RollupRequest {
  return {
    ts: at,
    model,
    backend,
    kind: 'inference',
    status: 200,
    latencyMs,
    decodeTps: 40,
    prefillTps: 400,
    promptTokens: 10,
    completionTokens: 20,
    ctxUsed: null,
    ctxLimit: null,
    truncated: null,
  };
}

/** Each group as [bucket, minutes or hours after T, model, backend, requests, latency sum]. */
const summary = (groups: ReturnType<typeof groupRequests>) =>
  [...groups.values()]
    .map((g) => [g.bucketMs === MINUTE ? 'minute' : 'hour', (g.ts - T) / g.bucketMs, g.model, g.backend, g.agg.requests, g.agg.latencySum])
    .sort((a, b) => String(a).localeCompare(String(b)));

describe('groupRequests', () => {
  it('groups by minute and by hour, per model and backend; an unknown model or backend is its own group', () => {
    const groups = groupRequests([
      request(T + 1_000, 'llama3', 'metal', 100),
      request(T + 2_000, 'llama3', 'metal', 200),
      request(T + 3_000, 'llama3', 'mlx', 50),
      request(T + 61_000, 'llama3', 'metal', 300),
      request(T + 4_000, null, null, 7),
    ]);
    expect(summary(groups)).toEqual(
      [
        ['hour', 0, '', '', 1, 7],
        ['hour', 0, 'llama3', 'metal', 3, 600],
        ['hour', 0, 'llama3', 'mlx', 1, 50],
        ['minute', 0, '', '', 1, 7],
        ['minute', 0, 'llama3', 'metal', 2, 300],
        ['minute', 0, 'llama3', 'mlx', 1, 50],
        ['minute', 1, 'llama3', 'metal', 1, 300],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    expect(groups.size).toBe(7);
  });

  it('adds into groups it is given, and an hour never shares its aggregate with one of its minutes', () => {
    const groups = groupRequests([request(T + 1_000, 'qwen', 'metal', 100)]);
    groupRequests([request(T + 2_000, 'qwen', 'metal', 10), request(T + HOUR + 5, 'qwen', 'metal', 1)], groups);
    expect(summary(groups)).toEqual(
      [
        ['hour', 0, 'qwen', 'metal', 2, 110],
        ['hour', 1, 'qwen', 'metal', 1, 1],
        ['minute', 0, 'qwen', 'metal', 2, 110],
        ['minute', 60, 'qwen', 'metal', 1, 1],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const all = [...groups.values()];
    expect(new Set(all.map((g) => g.agg)).size).toBe(all.length);
  });
});
