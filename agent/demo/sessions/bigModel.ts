// The user tries an 8-bit 80B MLX model on the 96 GB Mac. Its weights alone exceed Metal's
// recommended working set: the MLX runner warns and runs slower. An editor plugin then asks for
// llama3.1:8b, and with so little Metal memory left llama-server's fit keeps 2 of its 33 layers
// on the CPU: a "GPU" model that is partly not. Reading the model in takes the whole Mac through a
// memory-pressure episode (warn, critical, warn, normal, with swap growing fast; see ../pressure.ts),
// and the user keeps the model loaded through it: they read its long answers before asking again.
import type { Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxChat } from '../episodes/mlx.js';
import { noise, serverStart } from '../episodes/server.js';
import { LLAMA_8B, QWEN_NEXT_MLX } from '../models.js';
import { maybeNoise, newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

export const bigModel: Session = { run };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  serverStart(ctx, restartGap(ctx, info), { version: info.version });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.8);

  const chat = newConversation();
  mlxChat(ctx, { model: QWEN_NEXT_MLX, conversation: chat, userTokens: rng.int(700, 1600), genTokens: rng.int(180, 320) });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.4);
  yield* reading(ctx);
  mlxChat(ctx, { model: QWEN_NEXT_MLX, conversation: chat, userTokens: rng.int(120, 500), genTokens: rng.int(150, 280) });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.4);
  yield* reading(ctx);

  // The plugin's chat: every turn pays for the two layers left on the CPU.
  const plugin = newConversation();
  for (let i = 0; i < 3; i++) {
    llamaRequest(ctx, {
      model: LLAMA_8B,
      numCtx: NUM_CTX,
      path: '/v1/chat/completions',
      conversation: plugin,
      userTokens: i === 0 ? rng.int(500, 1200) : rng.int(150, 500),
      genTokens: rng.int(60, 180),
      load: { fitLayers: 31 },
    });
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.3);
  }

  yield* reading(ctx);
  for (let i = 0; i < 2; i++) {
    mlxChat(ctx, { model: QWEN_NEXT_MLX, conversation: chat, userTokens: rng.int(120, 500), genTokens: rng.int(150, 280) });
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.4);
    yield* reading(ctx);
  }
  noise(ctx);
  yield* tl.flush();
}

/**
 * The user reads an answer before the next turn: a quiet stretch (its time joins the next step's
 * delay). Long enough, with the turns, to keep the big model loaded through its pressure episode.
 */
function* reading(ctx: Ctx): Plan {
  ctx.tl.begin(ctx.rng.int(18_000, 30_000));
  yield* ctx.tl.flush();
}
