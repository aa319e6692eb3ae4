// The demo's story, one server run ("session") after another, at a human pace (about 2–3 minutes
// each): the classic session (MLX and llama.cpp models, a conversation that nears and then
// overflows its window, an MLX fallback, a Metal OOM crash); an MLX model too big for Metal's
// working set beside a partly offloaded GGUF model; an app update that lost the MLX library (MLX
// loads fail; a long generation shifts its context); an MLX runner and a GGUF model both on the
// CPU. Then it starts over. Pure and seeded: timing-free plans, stamped by a Renderer.
import { createCtx } from './episodes/context.js';
import { VERSION } from './episodes/server.js';
import { parseOffset } from './goFormat.js';
import { mulberry32, type Rng } from './rng.js';
import { bigModel } from './sessions/bigModel.js';
import { brokenUpdate } from './sessions/brokenUpdate.js';
import { classic } from './sessions/classic.js';
import { cpuSurprises } from './sessions/cpuSurprises.js';
import type { Session } from './sessions/kit.js';
import { steadyDay } from './sessions/steadyDay.js';
import type { DemoState } from './state.js';
import { Renderer, type PlannedStep } from './timeline.js';

/** Within its first four sessions (about ten minutes) the demo shows every incident kind once. */
const SESSIONS: readonly Session[] = [classic, bigModel, brokenUpdate, cpuSurprises];
/**
 * Ordinary use with the demo's stories among it (one in five server runs): the realistic log
 * `npm run bench` replays. The demo alone is a stress mix, a crash and a restart every two minutes.
 */
export const USAGE: readonly Session[] = [
  steadyDay,
  steadyDay,
  classic,
  steadyDay,
  steadyDay,
  bigModel,
  steadyDay,
  steadyDay,
  brokenUpdate,
  steadyDay,
  steadyDay,
  cpuSurprises,
];

export interface ScenarioOptions {
  /** Time of the first step's emission baseline. */
  start: Date;
  /** `+01:00`, `-07:00` or `Z`; the local zone (DST included) when absent. */
  offset?: string;
  seed?: number;
  /** Overrides `seed`. */
  rng?: Rng;
  /** Updated as steps are rendered (what the fake API reports as loaded). */
  state?: DemoState;
  /** `demo` (default): the demo's stories back to back; `usage`: days of ordinary use among them. */
  mix?: 'demo' | 'usage';
}

export interface ScenarioStep {
  /** Wait before writing these lines. */
  delayMs: number;
  lines: string[];
  /** A server (re)start: Ollama's app rotates `server.log` here. */
  serverStart: boolean;
}

/** Steps with virtual time: step k is stamped at `start + Σ delayMs`. Endless. */
export function* scenario(opts: ScenarioOptions): Generator<ScenarioStep, void, undefined> {
  const rng = opts.rng ?? mulberry32(opts.seed ?? 1);
  const renderer = new Renderer({ offsetMinutes: parseOffset(opts.offset) }, opts.state, opts.start);
  let t = opts.start.getTime();
  for (const plan of planScenario(rng, opts.mix === 'usage' ? USAGE : SESSIONS)) {
    t += plan.delayMs;
    yield { delayMs: plan.delayMs, lines: renderer.render(plan, new Date(t)), serverStart: plan.serverStart };
  }
}

/**
 * The same steps unstamped, for a writer that stamps them with the wall clock when it writes.
 * `intro`, when given, is told once before the sessions start cycling.
 */
export function* planScenario(rng: Rng, sessions: readonly Session[] = SESSIONS, intro?: Session): Generator<PlannedStep, void, undefined> {
  const ctx = createCtx(rng);
  let updates = 0;
  const order = (i: number): Session =>
    intro === undefined ? sessions[i % sessions.length]! : i === 0 ? intro : sessions[(i - 1) % sessions.length]!;
  for (let session = 0; ; session++) {
    const plan = order(session);
    if (plan.update) updates++;
    const version = VERSION.replace(/\d+$/, (patch) => String(Number(patch) + updates));
    yield* plan.run(ctx, { first: session === 0, version });
  }
}
