// The demo's simulated Mac: its memory follows what the simulated Ollama has loaded, and the big MLX
// model of the second session takes it through a memory-pressure episode the agent alerts on.
import { describe, expect, it } from 'vitest';
import type { MemorySample, PressureLevel } from '../../shared/memory.js';
import { AlertEngine } from '../../agent/alerts/AlertEngine.js';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';
import { DEMO_MACHINE, demoMachineLabel, demoMemoryProbe } from '../../agent/demo/demoMemory.js';
import { planPressure, PRESSURE_PHASES } from '../../agent/demo/pressure.js';
import { scenario } from '../../agent/demo/scenario.js';
import { createDemoState } from '../../agent/demo/state.js';

const START = new Date('2026-11-26T07:00:00.000Z');
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const POLL_MS = 5000;

interface Run {
  samples: MemorySample[];
  /** Virtual time of the first line naming the big MLX model's runner. */
  bigLoadMs: number;
}

/**
 * Plays the scenario in virtual time and polls the demo probe every 5 s, as the agent does, with the
 * state the lines written so far left behind; stops `afterMs` after the pressure episode ends.
 */
async function simulate(seed: number, afterMs = 90_000): Promise<Run> {
  const state = createDemoState();
  const probe = demoMemoryProbe(state, { seed });
  const samples: MemorySample[] = [];
  let t = START.getTime();
  let next = t;
  let bigLoadMs = NaN;
  for (const step of scenario({ start: START, offset: '+01:00', seed, state })) {
    const stepAt = t + step.delayMs;
    // Samples up to this step see the state before its lines.
    for (; next < stepAt; next += POLL_MS) samples.push(await probe.sample(new Date(next)));
    t = stepAt;
    if (Number.isNaN(bigLoadMs) && step.lines.some((l) => /msg="starting mlx runner subprocess" model=qwen3-next/.test(l))) bigLoadMs = t;
    if (state.pressure && t > state.pressure.endMs + afterMs) break;
  }
  return { samples, bigLoadMs };
}

/** Runs of equal consecutive levels with their span (first sample to the next run's first). */
function runs(samples: MemorySample[]): { level: PressureLevel; from: number; ms: number }[] {
  const out: { level: PressureLevel; from: number; ms: number }[] = [];
  for (const s of samples) {
    const at = Date.parse(s.at);
    const last = out[out.length - 1];
    if (last && last.level === s.pressure) continue;
    if (last) last.ms = at - last.from;
    out.push({ level: s.pressure!, from: at, ms: 0 });
  }
  const last = out[out.length - 1]!;
  last.ms = Date.parse(samples[samples.length - 1]!.at) - last.from;
  return out;
}

describe('the demo memory probe', () => {
  it('describes the simulated Mac, honestly labelled, with every probe available', async () => {
    const probe = demoMemoryProbe(createDemoState());
    expect(await probe.machine()).toEqual({
      os: 'darwin',
      osVersion: 'macOS 15.5',
      arch: 'arm64',
      chip: 'Apple M3 Max',
      appleSilicon: true,
      memoryBytes: 96 * GiB,
      gpuBudgetBytes: 72 * GiB,
      gpuBudgetSource: 'estimate',
      gpus: [],
    });
    expect(DEMO_MACHINE.gpuBudgetBytes! / DEMO_MACHINE.memoryBytes!).toBe(0.75);
    expect(demoMachineLabel()).toBe('simulated Apple M3 Max, 96 GiB (memory figures are simulated)');
    expect(probe.statuses().length).toBeGreaterThan(0);
    expect(probe.statuses().every((p) => p.available && p.detail === null)).toBe(true);
  });

  it('follows what the simulated Ollama has loaded', async () => {
    const state = createDemoState();
    const probe = demoMemoryProbe(state);
    const idle = await probe.sample(new Date(START));
    expect(idle).toMatchObject({
      totalBytes: 96 * GiB,
      pressure: 'normal',
      pressureSource: 'macos',
      ollamaProcesses: 1,
      swapoutsDelta: null,
      gpuUsedBytes: null,
    });
    let sawLoaded = false;
    let t = START.getTime();
    for (const step of scenario({ start: START, offset: '+01:00', seed: 3, state })) {
      t += step.delayMs;
      if (state.loaded.length < 2 || state.pressure) continue;
      const s = await probe.sample(new Date(t));
      const loaded = state.loaded.reduce((sum, l) => sum + l.sizeBytes, 0);
      const gpu = state.loaded.reduce((sum, l) => sum + l.vramBytes, 0);
      expect(s.ollamaProcesses).toBe(1 + state.loaded.length);
      expect(s.ollamaFootprintBytes).toBeGreaterThanOrEqual(loaded);
      expect(s.usedBytes! - loaded).toBeGreaterThan(10 * GiB);
      expect(s.usedBytes! + s.availableBytes!).toBe(s.totalBytes);
      // Wired is the kernel's plus Metal's share (capped at the working set).
      expect(s.wiredBytes! - Math.min(gpu, 72 * GiB)).toBeCloseTo(2.4 * GiB, -6);
      sawLoaded = true;
      break;
    }
    expect(sawLoaded).toBe(true);
  });

  it.each([1, 7, 42])('seed %i: the big MLX load goes normal → warn → critical → warn → normal, with fast swap', async (seed) => {
    const { samples, bigLoadMs } = await simulate(seed);
    const r = runs(samples);
    const levels = r.map((x) => x.level);
    const firstWarn = levels.indexOf('warn');
    expect(levels.slice(firstWarn - 1)).toEqual(['normal', 'warn', 'critical', 'warn', 'normal']);
    // Before the big model, and long after it, nothing but normal.
    expect(levels.slice(0, firstWarn).every((l) => l === 'normal')).toBe(true);
    const [, warn, critical, easing] = r.slice(firstWarn - 1);
    // The episode starts with the big load and is elevated shortly after it.
    expect(warn!.from).toBeGreaterThan(bigLoadMs);
    expect(warn!.from - bigLoadMs).toBeLessThan(20_000);
    expect(warn!.ms + easing!.ms).toBeGreaterThanOrEqual(45_000);
    expect(critical!.ms).toBeGreaterThanOrEqual(35_000);

    // kern.memorystatus_level-like: about 60 as the load starts, down to about 25 at the worst.
    const episode = samples.filter((s) => Date.parse(s.at) >= warn!.from - 15_000 && Date.parse(s.at) < easing!.from + easing!.ms);
    expect(Math.max(...episode.map((s) => s.pressureValue!))).toBeGreaterThanOrEqual(55);
    expect(Math.min(...episode.map((s) => s.pressureValue!))).toBeLessThanOrEqual(25);
    // At speed 1 the model that caused it stays loaded until pressure is normal again.
    for (const s of samples.filter((x) => x.pressure !== 'normal')) expect(s.ollamaFootprintBytes).toBeGreaterThan(72 * GiB);
    const levelValues = (level: string): number[] => samples.filter((s) => s.pressure === level).map((s) => s.pressureValue!);
    expect(Math.max(...levelValues('critical'))).toBeLessThanOrEqual(26);
    expect(Math.max(...levelValues('warn'))).toBeLessThan(46);

    // Swap: ≥ 400 MiB/min sustained for a minute, while pressure is elevated.
    const at = (ms: number): MemorySample => samples.find((s) => Date.parse(s.at) >= ms)!;
    const grown = at(warn!.from + 60_000).swapUsedBytes! - at(warn!.from).swapUsedBytes!;
    expect(grown).toBeGreaterThanOrEqual(400 * MiB);
    expect(at(warn!.from + 60_000).swapoutsDelta).toBeGreaterThan(0);
    const before = at(warn!.from - POLL_MS).swapUsedBytes!;
    expect(before).toBeLessThan(512 * MiB);
    // Compressed memory swells with the pressure.
    expect(at(critical!.from + 10_000).compressedBytes!).toBeGreaterThan(at(warn!.from - POLL_MS).compressedBytes! + 3 * GiB);
  });

  it('drives the agent’s own rules: a warning, then a critical memory_pressure alert and a swap alert, all resolved after', async () => {
    const { samples } = await simulate(1, 150_000);
    let now = 0;
    const engine = new AlertEngine({}, () => now);
    const fired: { key: string; severity: string; at: number }[] = [];
    const resolved: string[] = [];
    for (const s of samples) {
      now = Date.parse(s.at);
      for (const c of engine.onMemory(s)) {
        if (c.change === 'resolved') resolved.push(c.key);
        else if (c.alert.kind === 'memory_pressure') fired.push({ key: c.key, severity: c.alert.severity, at: now });
      }
    }
    const machine = fired.filter((f) => f.key === 'memory_pressure|machine');
    expect(machine.map((f) => f.severity)).toEqual(['warning', 'critical']);
    expect(fired.some((f) => f.key === 'memory_pressure|machine:swap')).toBe(true);
    expect(resolved).toEqual(expect.arrayContaining(['memory_pressure|machine', 'memory_pressure|machine:swap']));
  });

  it('is deterministic for a seed', async () => {
    expect((await simulate(5)).samples).toEqual((await simulate(5)).samples);
  });

  it('keeps the episode long enough for the agent when the demo is sped up, starting it with the sped-up log', () => {
    const slow = planPressure(0, 1);
    expect(slow.criticalMs - slow.warnMs).toBe(PRESSURE_PHASES.warn.nominalMs);
    expect(slow.easingMs - slow.criticalMs).toBe(PRESSURE_PHASES.critical.nominalMs);
    const fast = planPressure(0, 10);
    expect(fast.warnMs).toBe(PRESSURE_PHASES.lead.nominalMs / 10);
    expect(fast.easingMs - fast.criticalMs).toBeGreaterThanOrEqual(35_000);
    expect(fast.criticalMs - fast.warnMs + (fast.normalMs - fast.easingMs)).toBeGreaterThanOrEqual(45_000);
    expect(fast.endMs).toBeLessThan(slow.endMs);

    // The state's speed shapes the episode the big load begins.
    const state = createDemoState(10);
    for (const step of scenario({ start: START, offset: '+01:00', seed: 1, state })) {
      void step;
      if (state.pressure) break;
    }
    expect(state.pressure!.easingMs - state.pressure!.criticalMs).toBe(PRESSURE_PHASES.critical.floorMs);
  });
});

describe('the 128K conversation through the analyzer', () => {
  it.each([1, 42, 169])('seed %i: climbs through 90K tokens on llama3.1:8b with a 131072 window, then is truncated', (seed) => {
    const first: string[] = [];
    let starts = 0;
    for (const step of scenario({ start: START, offset: '+01:00', seed })) {
      if (step.serverStart && ++starts > 1) break;
      first.push(...step.lines);
    }
    const { result } = analyzeLines(first);
    expect(result.unparsed).toBe(0);
    const long = result.requests.filter((r) => r.ctxLimit === 131072);
    expect(long.length).toBeGreaterThanOrEqual(4);
    expect(long.every((r) => r.model === 'llama3.1:8b' && r.backend !== null && r.status === 200)).toBe(true);
    // It climbs: each turn uses more of the window until the truncation.
    const cut = long.findIndex((r) => r.truncated === true);
    expect(cut).toBe(long.length - 1);
    const climb = long.slice(0, cut).map((r) => r.ctxUsed!);
    for (let i = 1; i < climb.length; i++) expect(climb[i]).toBeGreaterThan(climb[i - 1]!);
    expect(climb[0]).toBeLessThan(45_000);
    const over = climb.findIndex((used) => used >= 90_000);
    expect(over).toBeGreaterThan(0);
    expect(climb[over]).toBeLessThan(131072);

    const near = result.incidents.find((i) => i.kind === 'context_near_limit' && /of 131072 context tokens used/.test(i.detail));
    expect(near, 'context_near_limit at 90K of 131072').toBeDefined();
    expect(Number(/(\d+) of 131072/.exec(near!.detail)![1])).toBeGreaterThanOrEqual(90_000);
    const truncated = result.incidents.filter((i) => i.kind === 'context_truncated' && Date.parse(i.at!) > Date.parse(near!.at!));
    expect(truncated.length).toBeGreaterThan(0);
    // Ollama keeps num_ctx − (num_ctx − 4) / 2 tokens.
    expect(first.some((l) => /msg="truncating input prompt" limit=65538 prompt=1[3-4]\d{4} keep=4 new=65538$/.test(l))).toBe(true);
  });
});
