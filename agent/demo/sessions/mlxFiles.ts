// An MLX conversation that fills its KV cache: a coding assistant starts the MLX model with a 32K
// window (`num_ctx`) and pastes source files into it, turn after turn, until the prompt holds 86–89 %
// of the window — past the agent's KV-fill alert ratio (0.85). Each turn's `peak memory` grows with
// the conversation. Short enough to finish within the demo's first minute.
import type { Conversation, Ctx } from '../episodes/context.js';
import { mlxChat } from '../episodes/mlx.js';
import type { DemoModel } from '../models.js';
import { maybeNoise, type Plan } from './kit.js';

/** The assistant's `num_ctx` for the MLX model. */
export const MLX_FILES_CTX = 32_768;

export function* mlxFiles(ctx: Ctx, model: DemoModel, chat: Conversation): Plan {
  const { rng, tl } = ctx;
  const target = Math.round(MLX_FILES_CTX * rng.float(0.86, 0.89));
  const held = (): number => chat.promptTokens + chat.genTokens;
  // The first turn pastes a large module; each later one another file, the last exactly to the target.
  let user = rng.int(11_000, 13_000);
  for (let turn = 0; turn < 6; turn++) {
    const gen = rng.int(120, 280);
    const room = target - held() - gen;
    if (turn > 0 && room < 200) break;
    mlxChat(ctx, {
      model,
      conversation: chat,
      userTokens: turn === 0 ? user : Math.min(user, room),
      genTokens: gen,
      load: { ctx: MLX_FILES_CTX },
    });
    yield* tl.flush();
    yield* maybeNoise(ctx, 0.2);
    user = rng.int(7_000, 9_000);
  }
}
