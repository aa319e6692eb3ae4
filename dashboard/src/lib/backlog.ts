// How far a log source's backlog (a first start's backfill, a burst) has been read: the backlog seen
// first is the whole, what is left is the source's `lagBytes` (the file being read plus the newer ones
// queued after it). Percent, rate and time left for the status strip's progress bar.
import type { SourceStatus } from '../../../shared/status.js';
import { progressOf, progressWords, type Progress } from '../../../shared/progress.js';

/** Below this the source is caught up (the strip says so): no bar. */
export const BACKLOG_BAR_BYTES = 1024 * 1024;

interface Start {
  at: number;
  /** The largest backlog seen since it began. */
  total: number;
}

export interface BacklogView {
  progress: Progress;
  words: string;
}

export class BacklogTracker {
  private readonly starts = new Map<string, Start>();

  /** The progress of each source behind by a megabyte or more, keyed by path. */
  update(sources: readonly SourceStatus[], now: number): Map<string, BacklogView> {
    const out = new Map<string, BacklogView>();
    for (const s of sources) {
      const lag = s.state === 'following' ? s.lagBytes : null;
      if (lag === null || lag < BACKLOG_BAR_BYTES) {
        this.starts.delete(s.path);
        continue;
      }
      let start = this.starts.get(s.path);
      if (!start) this.starts.set(s.path, (start = { at: now, total: lag }));
      // A file that grows while being read (or a rotation found late) enlarges the whole.
      start.total = Math.max(start.total, lag);
      const progress = progressOf(start.total - lag, start.total, now - start.at);
      out.set(s.path, { progress, words: progressWords(progress) });
    }
    return out;
  }
}
