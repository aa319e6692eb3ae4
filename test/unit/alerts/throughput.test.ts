// Throughput regression: recent decode median against the 7-day median, per (model, backend).
import { describe, expect, it } from 'vitest';
import type { DecodeBaselineLookup } from '../../../agent/alerts/AlertEngine.js';
import { median } from '../../../agent/alerts/throughput.js';
import type { AlertChange } from '../../../agent/alerts/types.js';
import type { Backend } from '../../../shared/records.js';
import { clocked, MIN, request, SEC } from './fixtures.js';

const baselines: Record<string, { medianDecodeTps: number; requests: number }> = {
  'qwen3:8b|mlx': { medianDecodeTps: 100, requests: 50 },
  'qwen3:8b|metal': { medianDecodeTps: 40, requests: 50 },
  'thin:1b|mlx': { medianDecodeTps: 100, requests: 4 },
};
const lookup: DecodeBaselineLookup = (model, backend) => baselines[`${model}|${backend}`] ?? null;

function rig() {
  const r = clocked();
  /** One request per second at `tps`; returns the changes of each. */
  const send = (tps: number[], backend: Backend = 'mlx', model = 'qwen3:8b'): AlertChange[][] =>
    tps.map((decodeTps) => {
      r.advance(SEC);
      return r.engine.onRequest(request(r.clock, { decodeTps, backend, model }), lookup);
    });
  return { ...r, send };
}

describe('throughput regression', () => {
  it('fires at 41% below the 7-day median on the fifth request, not before', () => {
    const { send } = rig();
    const changes = send([59, 59, 59, 59, 59]);
    expect(changes.slice(0, 4).flat()).toEqual([]);
    expect(changes[4]).toEqual([
      {
        key: 'throughput_regression|model:qwen3:8b@mlx',
        change: 'fired',
        notify: 'fire',
        alert: expect.objectContaining({
          kind: 'throughput_regression',
          subject: 'model:qwen3:8b@mlx',
          model: 'qwen3:8b',
          severity: 'warning',
          count: 1,
          title: 'qwen3:8b decodes 41% slower on mlx than its 7-day median',
          evidence: ['decode 59.0 tok/s (median of the last 5) vs 100.0 tok/s 7-day median on mlx: 41% slower'],
        }),
      },
    ]);
  });

  it('does not fire at 39% below', () => {
    const { send } = rig();
    expect(send([61, 61, 61, 61, 61, 61, 61]).flat()).toEqual([]);
  });

  it('fires exactly at 40% below (the rule says "at least 40%")', () => {
    const { send } = rig();
    expect(send([60, 60, 60, 60, 60])[4]).toEqual([expect.objectContaining({ change: 'fired' })]);
  });

  it('judges the median, so one slow request among fast ones does nothing', () => {
    const { send } = rig();
    expect(send([100, 10, 100, 5, 100, 100]).flat()).toEqual([]);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('needs at least 5 requests in the baseline too, and a baseline at all', () => {
    const { send } = rig();
    expect(send([10, 10, 10, 10, 10, 10], 'mlx', 'thin:1b').flat()).toEqual([]);
    expect(send([10, 10, 10, 10, 10, 10], 'mlx', 'unknown:7b').flat()).toEqual([]);
  });

  it('counts slow requests into the firing alert and resolves with hysteresis above 80% of the baseline', () => {
    const { send } = rig();
    send([50, 50, 50, 50, 50]);
    // 75 tok/s is back above the firing line (60) but not above the resolve line (80): it keeps firing.
    const band = send([75, 75, 75, 75, 75, 75]);
    expect(
      band
        .slice(0, 2)
        .flat()
        .map((c) => [c.change, c.alert.count]),
    ).toEqual([
      ['updated', 2],
      ['updated', 3],
    ]);
    expect(band.slice(2).flat()).toEqual([]);
    const back = send([81, 81, 81]);
    expect(back.slice(0, 2).flat()).toEqual([]);
    expect(back[2]).toEqual([
      expect.objectContaining({ change: 'resolved', notify: 'resolve', alert: expect.objectContaining({ state: 'resolved', count: 3 }) }),
    ]);
  });

  it('gives each backend its own window and baseline', () => {
    const { send } = rig();
    const mixed: AlertChange[] = [];
    for (let i = 0; i < 5; i++) mixed.push(...send([45], 'metal').flat(), ...send([50], 'mlx').flat());
    // metal at 45 is above its 40 tok/s median; mlx at 50 is half of its 100.
    expect(mixed.map((c) => c.key)).toEqual(['throughput_regression|model:qwen3:8b@mlx']);
    // Its window holds the five 45s: the median turns at the third 20.
    const metal = send([20, 20, 20], 'metal');
    expect(metal.slice(0, 2).flat()).toEqual([]);
    expect(metal[2]).toEqual([expect.objectContaining({ key: 'throughput_regression|model:qwen3:8b@metal', change: 'fired' })]);
  });

  it('resolves after eventResolveMs without requests, and then needs 5 fresh requests again', () => {
    const { engine, send, advance } = rig();
    send([50, 50, 50, 50, 50]);
    advance(30 * MIN);
    expect(engine.tick()).toEqual([expect.objectContaining({ key: 'throughput_regression|model:qwen3:8b@mlx', change: 'resolved' })]);
    expect(send([50, 50, 50, 50]).flat()).toEqual([]);
    expect(send([50])[0]).toEqual([expect.objectContaining({ change: 'reopened', notify: null })]);
  });

  it('ignores requests without a decode speed, failed ones, non-inference ones and unattributed ones', () => {
    const { engine, clock, advance } = rig();
    const variants = [
      { decodeTps: null },
      { status: 500, decodeTps: 10 },
      { kind: 'other' as const, decodeTps: 10 },
      { backend: null, decodeTps: 10 },
      { model: null, decodeTps: 10 },
      { decodeTps: 0 },
    ];
    for (const v of variants) {
      for (let i = 0; i < 6; i++) {
        advance(SEC);
        expect(engine.onRequest(request(clock, v), lookup)).toEqual([]);
      }
    }
  });

  it('is never raised when throughput_regression is muted', () => {
    const r = clocked({ mutedKinds: ['throughput_regression'] });
    for (let i = 0; i < 6; i++) expect(r.engine.onRequest(request(r.clock, { decodeTps: 10 }), lookup)).toEqual([]);
  });
});
