// The app updated itself and the new bundle lacks the MLX library. Every process that links MLX
// warns as it starts; the user's MLX model cannot load (a 500, and again when they retry), so they
// switch to a GGUF coder model, whose long answer runs past its 8K window: llama-server shifts the
// context in the middle of the generation.
import type { Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxLibraryWarning, mlxLoadFails } from '../episodes/mlxLibrary.js';
import { noise, serverStart } from '../episodes/server.js';
import { LLAMA_8B, QWEN_CODER, QWEN_MLX } from '../models.js';
import { maybeNoise, newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

export const brokenUpdate: Session = { run, update: true };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  // Installing the update takes a little longer than a plain restart.
  serverStart(ctx, restartGap(ctx, info, 8000, 15000), { version: info.version, preamble: mlxLibraryWarning });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.8);

  mlxLoadFails(ctx, { model: QWEN_MLX });
  yield* tl.flush();
  mlxLoadFails(ctx, { model: QWEN_MLX, path: '/v1/chat/completions' });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.5);

  // "Write the whole module": a ~7K-token prompt and an answer longer than the room left.
  const prompt = rng.int(6700, 7300);
  llamaRequest(ctx, {
    model: QWEN_CODER,
    numCtx: NUM_CTX,
    path: '/api/generate',
    conversation: newConversation(),
    userTokens: prompt,
    genTokens: NUM_CTX - prompt + rng.int(150, 450),
  });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.5);

  const chat = newConversation();
  for (let i = 0; i < 2; i++) {
    llamaRequest(ctx, {
      model: LLAMA_8B,
      numCtx: NUM_CTX,
      path: '/api/chat',
      conversation: chat,
      userTokens: rng.int(150, 700),
      genTokens: rng.int(80, 220),
    });
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.3);
  }
  noise(ctx);
  yield* tl.flush();
}
