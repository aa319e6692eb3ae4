// What a source's checkpoint row keeps in state_json: the pipeline's state, and what the tailer
// needs beyond the checkpoint's columns. Written by whichever thread parsed the batch (the
// ingestor's own pipeline, or the pipeline worker while far behind), read back at start.
import { initialPipelineState, type PipelineState } from './LogPipeline.js';

export interface SavedState extends PipelineState {
  file?: { mtimeMs: number | null };
}

/** Samples of unrecognised lines stay in memory: an unknown line could hold text from a prompt. */
export function saveState(state: PipelineState, mtimeMs: number | null | undefined): string {
  return JSON.stringify({ ...state, samples: [], file: { mtimeMs: mtimeMs ?? null } } satisfies SavedState);
}

/** A checkpoint from an older build (or damaged) restarts the pipeline's state, never the offset. */
export function restoreState(json: string | null): { pipeline: PipelineState; mtimeMs: number | null } {
  const fresh = initialPipelineState();
  if (!json) return { pipeline: fresh, mtimeMs: null };
  try {
    const { file, ...saved } = JSON.parse(json) as Partial<SavedState>;
    const mtimeMs = typeof file?.mtimeMs === 'number' ? file.mtimeMs : null;
    if (!saved.correlator || !saved.logical) return { pipeline: fresh, mtimeMs };
    return { pipeline: { ...fresh, ...saved, correlator: { ...fresh.correlator, ...saved.correlator } }, mtimeMs };
  } catch {
    return { pipeline: fresh, mtimeMs: null };
  }
}
