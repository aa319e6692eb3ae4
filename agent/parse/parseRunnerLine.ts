// Runner lines, dispatched on `msg` (never on `source=file.go:NN`), plus the llama.cpp/llama-server
// raw output that tells which runner was busy. Pure.
import type { RunnerEvent } from './events.js';
import type { SlogLine } from './parseSlog.js';

/** Ollama logs GGUF models by blob path; only a real model name is kept, the digest is resolved later. */
function modelName(value: string | undefined): string | null {
  if (!value || value.includes('/blobs/') || value.includes('\\blobs\\')) return null;
  return value.replace(/^registry\.ollama\.ai\/library\//, '');
}

export function runnerEventFromSlog(s: SlogLine): RunnerEvent | null {
  const at = s.time;
  switch (s.msg) {
    case 'inference compute':
      return s.attrs.library ? { type: 'gpu_library', at, library: s.attrs.library } : null;
    case 'starting mlx runner subprocess':
      return { type: 'runner_start', at, engine: 'mlx', model: modelName(s.attrs.model) };
    case 'MLX engine initialized':
      return s.attrs.device ? { type: 'mlx_device', at, device: s.attrs.device } : null;
    case 'stopping mlx runner subprocess':
      return { type: 'runner_stop', at, engine: 'mlx' };
    case 'using llama-server for model':
      return { type: 'runner_start', at, engine: 'llama.cpp', model: modelName(s.attrs.model) };
    case 'llama-server terminated':
      return { type: 'runner_stop', at, engine: 'llama.cpp' };
    case 'using mlx backend':
      return { type: 'using_mlx', at, model: modelName(s.attrs.model) };
    default:
      return null;
  }
}

const OFFLOADED = /^(?:llm_)?load_tensors: offloaded (\d+)\/(\d+) layers to GPU/;

export function runnerEventFromRaw(line: string): RunnerEvent | null {
  if (line.startsWith('slot ')) return { type: 'llama_server_activity' };
  const m = OFFLOADED.exec(line);
  return m ? { type: 'offloaded', gpuLayers: Number(m[1]), totalLayers: Number(m[2]) } : null;
}
