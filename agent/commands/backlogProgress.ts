// On a terminal, while the agent reads a large backlog (a first start on a big log), a progress line
// with percent, rate and time left on stderr; it disappears once the agent has caught up.
import type { SourceStatus } from '../../shared/status.js';
import { TerminalProgress } from '../terminalProgress.js';

/** A backlog smaller than this is read before a bar is worth drawing. */
const FROM_BYTES = 8 * 1024 ** 2;
const CAUGHT_UP_BYTES = 64 * 1024;

/** Returns a function that stops watching. */
export function showBacklogProgress(sources: () => SourceStatus[], stream: NodeJS.WriteStream = process.stderr): () => void {
  if (stream.isTTY !== true) return () => undefined;
  let progress: TerminalProgress | null = null;
  let total = 0;
  const timer = setInterval(() => {
    const lag = sources().reduce((n, s) => n + (s.state === 'following' ? (s.lagBytes ?? 0) : 0), 0);
    if (progress === null) {
      if (lag < FROM_BYTES) return;
      progress = new TerminalProgress('reading the log', stream);
    }
    total = Math.max(total, lag);
    if (lag < CAUGHT_UP_BYTES) {
      progress.done();
      progress = null;
      total = 0;
      return;
    }
    progress.update(total - lag, total);
  }, 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    progress?.done();
  };
}
