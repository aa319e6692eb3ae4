// The demo's first story: start-up, an MLX model with the brief's `using mlx backend` line, a
// llama.cpp/Metal model, a conversation that nears its window and is then truncated, a model the
// user expected on MLX served by llama-server, a Metal OOM crash, a long-document conversation in a
// 128K window that climbs through 90K tokens and is truncated, and the reloads after the crash.
import type { Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxChat } from '../episodes/mlx.js';
import { noise, serverStart } from '../episodes/server.js';
import { LLAMA_70B, LLAMA_8B, QWEN_MLX } from '../models.js';
import { mlxFiles } from './mlxFiles.js';
import { maybeNoise as maybeNoiseIn, newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

/** Above the agent's default `contextAlertRatio` (0.85), with a margin. */
const NEAR_LIMIT = 0.86;
/** The long-document conversation's `num_ctx`: llama3.1's whole 128K window. */
export const LONG_CTX = 131_072;
/** The agent's default `contextAlertTokens`: a 128K-window conversation warns from here. */
const ALERT_TOKENS = 90_000;

export const classic: Session = { run };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  const maybeNoise = (p: number): Plan => maybeNoiseIn(ctx, p);

  serverStart(ctx, restartGap(ctx, info), { version: info.version });
  yield* tl.flush();
  yield* maybeNoise(0.8);

  // MLX: the first turn starts the runner (32K window); pasted files fill its KV cache past the alert ratio.
  const chat = newConversation();
  yield* mlxFiles(ctx, QWEN_MLX, chat);

  // llama.cpp on Metal: a GGUF model through the three API shapes clients use.
  llamaRequest(ctx, {
    model: LLAMA_8B,
    numCtx: NUM_CTX,
    path: '/api/generate',
    conversation: newConversation(),
    userTokens: rng.int(200, 900),
    genTokens: rng.int(80, 200),
  });
  yield* tl.flush();
  llamaRequest(ctx, {
    model: LLAMA_8B,
    numCtx: NUM_CTX,
    path: '/v1/chat/completions',
    conversation: newConversation(),
    userTokens: rng.int(300, 1200),
    genTokens: rng.int(60, 180),
  });
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
  // Growth that stopped short of 85% of the window gets one more turn, so the near-limit warning
  // always comes before the truncation.
  const used = long.promptTokens + long.genTokens;
  if (used < NEAR_LIMIT * NUM_CTX) {
    const gen = rng.int(120, 230);
    const target = Math.round(NUM_CTX * rng.float(0.87, 0.93));
    llamaRequest(ctx, {
      model: LLAMA_8B,
      numCtx: NUM_CTX,
      path: '/api/chat',
      conversation: long,
      userTokens: Math.max(60, target - used - gen),
      genTokens: gen,
    });
    yield* tl.flush();
  }
  const overflow = NUM_CTX - (long.promptTokens + long.genTokens) + rng.int(300, 1400);
  llamaRequest(ctx, {
    model: LLAMA_8B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: long,
    userTokens: overflow,
    genTokens: rng.int(90, 180),
  });
  yield* tl.flush();
  yield* maybeNoise(0.6);

  // The user expects MLX for llama3.3:70b (OLLAMA_USE_MLX=1) but pulled a GGUF: llama-server serves it.
  const big = newConversation();
  for (let i = 0; i < 2; i++) {
    llamaRequest(ctx, {
      model: LLAMA_70B,
      numCtx: NUM_CTX,
      path: '/api/chat',
      conversation: big,
      userTokens: rng.int(250, 600),
      genTokens: rng.int(35, 70),
    });
    yield* tl.flush();
  }
  yield* maybeNoise(0.5);

  // Three models now exceed Metal's working set: a long prompt aborts the runner.
  llamaRequest(ctx, {
    model: LLAMA_70B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: big,
    userTokens: rng.int(2600, 3800),
    genTokens: 60,
    crash: true,
  });
  yield* tl.flush();
  yield* maybeNoise(0.5);
  // With memory clear the user turns to a long document on llama3.1:8b with its whole 128K window
  // (num_ctx 131072): pasted chapters push the conversation through 90K tokens, then past the window.
  yield* longDocument(ctx);
  yield* maybeNoise(0.4);

  // The client retries with a shorter prompt: a fresh load.
  llamaRequest(ctx, {
    model: LLAMA_70B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: newConversation(),
    userTokens: rng.int(300, 700),
    genTokens: rng.int(35, 70),
  });
  yield* tl.flush();

  // Back to MLX: the crash expired its runner too, so it reloads.
  const again = newConversation();
  for (let i = 0; i < 2; i++) {
    mlxChat(ctx, {
      model: QWEN_MLX,
      conversation: again,
      userTokens: rng.int(200, 1400),
      genTokens: rng.int(100, 300),
      path: i === 0 ? '/v1/chat/completions' : '/api/chat',
    });
    yield* tl.flush();
    yield* maybeNoise(0.4);
  }
  noise(ctx);
  yield* tl.flush();
}

/** Each request carries one more pasted chunk; llama-server's slot cache keeps the earlier turns. */
export function* longDocument(ctx: Ctx): Plan {
  const { rng, tl } = ctx;
  const doc = newConversation();
  const used = (): number => doc.promptTokens + doc.genTokens;
  const turn = (userTokens: number, genTokens: number): void =>
    llamaRequest(ctx, { model: LLAMA_8B, numCtx: LONG_CTX, path: '/api/chat', conversation: doc, userTokens, genTokens });
  turn(rng.int(30_000, 36_000), rng.int(400, 700));
  yield* tl.flush();
  // Climb to between 92K and 118K (past the alert, short of the window), one chunk per turn.
  while (used() < ALERT_TOKENS + 2000) {
    const gen = rng.int(300, 600);
    const room = 118_000 - used() - gen;
    turn(Math.min(rng.int(14_000, 20_000), room), gen);
    yield* tl.flush();
    yield* maybeNoiseIn(ctx, 0.2);
  }
  // One more chapter than the window holds: Ollama keeps the first 4 tokens and the last half.
  turn(LONG_CTX - used() + rng.int(2000, 9000), rng.int(200, 400));
  yield* tl.flush();
}
