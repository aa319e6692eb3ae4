// The MLX runner path (safetensors models): subprocess start, then per request the brief's
// `using mlx backend` line, the prefix-cache line, prefill chunks, `peak memory` and the access line.
import { humanBytes2, prettyBytes } from '../goFormat.js';
import type { DemoModel } from '../models.js';
import { markLoaded, touch } from '../state.js';
import { access, clientAddress, ephemeralPort, gap, log, usedBytes, type Conversation, type Ctx, type Runner } from './context.js';

const GiB = 1024 ** 3;
/** The MLX runner's prefill chunk. */
const CHUNK = 2048;

function loadMlx(ctx: Ctx, model: DemoModel): Runner {
  const { rng, tl } = ctx;
  const port = ephemeralPort(rng);
  const free = ctx.memBytes - usedBytes(ctx) - rng.int(4, 9) * GiB;
  log(ctx, 'INFO', 'sched.go:613', 'system memory', [['total', humanBytes2(ctx.memBytes)], ['free', humanBytes2(free)], ['free_swap', '0 B']]);
  log(ctx, 'INFO', 'sched.go:620', 'gpu memory', [
    ['id', '0'], ['library', 'Metal'], ['available', humanBytes2(free - 512 * 1024 ** 2)], ['free', humanBytes2(free)],
    ['minimum', '512.0 MiB'], ['overhead', '0 B'],
  ]);
  log(ctx, 'INFO', 'client.go:391', 'starting mlx runner subprocess', [['model', model.name], ['port', port]]);
  tl.advance(rng.int(250, 520));
  log(ctx, 'INFO', 'server.go:44', 'MLX engine initialized', [['MLX version', '0.30.6'], ['device', 'gpu']]);
  tl.advance(rng.int(20, 60));
  log(ctx, 'INFO', 'base.go:122', 'Model architecture', [['arch', model.mlxArch ?? model.arch]]);
  // Reading ~20 GB of weights: a second step so the load visibly takes time.
  tl.begin(0).advance(rng.int(2600, 3800));
  log(ctx, 'INFO', 'runner.go:217', 'Loaded tensors from manifest', [['count', 1029]]);
  tl.advance(rng.int(400, 900));
  log(ctx, 'INFO', 'runner.go:252', 'Starting HTTP server', [['host', '127.0.0.1'], ['port', port]]);
  tl.advance(rng.int(40, 120));
  log(ctx, 'INFO', 'client.go:106', 'mlx runner is ready', [['port', port]]);
  const runner: Runner = {
    model, engine: 'mlx', port, pid: rng.int(20000, 89999), ctx: model.contextLength, task: 0, cachedTokens: 0,
    sizeBytes: model.sizeBytes + Math.round(1.1 * GiB),
  };
  ctx.runners.set(model.name, runner);
  log(ctx, 'INFO', 'sched.go:728', 'loaded runners', [['count', ctx.runners.size]]);
  tl.effect((state, at) => markLoaded(state, model, at, runner.ctx, runner.sizeBytes));
  return runner;
}

export interface MlxChat {
  model: DemoModel;
  conversation: Conversation;
  /** New user turn, tokens. */
  userTokens: number;
  genTokens: number;
  path?: string;
}

/** One chat turn on MLX (loading the runner first if needed); updates `conversation`. */
export function mlxChat(ctx: Ctx, chat: MlxChat): void {
  const { rng, tl } = ctx;
  tl.begin(gap(ctx));
  const start = tl.elapsedMs;
  const client = clientAddress(rng);
  const runner = ctx.runners.get(chat.model.name) ?? loadMlx(ctx, chat.model);
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
    ['total', total], ['matched', matched], ['cached', cached], ['left', left],
  ]);
  const prefillMs = (left / chat.model.prefillTps) * 1000 * rng.float(0.9, 1.12);
  const decodeMs = (chat.genTokens / chat.model.decodeTps) * 1000 * rng.float(0.92, 1.1);
  if (prefillMs + decodeMs > 2500) tl.begin(0);
  // One progress line per prefill chunk; the last prompt token is left for decode.
  for (let done = 0; done < left - 1; ) {
    const chunk = Math.min(CHUNK, left - 1 - done);
    done += chunk;
    tl.advance((prefillMs * chunk) / left);
    if (left > CHUNK) log(ctx, 'INFO', 'pipeline.go:204', 'Prompt processing progress', [['processed', total - left + done], ['total', total]]);
  }
  tl.advance(decodeMs);
  const ctxTokens = total + chat.genTokens;
  const peak = chat.model.sizeBytes + 0.62 * GiB + ctxTokens * 24_576 + rng.int(0, 64) * 1024 ** 2;
  log(ctx, 'INFO', 'pipeline.go:91', 'peak memory', [['size', prettyBytes(peak)]]);
  tl.advance(rng.int(1, 6));
  access(ctx, 200, start, 'POST', chat.path ?? '/api/chat', client);
  tl.effect((state, at) => touch(state, chat.model.name, at));
  conv.promptTokens = total;
  conv.genTokens = chat.genTokens;
  runner.cachedTokens = ctxTokens;
}
