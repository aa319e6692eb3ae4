// What a source's resume point row keeps in state_json: the pipeline's state, and what the tailer
// needs beyond the resume point's columns (the file's mtime, and the files read before it and how
// far). Written by whichever thread parsed the batch (the ingestor's own pipeline, or the pipeline
// worker while far behind), read back at start.
import { MAX_SEEN, type FileMark } from '../source/readPlan.js';
import { initialPipelineState, type PipelineState } from './LogPipeline.js';

/** The tailer's part of state_json. */
export interface FileState {
  mtimeMs: number | null;
  seen?: FileMark[];
}

export interface SavedState extends PipelineState {
  file?: FileState;
}

/** The tailer's part, from a batch as FileTailer hands it over. */
export function fileState(batch: { mtimeMs?: number | null; seen?: FileMark[] }): FileState {
  const mtimeMs = batch.mtimeMs ?? null;
  return batch.seen && batch.seen.length > 0 ? { mtimeMs, seen: batch.seen } : { mtimeMs };
}

/** Samples of unrecognised lines stay in memory: an unknown line could hold text from a prompt. */
export function saveState(state: PipelineState, file: FileState): string {
  return JSON.stringify({ ...state, samples: [], file } satisfies SavedState);
}

/** Marks as saved; anything else (an older build, a damaged value) is dropped, never trusted. */
function seenMarks(value: unknown): FileMark[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((m): m is FileMark => {
      const r = m as Partial<FileMark> | null;
      return typeof r?.identity === 'string' && typeof r.fingerprint === 'string' && Number.isSafeInteger(r.offset) && r.offset! >= 0;
    })
    .slice(0, MAX_SEEN);
}

/** A resume point from an older build (or damaged) restarts the pipeline's state, never the offset. */
export function restoreState(json: string | null): { pipeline: PipelineState; mtimeMs: number | null; seen: FileMark[] } {
  const fresh = initialPipelineState();
  if (!json) return { pipeline: fresh, mtimeMs: null, seen: [] };
  try {
    const { file, ...saved } = JSON.parse(json) as Partial<SavedState>;
    const mtimeMs = typeof file?.mtimeMs === 'number' ? file.mtimeMs : null;
    const seen = seenMarks(file?.seen);
    if (!saved.correlator || !saved.logical) return { pipeline: fresh, mtimeMs, seen };
    return { pipeline: { ...fresh, ...saved, correlator: { ...fresh.correlator, ...saved.correlator } }, mtimeMs, seen };
  } catch {
    return { pipeline: fresh, mtimeMs: null, seen: [] };
  }
}
