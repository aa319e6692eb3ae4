// The demo's simulated past: the last `days` days of ordinary use (the bench's usage mix: days of
// chat on a llama.cpp/Metal and an MLX model with the demo's stories among them), written as the
// rotated logs Ollama's app would have left (server-5.log … server-1.log, the last day in
// server.log), so that the agent's first start backfills it and every history chart has data at
// first paint. Work sessions are a few hours apart; the newest ends a minute before `now`. Memory
// samples of the simulated Mac over the same time are returned for the demo to store (no probe
// was running then). Pure planning and stamping; the caller writes the files.
import type { MemorySample } from '../../shared/memory.js';
import { demoSample, type SwapMemory } from './demoMemory.js';
import { parseOffset } from './goFormat.js';
import { mulberry32 } from './rng.js';
import { planScenario, USAGE } from './scenario.js';
import { createDemoState } from './state.js';
import { Renderer, type PlannedStep } from './timeline.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Idle hours between two work sessions. */
const GAP_HOURS: [number, number] = [3, 9];
/**
 * One memory sample every this long (the live probe takes one every 5 s; history shows minutes).
 * Shorter than the shortest critical phase of a pressure episode (40 s), so every episode of the
 * past shows in its memory chart whatever the sessions' timing.
 */
const SAMPLE_MS = 30_000;

export interface PastOptions {
  now: Date;
  days?: number;
  seed?: number;
  /** `+01:00`, `Z`; the local zone when absent. */
  offset?: string;
}

export interface Past {
  /** File name (`server-5.log` … `server.log`) → its lines, oldest file first. */
  files: Map<string, string[]>;
  samples: MemorySample[];
  /** When the first session starts and the last ends. */
  from: Date;
  to: Date;
}

export function planPast(opts: PastOptions): Past {
  const days = opts.days ?? 7;
  const now = opts.now.getTime();
  const rng = mulberry32((opts.seed ?? 1) ^ 0x2545f491);
  const gapRng = mulberry32((opts.seed ?? 1) ^ 0x68e31da4);

  // Whole sessions (each begins with a server start), until they and their gaps fill the days.
  const sessions: { steps: PlannedStep[]; ms: number }[] = [];
  let filled = 0;
  for (const step of planScenario(rng, USAGE)) {
    if (step.serverStart) {
      if (filled >= days * DAY) break;
      sessions.push({ steps: [], ms: 0 });
      filled += gapRng.int(GAP_HOURS[0] * HOUR, GAP_HOURS[1] * HOUR);
    }
    const s = sessions[sessions.length - 1]!;
    s.steps.push(step);
    s.ms += step.delayMs;
    filled += step.delayMs;
  }
  // Placed backwards from a minute ago; a session that would begin before the window is left out.
  const starts: number[] = [];
  let end = now - 60_000;
  for (let i = sessions.length - 1; i >= 0; i--) {
    const start = end - sessions[i]!.ms;
    if (start < now - days * DAY) break;
    starts.unshift(start);
    end = start - gapRng.int(GAP_HOURS[0] * HOUR, GAP_HOURS[1] * HOUR);
  }
  const kept = sessions.slice(sessions.length - starts.length);

  const state = createDemoState(1);
  const renderer = new Renderer({ offsetMinutes: parseOffset(opts.offset) }, state, new Date(starts[0] ?? now));
  const files = new Map<string, string[]>();
  const samples: MemorySample[] = [];
  const memory: SwapMemory = { episode: null, freedFromMs: null, prevSwapBytes: null };
  let nextSample = Math.ceil((starts[0] ?? now) / SAMPLE_MS) * SAMPLE_MS;
  const sampleUntil = (t: number): void => {
    for (; nextSample <= t; nextSample += SAMPLE_MS) {
      // Ollama's keep-alive unloads idle runners; the scenario's state only learns of a new start.
      state.loaded = state.loaded.filter((l) => l.expiresAt.getTime() > nextSample);
      samples.push(demoSample(state, new Date(nextSample), memory));
    }
  };
  kept.forEach((session, i) => {
    const name = fileFor(now - starts[i]!);
    const lines = files.get(name) ?? [];
    files.set(name, lines);
    let t = starts[i]!;
    // The session's first delay is its restart pause: the start time already includes it.
    session.steps.forEach((step, k) => {
      if (k > 0) t += step.delayMs;
      sampleUntil(t);
      lines.push(...renderer.render(step, new Date(t)));
    });
  });
  sampleUntil(now - 60_000);
  return { files, samples, from: new Date(starts[0] ?? now), to: new Date(now - 60_000) };
}

/** Ollama's app rotates on every server start; here a day's sessions share one file, the last day's is server.log. */
function fileFor(ageMs: number): string {
  const day = Math.floor(ageMs / DAY);
  return day === 0 ? 'server.log' : `server-${Math.min(5, day)}.log`;
}

/** The files in the order Ollama's app would have written them (server-5.log first). */
export function pastFileOrder(files: ReadonlyMap<string, unknown>): string[] {
  const rank = (name: string): number => (name === 'server.log' ? 0 : Number(/\d+/.exec(name)![0]));
  return [...files.keys()].sort((a, b) => rank(b) - rank(a));
}
