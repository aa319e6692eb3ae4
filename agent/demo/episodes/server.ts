// Server start-up block and the background chatter of clients (tags/ps/HEAD polls, a few errors).
import { humanBytes2 } from '../goFormat.js';
import { MODELS_DIR } from '../models.js';
import { unloadAll } from '../state.js';
import { access, clientAddress, gap, log, type Ctx } from './context.js';

/** The version the demo starts with; the scenario bumps the patch level on each "update". */
export const VERSION = '0.33.0';

const ORIGINS =
  '[http://localhost https://localhost http://localhost:* https://localhost:* http://127.0.0.1 https://127.0.0.1 ' +
  'http://127.0.0.1:* https://127.0.0.1:* http://0.0.0.0 https://0.0.0.0 http://0.0.0.0:* https://0.0.0.0:* ' +
  'app://* file://* tauri://* vscode-webview://* vscode-file://*]';

/** `envconfig.Values()` on macOS at v0.33, plus the MLX flag of our product brief's build. */
const ENV: Record<string, string> = {
  HTTPS_PROXY: '',
  HTTP_PROXY: '',
  LLAMA_ARG_FIT: '',
  LLAMA_ARG_FIT_TARGET: '',
  NO_PROXY: '',
  OLLAMA_CONTEXT_LENGTH: '0',
  OLLAMA_DEBUG: 'INFO',
  OLLAMA_DEBUG_LOG_REQUESTS: 'false',
  OLLAMA_EDITOR: '',
  OLLAMA_FLASH_ATTENTION: 'false',
  OLLAMA_GO_TEMPLATE: 'true',
  OLLAMA_GPU_OVERHEAD: '0',
  OLLAMA_HOST: 'http://127.0.0.1:11434',
  OLLAMA_IGPU_ENABLE: '',
  OLLAMA_KEEP_ALIVE: '5m0s',
  OLLAMA_KV_CACHE_TYPE: '',
  OLLAMA_LLM_LIBRARY: '',
  OLLAMA_LOAD_TIMEOUT: '5m0s',
  OLLAMA_MAX_LOADED_MODELS: '0',
  OLLAMA_MAX_QUEUE: '512',
  OLLAMA_MAX_TRANSFER_STREAMS: '4',
  OLLAMA_MODELS: MODELS_DIR,
  OLLAMA_NOHISTORY: 'false',
  OLLAMA_NOPRUNE: 'false',
  OLLAMA_NO_CLOUD: 'false',
  OLLAMA_NUM_PARALLEL: '1',
  OLLAMA_ORIGINS: ORIGINS,
  OLLAMA_REMOTES: '[ollama.com]',
  OLLAMA_SCHED_SPREAD: 'false',
  OLLAMA_USE_MLX: '1',
  http_proxy: '',
  https_proxy: '',
  no_proxy: '',
};

/** Go prints a map with `%v` as `map[k:v k:v]`, keys in byte order. */
function goMap(env: Record<string, string>): string {
  const keys = Object.keys(env).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${keys.map((k) => `${k}:${env[k]}`).join(' ')}]`;
}

export interface ServerStartOptions {
  version?: string;
  /** Lines a process prints before its slog handler is installed (e.g. a missing MLX library). */
  preamble?: (ctx: Ctx) => void;
}

export function serverStart(ctx: Ctx, firstGapMs: number, opts: ServerStartOptions = {}): void {
  const { rng, tl } = ctx;
  const version = opts.version ?? VERSION;
  ctx.runners.clear();
  tl.begin(firstGapMs, { serverStart: true });
  tl.effect((state) => {
    unloadAll(state);
    state.version = version;
  });
  opts.preamble?.(ctx);
  log(ctx, 'INFO', 'routes.go:1951', 'server config', [['env', goMap(ENV)]]);
  log(ctx, 'INFO', 'routes.go:1953', 'Ollama cloud disabled: false');
  tl.advance(rng.int(2, 8));
  log(ctx, 'INFO', 'images.go:883', 'total blobs: 17');
  log(ctx, 'INFO', 'images.go:890', 'total unused blobs removed: 0');
  tl.advance(rng.int(3, 9));
  log(ctx, 'INFO', 'routes.go:2008', `Listening on 127.0.0.1:11434 (version ${version})`);
  tl.advance(rng.int(1, 4));
  log(ctx, 'INFO', 'runner.go:60', 'discovering available GPUs...');
  tl.advance(rng.int(180, 420));
  const total = humanBytes2(ctx.memBytes);
  const available = humanBytes2(ctx.memBytes - rng.int(2, 9) * 128 * 1024 ** 2);
  log(ctx, 'INFO', 'types.go:32', 'inference compute', [
    ['id', '0'],
    ['filter_id', ''],
    ['library', 'Metal'],
    ['compute', '0.0'],
    ['name', 'MTL0'],
    ['description', 'Apple M3 Max'],
    ['libdirs', ''],
    ['driver', '0.0'],
    ['pci_id', ''],
    ['type', 'iGPU'],
    ['total', total],
    ['available', available],
  ]);
  log(ctx, 'INFO', 'routes.go:2054', 'vram-based default context', [
    ['total_vram', total],
    ['default_num_ctx', 262144],
  ]);
  // The desktop app checks the server as soon as it answers.
  tl.begin(rng.int(150, 600));
  let start = tl.elapsedMs;
  tl.advance(1);
  access(ctx, 200, start, 'HEAD', '/');
  start = tl.elapsedMs;
  tl.advance(1);
  access(ctx, 200, start, 'GET', '/api/version');
}

type NoiseKind = readonly [weight: number, run: (ctx: Ctx) => void];

const ms = (ctx: Ctx, min: number, max: number): number => ctx.rng.float(min, max);

function request(ctx: Ctx, status: number, method: string, path: string, minMs: number, maxMs: number): void {
  const start = ctx.tl.elapsedMs;
  // Sub-millisecond requests still need a non-zero Go duration; `access` adds the nanoseconds.
  ctx.tl.advance(Math.floor(ms(ctx, minMs, maxMs)));
  access(ctx, status, start, method, path, clientAddress(ctx.rng));
}

const NOISE: readonly NoiseKind[] = [
  [5, (ctx) => request(ctx, 200, 'GET', '/api/tags', 0.4, 3)],
  [3, (ctx) => request(ctx, 200, 'HEAD', '/', 0.1, 0.9)],
  [3, (ctx) => request(ctx, 200, 'GET', '/api/ps', 0.2, 1.6)],
  [1, (ctx) => request(ctx, 200, 'GET', '/api/version', 0.1, 0.7)],
  [2, (ctx) => request(ctx, 200, 'POST', '/api/show', 4, 32)],
  [1, (ctx) => request(ctx, 404, 'POST', '/api/show', 0.5, 3)],
  [1, (ctx) => request(ctx, 400, 'POST', '/api/chat', 0.2, 1.2)],
  [1, (ctx) => request(ctx, 404, 'GET', '/v1/models/gpt-4o', 0.1, 0.6)],
  // A pull that fails upstream: a 500 that is not a runner crash.
  [0.5, (ctx) => request(ctx, 500, 'POST', '/api/pull', 900, 3200)],
];

/** One or two background requests, as clients poll the server. */
export function noise(ctx: Ctx): void {
  const { rng, tl } = ctx;
  tl.begin(gap(ctx, 400, 2200));
  const count = rng.chance(0.3) ? 2 : 1;
  for (let i = 0; i < count; i++) {
    pickWeighted(ctx, NOISE)(ctx);
    tl.advance(rng.int(1, 40));
  }
}

function pickWeighted(ctx: Ctx, kinds: readonly NoiseKind[]): (ctx: Ctx) => void {
  const total = kinds.reduce((s, [w]) => s + w, 0);
  let r = ctx.rng.next() * total;
  for (const [w, run] of kinds) {
    r -= w;
    if (r < 0) return run;
  }
  return kinds[kinds.length - 1]![1];
}
