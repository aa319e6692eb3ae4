// The simulated Mac's memory-pressure episode: what happens when an MLX model bigger than Metal's
// working set is read in. Pressure slides from normal to warn, stays critical long enough for the
// agent's sustain rule, eases back through warn to normal; swap grows fast while it is at its worst.
// Pure: an episode is a set of times, and the level at any instant is a function of it.
import type { PressureLevel } from '../../shared/memory.js';

const S = 1000;
const MiB = 1024 ** 2;

/**
 * Phase lengths: nominal at speed 1, divided by the demo's speed, but never shorter than the floor.
 * The floors are wall-clock time, because the agent judges pressure on the wall clock (30 s sustained
 * before an alert, a 60 s window for the swap rate): a sped-up demo starts its episode with the
 * sped-up log and still shows one the agent alerts on.
 */
export const PRESSURE_PHASES = {
  /** Normal still: the weights are being read in and the compressor starts. */
  lead: { nominalMs: 10 * S, floorMs: 0 },
  /** Warn before critical (a warning alert fires at 30 s elevated, in the critical phase). */
  warn: { nominalMs: 36 * S, floorMs: 25 * S },
  /** Critical: longer than the 30-s sustain rule, with a margin for a 5-s poll. */
  critical: { nominalMs: 48 * S, floorMs: 40 * S },
  /** Warn again while macOS pages the model out and the compressor catches up. */
  easing: { nominalMs: 30 * S, floorMs: 25 * S },
  /** Normal, the level climbing back. */
  recovery: { nominalMs: 20 * S, floorMs: 0 },
} as const;

/** Swap growth from the start of warn to the end of critical (the agent fires at 256 MiB/min over a minute). */
export const SWAP_GROWTH_BYTES_PER_MIN = 640 * MiB;

export interface PressureEpisode {
  /** Epoch ms: the big load starts (normal still). */
  startMs: number;
  warnMs: number;
  criticalMs: number;
  /** Critical ends, warn again. */
  easingMs: number;
  /** Back to normal; swap stops growing at `easingMs`. */
  normalMs: number;
  /** The level has recovered: the episode is over. */
  endMs: number;
  swapBytesPerMin: number;
}

export function planPressure(startMs: number, speed = 1): PressureEpisode {
  const len = (p: { nominalMs: number; floorMs: number }): number => Math.max(p.nominalMs / speed, p.floorMs);
  const warnMs = startMs + len(PRESSURE_PHASES.lead);
  const criticalMs = warnMs + len(PRESSURE_PHASES.warn);
  const easingMs = criticalMs + len(PRESSURE_PHASES.critical);
  const normalMs = easingMs + len(PRESSURE_PHASES.easing);
  return {
    startMs,
    warnMs,
    criticalMs,
    easingMs,
    normalMs,
    endMs: normalMs + len(PRESSURE_PHASES.recovery),
    swapBytesPerMin: SWAP_GROWTH_BYTES_PER_MIN,
  };
}

export interface PressureReading {
  level: PressureLevel;
  /** `kern.memorystatus_level`-like: free %, lower is worse. */
  value: number;
}

const lerp = (a: number, b: number, from: number, to: number, t: number): number =>
  a + (b - a) * Math.min(1, Math.max(0, (t - from) / Math.max(1, to - from)));

/**
 * The episode's reading at `t`, or null outside it (the probe then derives a normal level from what is
 * loaded). `calm` is that normal level, which the recovery climbs back to.
 */
export function pressureAt(ep: PressureEpisode | null, t: number, calm: number): PressureReading | null {
  if (!ep || t < ep.startMs || t >= ep.endMs) return null;
  if (t < ep.warnMs) return { level: 'normal', value: lerp(60, 46, ep.startMs, ep.warnMs, t) };
  if (t < ep.criticalMs) return { level: 'warn', value: lerp(44, 30, ep.warnMs, ep.criticalMs, t) };
  if (t < ep.easingMs) return { level: 'critical', value: 23 + 2 * Math.sin((t - ep.criticalMs) / 7000) };
  if (t < ep.normalMs) return { level: 'warn', value: lerp(29, 38, ep.easingMs, ep.normalMs, t) };
  return { level: 'normal', value: lerp(40, Math.max(40, calm), ep.normalMs, ep.endMs, t) };
}

/** Swap the episode has added by `t` (it grows from warn to the end of critical, then holds). */
export function episodeSwapBytes(ep: PressureEpisode | null, t: number): number {
  if (!ep || t < ep.warnMs) return 0;
  return ((Math.min(t, ep.easingMs) - ep.warnMs) / 60_000) * ep.swapBytesPerMin;
}
