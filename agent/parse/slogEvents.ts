// Ollama's own lines (slog, or Go-log read into the same shape), dispatched on `msg` — never on
// `source=file.go:NN`, whose line numbers change every release. Pure.
import { parseBytes } from './bytes.js';
import type { LineEvent } from './events.js';
import type { SlogLine } from './parseSlog.js';
import { parseRunnerCmd } from './runnerCmd.js';
import { parseEnvMap } from './envMap.js';
import { blobDigest, modelName } from './modelRef.js';

const int = (v: string | undefined): number | null => {
  if (v === undefined || !/^-?\d+$/.test(v)) return null;
  return Number(v);
};

const STARTED_IN = /^(?:llama runner|llama-server) started in ([\d.]+) seconds$/;
const OFFLOADED = /^offloaded (\d+)\/(\d+) layers to GPU$/;
const OFFLOAD_TO = /^offload to (\w+)$/;
const LISTENING = /^Listening on (\S+?)(?: \(version ([^)]*)\))?$/;
/** Cheap pre-check for the messages `otherMsg` reads. */
const VALUE_MSG = /^(?:llama runner started|llama-server started|offloaded |offload to |Listening on )/;

/** Fields of the era-E `load request="{Operation:commit … KvSize:8192 … GPULayers:29[…] …}"` struct dump. */
function loadRequest(at: string | null, text: string): LineEvent {
  const field = (name: string): string | null => {
    const m = new RegExp(`(?:^|[{ ])${name}:([^ \\]}]*)`).exec(text);
    return m ? m[1]! : null;
  };
  const layers = /GPULayers:(\d+)?\[/.exec(text);
  return {
    type: 'load_request',
    at,
    operation: field('Operation'),
    kvSize: int(field('KvSize') ?? undefined),
    parallel: int(field('Parallel') ?? undefined),
    gpuLayers: layers ? Number(layers[1] ?? 0) : null,
    kvType: field('KvCacheType') || null,
  };
}

type Handler = (at: string | null, a: Record<string, string>, msg: string) => LineEvent | null;

/** One handler per message Ollama logs that we read; a message not in this table is only a clock. */
// Maps, not object literals: a message such as `constructor` must not find Object.prototype.
const HANDLERS = new Map<string, Handler>(Object.entries({
  'server config': (at, a) => a.env ? { type: 'server_config', at, env: parseEnvMap(a.env) } : null,
  'inference compute': (at, a) => a.library
    ? { type: 'inference_compute', at, library: a.library, name: a.description || a.name || null, totalBytes: parseBytes(a.total) }
    : null,
  'vram-based default context': (at, a) => {
    const n = int(a.default_num_ctx);
    return n === null ? null : { type: 'default_ctx', at, numCtx: n };
  },
  'starting mlx runner subprocess': (at, a) => ({ type: 'load_intent', at, engine: 'mlx', model: modelName(a.model), blob: blobDigest(a.model) }),
  'using llama-server for model': (at, a) => ({ type: 'load_intent', at, engine: 'llama.cpp', model: modelName(a.model), blob: blobDigest(a.model) }),
  'starting llama server': (at, a) => a.cmd ? parseRunnerCmd(at, a.cmd) : null,
  'starting go runner': (at) => ({ type: 'runner_flavor', at, engine: 'llama.cpp' }),
  'starting ollama engine': (at) => ({ type: 'runner_flavor', at, engine: 'ollama-engine' }),
  'offload': (at, a) => a.library
    ? { type: 'load_library', at, library: a.library, layersOffload: int(a['layers.offload']), layersModel: int(a['layers.model']) }
    : null,
  'load': (at, a) => a.request ? loadRequest(at, a.request) : null,
  'loading model': (at, a) => {
    const n = int(a['model layers']);
    return n === null ? null : { type: 'model_layers', at, layers: n };
  },
  'kv cache': (at, a) => {
    const bytes = parseBytes(a.size);
    return a.device && bytes !== null ? { type: 'kv_device', at, device: a.device, bytes } : null;
  },
  'mlx runner is ready': (at) => ({ type: 'runner_ready', at, seconds: null }),
  'error loading llama server': (at, a, msg) => ({ type: 'load_failed', at, error: a.error ?? msg }),
  'llama runner terminated': (at, a) => ({ type: 'runner_exit', at, error: a.error ?? null }),
  'stopping mlx runner subprocess': (at) => ({ type: 'runner_stop', at, engine: 'mlx' }),
  'MLX engine initialized': (at, a) => a.device ? { type: 'mlx_device', at, device: a.device } : null,
  'MLX dynamic library not available': (at, a) => ({ type: 'mlx_unavailable', at, error: a.error ?? null }),
  'MLX model exceeds the recommended working set; performance may be degraded': (at, a) => ({ type: 'mlx_working_set', at, activeBytes: parseBytes(a.active), recommendedBytes: parseBytes(a.recommended) }),
  'template selection': (at, a) => {
    const name = modelName(a.model);
    return name ? { type: 'model_name', at, model: name } : null;
  },
  'finished setting up': (at, a) => {
    if (a['runner.name'] === undefined && a['runner.model'] === undefined) {
      const name = modelName(a.model);
      return name ? { type: 'model_name', at, model: name } : null;
    }
    return {
      type: 'runner_info', at, model: modelName(a['runner.name']), blob: blobDigest(a['runner.model']),
      numCtx: int(a['runner.num_ctx']), parallel: int(a['runner.parallel']), library: a['runner.inference'] || null,
    };
  },
  'loaded runners': (at, a) => {
    const n = int(a.count);
    return n === null ? null : { type: 'loaded_runners', at, count: n };
  },
  'using mlx backend': (at, a) => ({ type: 'using_mlx', at, model: modelName(a.model) }),
  'cache hit': (at, a) => {
    const total = int(a.total);
    return total === null ? null : { type: 'mlx_cache', at, total, cached: int(a.cached) };
  },
  'peak memory': (at, a) => {
    const bytes = parseBytes(a.size);
    return bytes === null ? null : { type: 'mlx_peak', at, bytes };
  },
  'truncating input prompt': (at, a) => ({ type: 'truncation', at, limit: int(a.limit), prompt: int(a.prompt), detail: `prompt of ${a.prompt ?? '?'} tokens truncated to ${a.new ?? a.limit ?? '?'} (limit ${a.limit ?? '?'})` }),
  'truncating input messages which exceed context length': (at, a) => ({ type: 'truncation', at, limit: null, prompt: null, detail: `${a.truncated ?? 'some'} messages dropped to fit the context` }),
  'context limit hit - shifting': (at, a) => ({ type: 'context_shift', at, detail: `context limit ${a.limit ?? '?'} hit: discarded ${a.discard ?? '?'} tokens` }),
  'runtime OOM detected; expiring loaded models to clear memory before next request': (at, a, msg) => ({ type: 'oom', at, text: (a.error ?? msg).slice(0, 200) }),
} satisfies Record<string, Handler>));

/** Other wordings of the same message across releases. */
const ALIASES = new Map<string, string>(Object.entries({
  'starting runner': 'starting llama server',
  'starting llama-server': 'starting llama server',
  'gpu memory': 'offload',
  'Load failed': 'error loading llama server',
  'llama-server terminated': 'llama runner terminated',
  'finished setting up runner': 'finished setting up',
  'cache miss': 'cache hit',
  'Cache hit': 'cache hit',
  'Cache miss': 'cache hit',
}));

/** Whether a slog message carries facts: the others need no attribute parsing at all. */
export function wantsMessage(msg: string): boolean {
  return HANDLERS.has(msg) || ALIASES.has(msg) || VALUE_MSG.test(msg);
}

export function slogEvent(s: SlogLine): LineEvent | null {
  const at = s.time || null;
  const handler = HANDLERS.get(ALIASES.get(s.msg) ?? s.msg);
  return handler ? handler(at, s.attrs, s.msg) : otherMsg(at, s.msg, s.attrs);
}

/** Messages with values inside them. */
function otherMsg(at: string | null, msg: string, a: Record<string, string>): LineEvent | null {
  let m = STARTED_IN.exec(msg);
  if (m) return { type: 'runner_ready', at, seconds: Number(m[1]) };
  m = OFFLOADED.exec(msg);
  if (m) return { type: 'offloaded', gpuLayers: Number(m[1]), totalLayers: Number(m[2]) };
  m = OFFLOAD_TO.exec(msg);
  if (m) {
    // v0.1.32 printed `offload to gpu` with `layers=` / `reallayers=`; v0.1.33+ grouped keys.
    return {
      type: 'load_library',
      at,
      library: m[1]!,
      layersOffload: int(a['layers.offload'] ?? a.layers),
      layersModel: int(a['layers.model'] ?? a.reallayers),
    };
  }
  m = LISTENING.exec(msg);
  if (m) return { type: 'listening', at, address: m[1]!, version: m[2] || null };
  return null;
}
