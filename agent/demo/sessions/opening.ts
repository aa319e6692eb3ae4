// The live demo's first minute: every story once, back to back, so a newcomer sees them without
// waiting (the simulator tells this session faster than the rest). An MLX chat; llama3.1:8b served by
// llama.cpp/Metal although the server expects MLX (the fallback); llama3.3:70b beside them runs Metal
// out of memory (the crash); a long document in a 128K window that climbs through 90K tokens and is
// truncated; an 80B MLX model too big for Metal's working set (KV/memory pressure). The later
// sessions tell the same stories again at a human pace.
import type { Ctx } from '../episodes/context.js';
import { llamaRequest } from '../episodes/llamaServerRequest.js';
import { mlxChat } from '../episodes/mlx.js';
import { serverStart } from '../episodes/server.js';
import { LLAMA_70B, LLAMA_8B, QWEN_MLX, QWEN_NEXT_MLX } from '../models.js';
import { longDocument } from './classic.js';
import { newConversation, NUM_CTX, restartGap, type Plan, type Session, type SessionInfo } from './kit.js';

export const opening: Session = { run };

function* run(ctx: Ctx, info: SessionInfo): Plan {
  const { rng, tl } = ctx;
  serverStart(ctx, restartGap(ctx, info), { version: info.version });
  yield* tl.flush();

  const chat = newConversation();
  mlxChat(ctx, { model: QWEN_MLX, conversation: chat, userTokens: rng.int(900, 1800), genTokens: rng.int(120, 240) });
  yield* tl.flush();
  llamaRequest(ctx, {
    model: LLAMA_8B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: newConversation(),
    userTokens: rng.int(300, 900),
    genTokens: rng.int(80, 180),
  });
  yield* tl.flush();
  mlxChat(ctx, { model: QWEN_MLX, conversation: chat, userTokens: rng.int(100, 400), genTokens: rng.int(100, 220) });
  yield* tl.flush();

  const seventy = newConversation();
  llamaRequest(ctx, {
    model: LLAMA_70B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: seventy,
    userTokens: rng.int(250, 600),
    genTokens: rng.int(35, 70),
  });
  yield* tl.flush();
  llamaRequest(ctx, {
    model: LLAMA_70B,
    numCtx: NUM_CTX,
    path: '/api/chat',
    conversation: seventy,
    userTokens: rng.int(2600, 3800),
    genTokens: 60,
    crash: true,
  });
  yield* tl.flush();
  // With Metal's memory clear again, the long document (as in the classic session, after its crash).
  yield* longDocument(ctx);

  const big = newConversation();
  mlxChat(ctx, { model: QWEN_NEXT_MLX, conversation: big, userTokens: rng.int(700, 1400), genTokens: rng.int(150, 260) });
  yield* tl.flush();

  mlxChat(ctx, {
    model: QWEN_MLX,
    conversation: newConversation(),
    userTokens: rng.int(200, 900),
    genTokens: rng.int(100, 240),
    path: '/v1/chat/completions',
  });
  yield* tl.flush();
}
