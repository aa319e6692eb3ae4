// What `npm run demo` shows before any live line: a week of simulated past (every history chart has
// data), and a first minute that tells every story once (fallback, context near 90K, truncation,
// KV/memory pressure, crash/OOM), then the stories again at a human pace.
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';
import { INTRO_SPEED_UP } from '../../agent/demo/index.js';
import { pastFileOrder, planPast } from '../../agent/demo/past.js';
import { mulberry32 } from '../../agent/demo/rng.js';
import { planScenario } from '../../agent/demo/scenario.js';
import { opening } from '../../agent/demo/sessions/opening.js';
import { Renderer } from '../../agent/demo/timeline.js';

const NOW = new Date('2026-11-26T15:30:00.000Z');
const DAY = 86_400_000;

describe('the simulated past', () => {
  const past = planPast({ now: NOW, days: 7, seed: 1, offset: '+01:00' });
  const files = pastFileOrder(past.files);
  const lines = files.flatMap((f) => past.files.get(f)!);
  const result = analyzeLines(lines).result;

  it('fills the last 7 days up to a minute ago, in the rotated files Ollama keeps, oldest first', () => {
    expect(files[0]).toBe('server-5.log');
    expect(files.at(-1)).toBe('server.log');
    expect(past.from.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 7 * DAY);
    expect(past.from.getTime()).toBeLessThan(NOW.getTime() - 5 * DAY);
    expect(past.to.getTime()).toBe(NOW.getTime() - 60_000);
    const times = result.requests.map((r) => Date.parse(r.at));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime() - 60_000);
    // Every day of the week has requests.
    const days = new Set(times.map((t) => Math.floor((NOW.getTime() - t) / DAY)));
    expect([...days].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('holds ordinary use on MLX and Metal with the demo stories among it, and memory samples for all of it', () => {
    const backends = new Set(result.requests.map((r) => r.backend));
    expect(backends).toContain('mlx');
    expect(backends).toContain('metal');
    expect(result.requests.filter((r) => r.kind === 'inference').length).toBeGreaterThan(1000);
    const kinds = new Set(result.incidents.map((i) => i.kind));
    for (const k of ['mlx_fallback', 'context_near_limit', 'context_truncated', 'runner_crash']) expect(kinds).toContain(k);
    const sampleTimes = past.samples.map((s) => Date.parse(s.at));
    expect(sampleTimes[0]!).toBeLessThanOrEqual(past.from.getTime() + 2 * 60_000);
    expect(sampleTimes.at(-1)!).toBeGreaterThan(NOW.getTime() - 5 * 60_000);
    expect(new Set(past.samples.map((s) => s.pressure))).toContain('critical');
  });
});

describe('the first minute', () => {
  for (const seed of [1, 2, 7, 42]) {
    it(`tells every story within 60 s at the intro's pace (seed ${seed})`, () => {
      const renderer = new Renderer({ offsetMinutes: 0 }, undefined, new Date(0));
      const lines: string[] = [];
      let planMs = 0;
      let starts = 0;
      for (const step of planScenario(mulberry32(seed), undefined, opening)) {
        if (step.serverStart && ++starts > 1) break;
        planMs += step.delayMs;
        lines.push(...renderer.render(step, new Date(planMs)));
      }
      expect(planMs / INTRO_SPEED_UP).toBeLessThan(50_000);
      const { incidents, requests } = analyzeLines(lines).result;
      const kinds = new Set(incidents.map((i) => i.kind));
      for (const k of ['mlx_fallback', 'oom', 'runner_crash', 'context_near_limit', 'context_truncated', 'mlx_working_set'])
        expect(kinds).toContain(k);
      expect(Math.max(...requests.map((r) => r.ctxUsed ?? 0))).toBeGreaterThan(90_000);
      expect(new Set(requests.map((r) => r.backend))).toEqual(new Set(['mlx', 'metal', null]));
    });
  }
});
