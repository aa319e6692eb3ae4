// Ollama's own lines (slog, or Go-log read into the same shape), dispatched on `msg` — never on
// `source=file.go:NN`, whose line numbers change every release. Pure.
import { parseBytes } from './bytes.js';
import type { LineEvent } from './events.js';
import { parseRunnerCmd, runnerVariant } from './runnerCmd.js';
import { parseEnvMap } from './envMap.js';
import { blobDigest, modelName } from './modelRef.js';

/** `/^-?\d+$/` as a number, else null; checked by character (most values are a few digits). */
const int = (v: string | undefined): number | null => {
  if (v === undefined) return null;
  let i = v.charCodeAt(0) === 0x2d /* - */ ? 1 : 0;
  if (i === v.length) return null;
  for (; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  return Number(v);
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (list: string[]): string => list.map(escapeRe).join('|');
/** How the messages `otherMsg` reads begin. */
const VALUE_PREFIXES = [
  'llama runner started',
  'llama-server started',
  'offloaded ',
  'offload to ',
  'Listening on ',
  'error starting the external llama runner',
  'error starting llama runner',
  'llama runner exited',
  'Loading Dynamic llm server',
];
/** Cheap pre-check for the messages `otherMsg` reads. */
const VALUE_MSG = new RegExp(`^(?:${alternatives(VALUE_PREFIXES)})`);
const STARTED_IN = /^(?:llama runner|llama-server) started in ([\d.]+) seconds$/;
const OFFLOADED = /^offloaded (\d+)\/(\d+) layers to GPU$/;
const OFFLOAD_TO = /^offload to (\w+)$/;
const LISTENING = /^Listening on (\S+?)(?: \(version ([^)]*)\))?$/;
// 2023 (Go log, no attributes): `error starting the external llama runner: <why>`.
// v0.1.18–v0.1.31 load the model in process, from the variant's library.
const DYNAMIC_SERVER = /^Loading Dynamic llm server: (.+)$/;
// 2023: `llama runner exited with error: signal: illegal instruction`.
const RUNNER_EXITED = /^llama runner exited(?: with error)?(?::\s*(.*))?$/;
const EXTERNAL_FAILED = /^error starting (?:the external )?llama runner(?::\s*(.*))?$/;

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

/** A slog record's attributes (all but time, level, source and msg); the last of a repeated key wins. */
export interface SlogAttrs {
  get(key: string): string | undefined;
}

// Every start prints the same `server config` (a thousand characters, the heaviest line to read):
// the map of the last one is handed out again while the text does not change. Nothing downstream
// modifies it; the correlator and the store only read it.
let lastEnvText = '';
let lastEnv: Record<string, string> = {};

function envMap(text: string): Record<string, string> {
  if (text !== lastEnvText) {
    lastEnv = parseEnvMap(text);
    lastEnvText = text;
  }
  return lastEnv;
}

type Handler = (at: string | null, a: SlogAttrs, msg: string) => LineEvent | null;

/** One handler per message Ollama logs that we read; a message not in this table is only a clock. */
// Maps, not object literals: a message such as `constructor` must not find Object.prototype.
const HANDLERS = new Map<string, Handler>(
  Object.entries({
    'server config': (at, a) => {
      const env = a.get('env');
      return env ? { type: 'server_config', at, env: envMap(env) } : null;
    },
    'inference compute': (at, a) => {
      const library = a.get('library');
      return library
        ? {
            type: 'inference_compute',
            at,
            library,
            name: a.get('description') || a.get('name') || null,
            totalBytes: parseBytes(a.get('total')),
          }
        : null;
    },
    'vram-based default context': (at, a) => {
      const n = int(a.get('default_num_ctx'));
      return n === null ? null : { type: 'default_ctx', at, numCtx: n };
    },
    'starting mlx runner subprocess': (at, a) => {
      const model = a.get('model');
      return { type: 'load_intent', at, engine: 'mlx', model: modelName(model), blob: blobDigest(model) };
    },
    // v0.15.5–v0.17.0 image generation runner, relayed: `msg="starting mlx runner" model=x/flux2-klein:latest … mode=imagegen`.
    'starting mlx runner': (at, a) => {
      const model = a.get('model');
      return { type: 'load_intent', at, engine: 'mlx', model: modelName(model), blob: blobDigest(model) };
    },
    'using llama-server for model': (at, a) => {
      const model = a.get('model');
      return { type: 'load_intent', at, engine: 'llama.cpp', model: modelName(model), blob: blobDigest(model) };
    },
    'starting llama server': (at, a) => {
      const cmd = a.get('cmd');
      return cmd ? parseRunnerCmd(at, cmd) : null;
    },
    'starting go runner': (at) => ({ type: 'runner_flavor', at, engine: 'llama.cpp' }),
    'starting ollama engine': (at) => ({ type: 'runner_flavor', at, engine: 'ollama-engine' }),
    offload: (at, a) => {
      const library = a.get('library');
      return library
        ? { type: 'load_library', at, library, layersOffload: int(a.get('layers.offload')), layersModel: int(a.get('layers.model')) }
        : null;
    },
    load: (at, a) => {
      const request = a.get('request');
      return request ? loadRequest(at, request) : null;
    },
    'loading model': (at, a) => {
      const n = int(a.get('model layers'));
      return n === null ? null : { type: 'model_layers', at, layers: n };
    },
    'kv cache': (at, a) => {
      const bytes = parseBytes(a.get('size'));
      const device = a.get('device');
      return device && bytes !== null ? { type: 'kv_device', at, device, bytes } : null;
    },
    'total memory': (at, a) => {
      const bytes = parseBytes(a.get('size'));
      return bytes === null ? null : { type: 'memory_total', at, bytes };
    },
    'mlx runner is ready': (at) => ({ type: 'runner_ready', at, seconds: null, engine: 'mlx' }),
    // The in-process server (v0.1.18–v0.1.31) is up; it says nothing of how long that took.
    'Starting llama main loop': (at) => ({ type: 'runner_ready', at, seconds: null, engine: 'llama.cpp', untimed: true }),
    'error loading llama server': (at, a, msg) => {
      const model = a.get('model');
      return { type: 'load_failed', at, error: a.get('error') ?? msg, model: modelName(model), blob: blobDigest(model) };
    },
    // DEBUG, the scheduler giving up on a runner: the model, never the reason (that came on its own line).
    'triggering expiration for failed load': (at, a) => {
      const model = a.get('runner.model');
      return { type: 'load_failed', at, error: null, model: modelName(a.get('runner.name')), blob: blobDigest(model) };
    },
    // 2023: the load of a llama.cpp server subprocess begins (no command line logged).
    'starting llama runner': (at) => ({ type: 'load_intent', at, engine: 'llama.cpp', model: null, blob: null }),
    'llama runner terminated': (at, a) => ({ type: 'runner_exit', at, error: a.get('error') ?? null }),
    'stopping mlx runner subprocess': (at) => ({ type: 'runner_stop', at, engine: 'mlx' }),
    'MLX engine initialized': (at, a) => {
      const device = a.get('device');
      return device ? { type: 'mlx_device', at, device } : null;
    },
    'MLX dynamic library not available': (at, a) => ({ type: 'mlx_unavailable', at, error: a.get('error') ?? null }),
    'MLX model exceeds the recommended working set; performance may be degraded': (at, a) => ({
      type: 'mlx_working_set',
      at,
      activeBytes: parseBytes(a.get('active')),
      recommendedBytes: parseBytes(a.get('recommended')),
    }),
    'template selection': (at, a) => {
      const name = modelName(a.get('model'));
      return name ? { type: 'model_name', at, model: name } : null;
    },
    'finished setting up': (at, a) => {
      const runnerName = a.get('runner.name');
      const runnerModel = a.get('runner.model');
      if (runnerName === undefined && runnerModel === undefined) {
        const name = modelName(a.get('model'));
        return name ? { type: 'model_name', at, model: name } : null;
      }
      return {
        type: 'runner_info',
        at,
        model: modelName(runnerName),
        blob: blobDigest(runnerModel),
        numCtx: int(a.get('runner.num_ctx')),
        parallel: int(a.get('runner.parallel')),
        library: a.get('runner.inference') || null,
      };
    },
    'loaded runners': (at, a) => {
      const n = int(a.get('count'));
      return n === null ? null : { type: 'loaded_runners', at, count: n };
    },
    'using mlx backend': (at, a) => ({ type: 'using_mlx', at, model: modelName(a.get('model')) }),
    'cache hit': (at, a) => {
      const total = int(a.get('total'));
      return total === null ? null : { type: 'mlx_cache', at, total, cached: int(a.get('cached')) };
    },
    'Prompt processing progress': (at) => ({ type: 'mlx_progress', at }),
    'peak memory': (at, a) => {
      const bytes = parseBytes(a.get('size'));
      return bytes === null ? null : { type: 'mlx_peak', at, bytes };
    },
    'truncating input prompt': (at, a) => {
      const limit = a.get('limit');
      const prompt = a.get('prompt');
      return {
        type: 'truncation',
        at,
        limit: int(limit),
        prompt: int(prompt),
        kept: int(a.get('new')),
        detail: `prompt of ${prompt ?? '?'} tokens truncated to ${a.get('new') ?? limit ?? '?'} (limit ${limit ?? '?'})`,
      };
    },
    'truncating input messages which exceed context length': (at, a) => ({
      type: 'truncation',
      at,
      limit: null,
      prompt: null,
      detail: `${a.get('truncated') ?? 'some'} messages dropped to fit the context`,
    }),
    'context limit hit - shifting': (at, a) => ({
      type: 'context_shift',
      at,
      detail: `context limit ${a.get('limit') ?? '?'} hit: discarded ${a.get('discard') ?? '?'} tokens`,
    }),
    'runtime OOM detected; expiring loaded models to clear memory before next request': (at, a, msg) => ({
      type: 'oom',
      at,
      text: (a.get('error') ?? msg).slice(0, 200),
    }),
  } satisfies Record<string, Handler>),
);

/** Other wordings of the same message across releases. */
const ALIASES = new Map<string, string>(
  Object.entries({
    'starting runner': 'starting llama server',
    'starting llama-server': 'starting llama server',
    'gpu memory': 'offload',
    'Load failed': 'error loading llama server',
    'NewLlamaServer failed': 'error loading llama server',
    'llama-server terminated': 'llama runner terminated',
    'finished setting up runner': 'finished setting up',
    'cache miss': 'cache hit',
    'Cache hit': 'cache hit',
    'Cache miss': 'cache hit',
  }),
);

/** Whether a slog message carries facts: the others need no attribute parsing at all. */
export function wantsMessage(msg: string): boolean {
  return HANDLERS.has(msg) || ALIASES.has(msg) || VALUE_MSG.test(msg);
}

const KNOWN = [...HANDLERS.keys(), ...ALIASES.keys()];

/**
 * Read at the `msg=` value of a slog line whose msg needs no unquoting (sticky): matches when
 * wantsMessage would be true for it — a known message quoted or bare, a quoted message beginning
 * like one otherMsg reads — or when it is the MLX relay with something after it. One regex instead
 * of slicing the message of every slog line and looking it up.
 */
export const NEEDS_PARSE = new RegExp(
  [
    `"(?:${alternatives(KNOWN)})"`,
    `"(?:${alternatives(VALUE_PREFIXES)})`,
    `(?:${alternatives(KNOWN.filter((m) => !m.includes(' ')))})(?: |$)`,
    '"mlx-runner"[^]',
    'mlx-runner ',
  ].join('|'),
  'y',
);

export function slogEvent(time: string, msg: string, a: SlogAttrs): LineEvent | null {
  const at = time || null;
  const handler = HANDLERS.get(ALIASES.get(msg) ?? msg);
  return handler ? handler(at, a, msg) : otherMsg(at, msg, a);
}

/** Messages with values inside them. */
function otherMsg(at: string | null, msg: string, a: SlogAttrs): LineEvent | null {
  let m = STARTED_IN.exec(msg);
  if (m) return { type: 'runner_ready', at, seconds: Number(m[1]), engine: msg.startsWith('llama-server') ? 'llama.cpp' : null };
  m = OFFLOADED.exec(msg);
  if (m) return { type: 'offloaded', gpuLayers: Number(m[1]), totalLayers: Number(m[2]) };
  m = OFFLOAD_TO.exec(msg);
  if (m) {
    // v0.1.32 printed `offload to gpu` with `layers=` / `reallayers=`; v0.1.33+ grouped keys.
    return {
      type: 'load_library',
      at,
      library: m[1]!,
      layersOffload: int(a.get('layers.offload') ?? a.get('layers')),
      layersModel: int(a.get('layers.model') ?? a.get('reallayers')),
    };
  }
  m = LISTENING.exec(msg);
  if (m) return { type: 'listening', at, address: m[1]!, version: m[2] || null };
  m = DYNAMIC_SERVER.exec(msg);
  if (m) {
    return {
      type: 'runner_cmd',
      at,
      engine: 'llama.cpp',
      blob: null,
      ctxSize: null,
      parallel: null,
      gpuLayers: null,
      kvType: null,
      library: runnerVariant(m[1]!),
    };
  }
  m = RUNNER_EXITED.exec(msg);
  if (m) return { type: 'runner_exit', at, error: m[1] || null };
  m = EXTERNAL_FAILED.exec(msg);
  if (m) return { type: 'load_failed', at, error: m[1] || msg, model: null, blob: null };
  return null;
}
