// What the user told the agent to expect (docs/records.md, MLX expectation and context alert); the live agent and
// `analyze` take them from the one config schema.
import type { KvModelFacts, KvSnapshot } from './kvFacts.js';

export interface CorrelatorOptions {
  /** Model name globs expected on MLX (`qwen3.5:*`). */
  expectMlx: string[];
  /**
   * `context_near_limit` fires at min(tokens, ratio × context limit), and when a request's KV cache
   * fill reaches the ratio.
   */
  contextAlertTokens: number;
  contextAlertRatio: number;
  /** The live agent's view of a model's KV geometry; absent in `analyze` (the log alone). */
  kvModel?: (model: string | null, blob: string | null, atMs: number) => KvModelFacts | null;
  /** The same as data, for the pipeline thread, which cannot call kvModel (kvFacts.ts). */
  kvSnapshot?: () => KvSnapshot;
}

export const DEFAULT_CORRELATOR_OPTIONS: CorrelatorOptions = {
  expectMlx: [],
  contextAlertTokens: 90_000,
  contextAlertRatio: 0.85,
};

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** A tag that names an MLX build (`qwen3:8b-mlx`, `…-mlx-4bit`): expecting MLX (docs/records.md#mlx-expectation). */
const MLX_TAG = /:.*\bmlx\b/i;

/** Compiled once: this is asked for every inference request. */
export function mlxMatcher(globs: string[]): (model: string | null) => boolean {
  const res = globs.map(globToRegExp);
  const test = (model: string | null): boolean =>
    model !== null && (MLX_TAG.test(model) || res.some((r) => r.test(model) || r.test(model.replace(/:latest$/, ''))));
  // Requests come in runs for the same model (the same string, from its load): answer those from memory.
  let lastModel: string | null = null;
  let lastAnswer = false;
  return (model) => {
    if (model !== lastModel || model === null) {
      lastAnswer = test(model);
      lastModel = model;
    }
    return lastAnswer;
  };
}
