// Messages between PipelineThread (main thread) and pipelineWorker (its thread).
import type { KvSnapshot } from '../correlate/kvFacts.js';
import type { CorrelatorOptions } from '../correlate/options.js';
import type { PipelineState } from './LogPipeline.js';
import type { EncodedRecords } from './recordCodec.js';
import type { FileState } from './savedState.js';

export interface PipelineWorkerData {
  /** Data only: kvModel comes with each batch as a snapshot (a function cannot cross to a thread). */
  opts: Omit<CorrelatorOptions, 'kvModel' | 'kvSnapshot'>;
}

export type ToPipelineWorker =
  /** Continue from this state (the one committed with the source's resume point). */
  | { type: 'reset'; state: PipelineState }
  /**
   * Lines, or the bytes splitLines makes them from (transferred, not copied), and what the live agent
   * knows of KV caches as it parses them (null in `analyze` and tests without it).
   */
  | { type: 'batch'; lines: string[] | Uint8Array; file: FileState; kv: KvSnapshot | null };

/**
 * After 'ready', one answer per batch, in the order the batches were sent. `buffer` gives a batch's bytes back
 * (transferred again) for the next batch to be copied into: a buffer already in memory takes a copy
 * in a fraction of the time a new one does.
 */
export type FromPipelineWorker =
  /** Once, first: the thread has loaded its code and takes batches without delay. */
  | { type: 'ready'; buffer?: undefined }
  | ((
      | /** The batch's records as recordCodec encodes them. */ {
          type: 'parsed';
          encoded: EncodedRecords;
          stateJson: string;
          unparsed: number;
        }
      | { type: 'failed'; message: string }
    ) & { buffer?: ArrayBuffer });
