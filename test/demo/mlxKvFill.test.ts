// The demo's first story shows memory per request: its MLX requests print `peak memory` lines that
// grow with the conversation, and one conversation fills the KV cache past the alert ratio (0.85)
// within the first minute, which the agent flags as context_near_limit. Through the real pipeline,
// with the model's geometry as the fake API's /api/show gives it and the context /api/ps lists.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORRELATOR_OPTIONS, type CorrelatorOptions } from '../../agent/correlate/options.js';
import type { CorrelatedRecord } from '../../agent/correlate/records.js';
import { showBody } from '../../agent/demo/fakeOllama.js';
import { QWEN_MLX } from '../../agent/demo/models.js';
import { scenario } from '../../agent/demo/scenario.js';
import { createDemoState } from '../../agent/demo/state.js';
import { kvGeometry } from '../../agent/kv/kvGeometry.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';

const START = new Date('2026-11-26T07:00:00.000Z');
const SEEDS = [1, 2, 5, 7, 42, 169];

describe.each(SEEDS)('demo: memory per MLX request (seed %i)', (seed) => {
  const state = createDemoState();
  const geometry = kvGeometry(showBody(QWEN_MLX).model_info)!;
  // The context the fake /api/ps lists for the MLX model while it is loaded (what the live agent reads).
  let listedCtx: number | null = null;
  const opts: CorrelatorOptions = {
    ...DEFAULT_CORRELATOR_OPTIONS,
    kvModel: (model) =>
      model === QWEN_MLX.name && listedCtx !== null ? { geometry, cacheType: 'f16', ctx: listedCtx, parallel: 1 } : null,
  };
  const pipeline = new LogPipeline(undefined, opts);
  const out: CorrelatedRecord[] = [];
  let first: number | null = null;
  for (const step of scenario({ start: START, offset: 'Z', seed, state })) {
    if (step.serverStart && first !== null) break;
    for (const line of step.lines) {
      first ??= Date.parse(/^time=(\S+)/.exec(line)?.[1] ?? '');
      listedCtx = state.loaded.find((l) => l.model.name === QWEN_MLX.name)?.contextLength ?? listedCtx;
      pipeline.push(line, out);
    }
  }
  const requests = out.flatMap((r) => (r.kind === 'request' && r.record.backend === 'mlx' ? [r.record] : []));
  const flagged = out.flatMap((r) =>
    r.kind === 'incident' && r.record.kind === 'context_near_limit' && /KV cache/.test(r.record.detail) ? [r.record] : [],
  );

  it('each MLX request states its peak memory, growing with the first conversation', () => {
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.every((r) => r.peakMemoryBytes !== null && r.peakMemoryBytes > QWEN_MLX.sizeBytes)).toBe(true);
    const opening = requests.slice(0, 3).map((r) => r.peakMemoryBytes!);
    expect(opening).toEqual([...opening].sort((a, b) => a - b));
    expect(new Set(opening).size).toBe(opening.length);
  });

  it('one conversation fills the KV cache past the ratio within the first minute, and is flagged', () => {
    const full = requests.find((r) => r.kvFill !== null && r.kvFill >= DEFAULT_CORRELATOR_OPTIONS.contextAlertRatio);
    expect(full).toBeDefined();
    expect(full!.ts - first!).toBeLessThan(60_000);
    expect(full!.kvBytes).toBe(32_768 * 20 * 1024);
    expect(flagged.some((i) => i.requestKey === full!.key)).toBe(true);
  });
});
