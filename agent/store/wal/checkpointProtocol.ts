// What the checkpointer (main thread) and its worker thread say to each other.
import type { CheckpointResult } from './walCheckpoint.js';

export interface CheckpointWorkerData {
  dbPath: string;
  intervalMs: number;
  /** Frames awaiting a checkpoint before a round makes one. */
  pages: number;
  /** The worker ends itself after this long with nothing to copy (the main thread starts another when needed). */
  idleMs: number;
}

/** catchUp: copy the whole WAL now, then say caughtUp. */
export type ToCheckpointWorker = { type: 'stop' } | { type: 'catchUp' };

export type FromCheckpointWorker =
  | ({ type: 'checkpoint' } & CheckpointResult)
  | { type: 'failing'; message: string; code: string | null }
  | { type: 'recovered' }
  | { type: 'caughtUp' };
