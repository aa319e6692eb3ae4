// Messages between PipelineThread (main thread) and pipelineWorker (its thread).
import type { CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
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
  /** `recordsJson` when JSON carries every record unchanged (see jsonSafe), else `records` (cloned). */
  | { type: 'parsed'; records?: CorrelatedRecord[]; recordsJson?: string; stateJson: string; unparsed: number }
  | { type: 'failed'; message: string };
