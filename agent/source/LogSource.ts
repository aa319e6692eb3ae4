// What every source of log lines (a file: FileTailer; a journal: JournalTailer) shares: how it is
// started from a resume point, how it hands over batches, and what the agent asks of it.
import type { SourceStatus } from '../../shared/status.js';
import type { TailPosition } from './readPlan.js';
import { splitLines } from './splitLines.js';

/** Complete lines and the position just after them; the position is committed with their rows. */
export interface LineBatch extends TailPosition {
  lines: string[];
  /** Lines longer than 1 MiB among them, stored cut. */
  cut: number;
  /** Bytes known to be still unread after this batch (a file source); how far behind the log it is. */
  behind?: number;
  /**
   * The bytes `lines` were split from (splitLines gives them back exactly), when that is all the
   * batch holds: cheaper to hand to another thread than the strings. Valid only until onBatch returns.
   */
  raw?: Uint8Array;
  /**
   * Set when `lines` was left empty and `raw` holds the batch's lines (FileTailerOptions.unsplit): how
   * many. A consumer that sends the bytes to another thread never pays for strings it does not use.
   */
  unsplit?: number;
}

/** A batch's lines, split from its bytes when they were left unsplit; call before onBatch returns. */
export function linesOf(batch: LineBatch): string[] {
  if (batch.unsplit === undefined || batch.raw === undefined) return batch.lines;
  const raw = batch.raw;
  return splitLines(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), raw.byteLength, 0).lines;
}

/** How many lines a batch holds, split or not. */
export function lineCount(batch: LineBatch): number {
  return batch.unsplit ?? batch.lines.length;
}

export interface SourceOptions {
  /** Where to continue: the resume point saved with the last committed batch. */
  start: TailPosition;
  /** Lines read before this process started, from the resume point. */
  linesRead?: number;
  /** Must persist the batch and its resume point synchronously; a throw leaves the position where it was. */
  onBatch: (batch: LineBatch) => void;
  onStatus?: () => void;
  /** First start only (no resume point yet): `all` (default), `none`, or `Nd`. */
  backfill?: string;
  /** Delay before retrying a failed read or write (and, for a journal, restarting journalctl). */
  retryMs?: number;
}

export interface LogSource {
  start(): Promise<void>;
  /** Finishes the batch in flight (and its resume point) before resolving. */
  stop(): Promise<void>;
  /** The source's side of its status; the ingestor adds what parsing found. */
  status(): Omit<SourceStatus, 'unparsed'>;
}
