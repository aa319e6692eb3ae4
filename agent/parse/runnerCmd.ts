// Runner command lines, all eras: `…/runners/metal/ollama_llama_server --model … --ctx-size 8192
// --parallel 2` (B), `/usr/bin/ollama runner [--ollama-engine] --model … --ctx-size … --n-gpu-layers …`
// (C/D), `ollama runner [--ollama-engine] --model … --port N` (E: sizes come later over HTTP),
// `…/llama-server --model … -c 131072 -np 1 [-ngl 0] [--cache-type-k q8_0]` (F). A cmd without
// `--model` is GPU discovery, not a load.
import type { LineEvent } from './events.js';
import { blobDigest } from './modelRef.js';

const VARIANT = /[\\/]runners[\\/]([a-z]+)|[\\/](cuda|rocm|metal|cpu|vulkan|oneapi)_v?[\w.]*[\\/]ollama_llama_server/i;

/** The variant directory a runner binary or library sits in (`runners/cuda_v11/`), lowercased. */
export function runnerVariant(path: string): string | null {
  const variant = VARIANT.exec(path);
  return variant ? (variant[1] ?? variant[2] ?? '').toLowerCase() || null : null;
}

export function parseRunnerCmd(at: string | null, cmd: string): LineEvent | null {
  const args = cmd.split(/\s+/);
  const flag = (...names: string[]): string | null => {
    for (let i = 0; i < args.length - 1; i++) if (names.includes(args[i]!)) return args[i + 1]!;
    return null;
  };
  const model = flag('--model', '-m');
  if (model === null) return null;
  const num = (...names: string[]): number | null => {
    const v = flag(...names);
    return v !== null && /^-?\d+$/.test(v) ? Number(v) : null;
  };
  return {
    type: 'runner_cmd',
    at,
    engine: args.includes('--ollama-engine') ? 'ollama-engine' : 'llama.cpp',
    blob: blobDigest(model),
    ctxSize: num('--ctx-size', '-c'),
    parallel: num('--parallel', '-np'),
    gpuLayers: num('--n-gpu-layers', '-ngl', '--gpu-layers'),
    kvType: flag('--cache-type-k', '-ctk'),
    library: runnerVariant(cmd),
  };
}
