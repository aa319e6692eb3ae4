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

export function slogEvent(s: SlogLine): LineEvent | null {
  const at = s.time || null;
  const a = s.attrs;
  const msg = s.msg;
  switch (msg) {
    case 'server config':
      return a.env ? { type: 'server_config', at, env: parseEnvMap(a.env) } : null;
    case 'inference compute':
      return a.library
        ? { type: 'inference_compute', at, library: a.library, name: a.description || a.name || null, totalBytes: parseBytes(a.total) }
        : null;
    case 'vram-based default context': {
      const n = int(a.default_num_ctx);
      return n === null ? null : { type: 'default_ctx', at, numCtx: n };
    }
    case 'starting mlx runner subprocess':
      return { type: 'load_intent', at, engine: 'mlx', model: modelName(a.model), blob: blobDigest(a.model) };
    case 'using llama-server for model':
      return { type: 'load_intent', at, engine: 'llama.cpp', model: modelName(a.model), blob: blobDigest(a.model) };
    case 'starting llama server':
    case 'starting runner':
    case 'starting llama-server':
      return a.cmd ? parseRunnerCmd(at, a.cmd) : null;
    case 'starting go runner':
      return { type: 'runner_flavor', at, engine: 'llama.cpp' };
    case 'starting ollama engine':
      return { type: 'runner_flavor', at, engine: 'ollama-engine' };
    case 'offload':
    case 'gpu memory':
      return a.library
        ? { type: 'load_library', at, library: a.library, layersOffload: int(a['layers.offload']), layersModel: int(a['layers.model']) }
        : null;
    case 'load':
      return a.request ? loadRequest(at, a.request) : null;
    case 'loading model': {
      const n = int(a['model layers']);
      return n === null ? null : { type: 'model_layers', at, layers: n };
    }
    case 'kv cache': {
      const bytes = parseBytes(a.size);
      return a.device && bytes !== null ? { type: 'kv_device', at, device: a.device, bytes } : null;
    }
    case 'mlx runner is ready':
      return { type: 'runner_ready', at, seconds: null };
    case 'error loading llama server':
    case 'Load failed':
      return { type: 'load_failed', at, error: a.error ?? msg };
    case 'llama runner terminated':
    case 'llama-server terminated':
      return { type: 'runner_exit', at, error: a.error ?? null };
    case 'stopping mlx runner subprocess':
      return { type: 'runner_stop', at, engine: 'mlx' };
    case 'MLX engine initialized':
      return a.device ? { type: 'mlx_device', at, device: a.device } : null;
    case 'MLX dynamic library not available':
      return { type: 'mlx_unavailable', at, error: a.error ?? null };
    case 'MLX model exceeds the recommended working set; performance may be degraded':
      return { type: 'mlx_working_set', at, activeBytes: parseBytes(a.active), recommendedBytes: parseBytes(a.recommended) };
    case 'template selection':
    case 'finished setting up runner':
    case 'finished setting up': {
      const name = modelName(a['runner.name'] ?? a.model);
      return name ? { type: 'model_name', at, model: name } : null;
    }
    case 'loaded runners': {
      const n = int(a.count);
      return n === null ? null : { type: 'loaded_runners', at, count: n };
    }
    case 'using mlx backend':
      return { type: 'using_mlx', at, model: modelName(a.model) };
    case 'cache hit':
    case 'cache miss':
    case 'Cache hit':
    case 'Cache miss': {
      const total = int(a.total);
      return total === null ? null : { type: 'mlx_cache', at, total, cached: int(a.cached) };
    }
    case 'peak memory': {
      const bytes = parseBytes(a.size);
      return bytes === null ? null : { type: 'mlx_peak', at, bytes };
    }
    case 'truncating input prompt':
      return { type: 'truncation', at, limit: int(a.limit), prompt: int(a.prompt), detail: `prompt of ${a.prompt ?? '?'} tokens truncated to ${a.new ?? a.limit ?? '?'} (limit ${a.limit ?? '?'})` };
    case 'truncating input messages which exceed context length':
      return { type: 'truncation', at, limit: null, prompt: null, detail: `${a.truncated ?? 'some'} messages dropped to fit the context` };
    case 'context limit hit - shifting':
      return { type: 'context_shift', at, detail: `context limit ${a.limit ?? '?'} hit: discarded ${a.discard ?? '?'} tokens` };
    case 'runtime OOM detected; expiring loaded models to clear memory before next request':
      return { type: 'oom', at, text: (a.error ?? msg).slice(0, 200) };
    default:
      return otherMsg(at, msg, a);
  }
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
