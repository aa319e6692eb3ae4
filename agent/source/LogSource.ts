import type { SourceStatus } from '../../shared/types.js';

/** What the agent needs of a source of log lines: a file (FileTailer) or a journal (JournalTailer). */
export interface LogSource {
  start(): Promise<void>;
  /** Finishes the batch in flight (and its checkpoint) before resolving. */
  stop(): Promise<void>;
  /** The source's side of its status; the ingestor adds what parsing found. */
  status(): Omit<SourceStatus, 'unparsed'>;
}
