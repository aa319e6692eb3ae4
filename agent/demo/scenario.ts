// The demo's story, one server run ("session") after another: start-up, an MLX model with the
// brief's `using mlx backend` line, a llama.cpp/Metal model, a conversation that fills its window
// and gets truncated, a model the user expected on MLX served by llama-server, a Metal OOM crash
// and the reload after it. Pure and seeded: timing-free plans, stamped by a Renderer.
import { mlxChat } from './episodes/mlx.js';
import { llamaRequest } from './episodes/llamaServerRequest.js';
import { createCtx, type Conversation, type Ctx } from './episodes/context.js';
import { noise, serverStart } from './episodes/server.js';
import { parseOffset } from './goFormat.js';
import { LLAMA_70B, LLAMA_8B, QWEN_MLX } from './models.js';
import { mulberry32, type Rng } from './rng.js';
import type { DemoState } from './state.js';
import { Renderer, type PlannedStep } from './timeline.js';

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
  for (const plan of planScenario(rng)) {
    t += plan.delayMs;
    yield { delayMs: plan.delayMs, lines: renderer.render(plan, new Date(t)), serverStart: plan.serverStart };
  }
}

/** The same steps unstamped, for a writer that stamps them with the wall clock when it writes. */
export function* planScenario(rng: Rng): Generator<PlannedStep, void, undefined> {
  const ctx = createCtx(rng);
  for (let session = 0; ; session++) yield* planSession(ctx, session);
}

const newConversation = (): Conversation => ({ promptTokens: 0, genTokens: 0 });

/** Context per sequence the demo's clients ask llama-server models for (`num_ctx`). */
const NUM_CTX = 8192;

function* planSession(ctx: Ctx, session: number): Generator<PlannedStep, void, undefined> {
  const { rng, tl } = ctx;
  const maybeNoise = function* (p: number): Generator<PlannedStep, void, undefined> {
    if (rng.chance(p)) {
      noise(ctx);
      yield* tl.flush();
    }
  };

  serverStart(ctx, session === 0 ? 0 : rng.int(4000, 9000));
  yield* tl.flush();
  yield* maybeNoise(0.8);

  // MLX: the first turn starts the runner.
  const chat = newConversation();
  const mlxTurns = rng.int(3, 4);
  for (let i = 0; i < mlxTurns; i++) {
    mlxChat(ctx, { model: QWEN_MLX, conversation: chat, userTokens: i === 0 ? rng.int(900, 2600) : rng.int(80, 600), genTokens: rng.int(120, 320) });
    yield* tl.flush();
    yield* maybeNoise(0.35);
  }

  // llama.cpp on Metal: a GGUF model through the three API shapes clients use.
  llamaRequest(ctx, { model: LLAMA_8B, numCtx: NUM_CTX, path: '/api/generate', conversation: newConversation(), userTokens: rng.int(200, 900), genTokens: rng.int(80, 200) });
  yield* tl.flush();
  llamaRequest(ctx, { model: LLAMA_8B, numCtx: NUM_CTX, path: '/v1/chat/completions', conversation: newConversation(), userTokens: rng.int(300, 1200), genTokens: rng.int(60, 180) });
  yield* tl.flush();
  yield* maybeNoise(0.5);
  mlxChat(ctx, { model: QWEN_MLX, conversation: chat, userTokens: rng.int(80, 500), genTokens: rng.int(100, 260) });
  yield* tl.flush();

  // A conversation that grows towards the 8192-token window, then overflows it.
  const long = newConversation();
  let user = rng.int(1100, 1700);
  for (let turn = 0; turn < 12; turn++) {
    const gen = rng.int(120, 230);
    const next = long.promptTokens > 0 ? long.promptTokens + long.genTokens + user : user;
    if (next + gen > NUM_CTX - 64) break;
    llamaRequest(ctx, { model: LLAMA_8B, numCtx: NUM_CTX, path: '/api/chat', conversation: long, userTokens: user, genTokens: gen });
    yield* tl.flush();
    yield* maybeNoise(0.25);
    user = rng.int(550, 950);
  }
  const overflow = NUM_CTX - (long.promptTokens + long.genTokens) + rng.int(300, 1400);
  llamaRequest(ctx, { model: LLAMA_8B, numCtx: NUM_CTX, path: '/api/chat', conversation: long, userTokens: overflow, genTokens: rng.int(90, 180) });
  yield* tl.flush();
  yield* maybeNoise(0.6);

  // The user expects MLX for llama3.3:70b (OLLAMA_USE_MLX=1) but pulled a GGUF: llama-server serves it.
  const big = newConversation();
  for (let i = 0; i < 2; i++) {
    llamaRequest(ctx, { model: LLAMA_70B, numCtx: NUM_CTX, path: '/api/chat', conversation: big, userTokens: rng.int(250, 600), genTokens: rng.int(35, 70) });
    yield* tl.flush();
  }
  yield* maybeNoise(0.5);

  // Three models now exceed Metal's working set: a long prompt aborts the runner.
  llamaRequest(ctx, { model: LLAMA_70B, numCtx: NUM_CTX, path: '/api/chat', conversation: big, userTokens: rng.int(2600, 3800), genTokens: 60, crash: true });
  yield* tl.flush();
  yield* maybeNoise(0.5);
  // The client retries with a shorter prompt: a fresh load.
  llamaRequest(ctx, { model: LLAMA_70B, numCtx: NUM_CTX, path: '/api/chat', conversation: newConversation(), userTokens: rng.int(300, 700), genTokens: rng.int(35, 70) });
  yield* tl.flush();

  // Back to MLX: the crash expired its runner too, so it reloads.
  const again = newConversation();
  for (let i = 0; i < 2; i++) {
    mlxChat(ctx, { model: QWEN_MLX, conversation: again, userTokens: rng.int(200, 1400), genTokens: rng.int(100, 300), path: i === 0 ? '/v1/chat/completions' : '/api/chat' });
    yield* tl.flush();
    yield* maybeNoise(0.4);
  }
  noise(ctx);
  yield* tl.flush();
}
