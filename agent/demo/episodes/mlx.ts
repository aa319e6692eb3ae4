// A request on the MLX runner (safetensors models), starting it first if needed: the brief's
// `using mlx backend` line, the prefix-cache line, prefill chunks, `peak memory` and the access line.
import { prettyBytes } from '../goFormat.js';
import type { DemoModel } from '../models.js';
import { touch } from '../state.js';
import { access, clientAddress, gap, log, type Conversation, type Ctx } from './context.js';
import { loadMlx, type MlxLoadOptions } from './mlxLoad.js';

const GiB = 1024 ** 3;
/** The MLX runner's prefill chunk. */
const CHUNK = 2048;

export interface MlxChat {
  model: DemoModel;
  conversation: Conversation;
  /** New user turn, tokens. */
  userTokens: number;
  genTokens: number;
  path?: string;
  /** How the runner starts if the model is not loaded yet. */
  load?: MlxLoadOptions;
}

/** One chat turn on MLX (loading the runner first if needed); updates `conversation`. */
export function mlxChat(ctx: Ctx, chat: MlxChat): void {
  const { rng, tl } = ctx;
  tl.begin(gap(ctx));
  const start = tl.elapsedMs;
  const client = clientAddress(rng);
  const runner = ctx.runners.get(chat.model.name) ?? loadMlx(ctx, chat.model, chat.load);
  const conv = chat.conversation;
  const fresh = conv.promptTokens === 0;
  const total = fresh ? chat.userTokens : conv.promptTokens + conv.genTokens + chat.userTokens;
  tl.advance(rng.int(8, 40));
  log(ctx, 'INFO', 'routes.go:2212', 'using mlx backend', [['model', chat.model.name]]);
  tl.advance(rng.int(1, 4));
  let matched = 0;
  let cached = 0;
  if (!fresh && runner.cachedTokens > 0) {
    // The trie matches up to the previous reply; reuse is whole cache blocks of it.
    matched = Math.min(total - 1, conv.promptTokens + conv.genTokens - rng.int(2, 9));
    cached = Math.floor(matched / 256) * 256;
  }
  const left = total - cached;
  log(ctx, 'INFO', 'prefix_cache.go:125', matched > 0 ? 'cache hit' : 'cache miss', [
    ['total', total],
    ['matched', matched],
    ['cached', cached],
    ['left', left],
  ]);
  const prefillMs = (left / (chat.model.prefillTps * runner.speed.prefill)) * 1000 * rng.float(0.9, 1.12);
  const decodeMs = (chat.genTokens / (chat.model.decodeTps * runner.speed.decode)) * 1000 * rng.float(0.92, 1.1);
  if (prefillMs + decodeMs > 2500) tl.begin(0);
  // One progress line per prefill chunk; the last prompt token is left for decode.
  for (let done = 0; done < left - 1;) {
    const chunk = Math.min(CHUNK, left - 1 - done);
    done += chunk;
    tl.advance((prefillMs * chunk) / left);
    if (left > CHUNK)
      log(ctx, 'INFO', 'pipeline.go:204', 'Prompt processing progress', [
        ['processed', total - left + done],
        ['total', total],
      ]);
  }
  tl.advance(decodeMs);
  const ctxTokens = total + chat.genTokens;
  const peak = chat.model.sizeBytes + 0.62 * GiB + ctxTokens * 24_576 + rng.int(0, 64) * 1024 ** 2;
  log(ctx, 'INFO', 'pipeline.go:91', 'peak memory', [['size', prettyBytes(peak)]]);
  tl.advance(rng.int(1, 6));
  const path = chat.path ?? '/api/chat';
  tl.proxied({
    path,
    model: chat.model.name,
    promptTokens: total,
    evalCount: chat.genTokens,
    promptMs: prefillMs,
    evalMs: decodeMs,
    latencyMs: tl.elapsedMs - start,
  });
  access(ctx, 200, start, 'POST', path, client);
  tl.effect((state, at) => touch(state, chat.model.name, at));
  conv.promptTokens = total;
  conv.genTokens = chat.genTokens;
  runner.cachedTokens = ctxTokens;
}
