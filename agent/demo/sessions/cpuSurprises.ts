// After a reinstall MLX loads again, but its runner comes up on the CPU (`device=cpu`: MLX found no
// usable Metal device) and the same chat crawls; /api/ps cannot tell, only the log can. Meanwhile a
// batch script that sets `num_gpu: 0` runs llama3.1:8b entirely on the CPU (`-ngl 0`).
import type { Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxChat } from '../episodes/mlx.js';
import { noise, serverStart } from '../episodes/server.js';
import { LLAMA_8B, QWEN_MLX } from '../models.js';
import { maybeNoise, newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

export const cpuSurprises: Session = { run };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  serverStart(ctx, restartGap(ctx, info), { version: info.version });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.8);

  // Short turns: at CPU speed even these take a while.
  const chat = newConversation();
  mlxChat(ctx, {
    model: QWEN_MLX,
    conversation: chat,
    userTokens: rng.int(250, 550),
    genTokens: rng.int(80, 150),
    load: { device: 'cpu' },
  });
  yield* tl.flush();
  yield* maybeNoise(ctx, 0.4);

  for (let i = 0; i < 2; i++) {
    llamaRequest(ctx, {
      model: LLAMA_8B,
      numCtx: NUM_CTX,
      path: '/api/generate',
      conversation: newConversation(),
      userTokens: rng.int(300, 700),
      genTokens: rng.int(90, 160),
      load: { numGpu: 0 },
    });
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.3);
  }

  mlxChat(ctx, { model: QWEN_MLX, conversation: chat, userTokens: rng.int(60, 200), genTokens: rng.int(60, 120) });
  yield* tl.flush();
  noise(ctx);
  yield* tl.flush();
}
