// A day of ordinary use, for `npm run bench`'s realistic log: one server start, then hundreds of
// chat turns on a llama.cpp/Metal model and an MLX model, clients polling in between, and now and
// then a long pause after which the keep-alive has unloaded the runners (a reload on the next turn).
// The demo's own sessions pack a crash, a restart and every incident kind into two minutes; a real
// log has far more ordinary requests per load, and that mix is what replay speed should be read on.
import type { Conversation, Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxChat } from '../episodes/mlx.js';
import { noise, serverStart } from '../episodes/server.js';
import { LLAMA_8B, QWEN_MLX } from '../models.js';
import { unloadAll } from '../state.js';
import { maybeNoise, newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

/** Turns in one day. */
const TURNS = 400;
/** A conversation starts over before it would pass this share of the window. */
const FRESH_AT = 0.6;
/** Chance that a turn follows a pause long enough for the runners to be unloaded. */
const IDLE_UNLOAD = 1 / 80;

export const steadyDay: Session = { run };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  serverStart(ctx, restartGap(ctx, info), { version: info.version });
  yield* tl.flush();
  let onMetal: Conversation = newConversation();
  let onMlx: Conversation = newConversation();
  const full = (c: Conversation, add: number): boolean => c.promptTokens + c.genTokens + add > FRESH_AT * NUM_CTX;
  for (let turn = 0; turn < TURNS; turn++) {
    if (rng.chance(IDLE_UNLOAD)) {
      ctx.runners.clear();
      tl.effect((state) => unloadAll(state));
      onMetal = newConversation();
      onMlx = newConversation();
    }
    const user = rng.int(40, 700);
    const gen = rng.int(60, 400);
    if (rng.chance(0.6)) {
      if (full(onMetal, user + gen)) onMetal = newConversation();
      const path = rng.chance(0.7) ? '/api/chat' : rng.chance(0.5) ? '/v1/chat/completions' : '/api/generate';
      llamaRequest(ctx, { model: LLAMA_8B, numCtx: NUM_CTX, path, conversation: onMetal, userTokens: user, genTokens: gen });
    } else {
      if (full(onMlx, user + gen)) onMlx = newConversation();
      mlxChat(ctx, { model: QWEN_MLX, conversation: onMlx, userTokens: user, genTokens: gen });
    }
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.5);
  }
  noise(ctx);
  yield* tl.flush();
}
