// Messages between PipelineThread (main thread) and pipelineWorker (its thread).
import type { CorrelatorOptions } from '../correlate/options.js';
import type { PipelineState } from './LogPipeline.js';
import type { FileState } from './savedState.js';

export interface PipelineWorkerData {
  opts: CorrelatorOptions;
}

export type ToPipelineWorker =
  /** Continue from this state (the one committed with the source's resume point). */
  | { type: 'reset'; state: PipelineState }
  /** Lines, or the bytes splitLines makes them from (transferred, not copied). */
  | { type: 'batch'; lines: string[] | Uint8Array; file: FileState };

/** One answer per batch, in the order the batches were sent. */
export type FromPipelineWorker =
  /** The batch's records as recordCodec encodes them. */
  { type: 'parsed'; encoded: Uint8Array; stateJson: string; unparsed: number } | { type: 'failed'; message: string };
