// Nothing may block ingestion for more than a few ms (docs/quality-bars.md). With SQLite's automatic
// checkpoint, whichever commit takes the WAL past 1000 pages copies it back into the database file, fsyncs
// included, on the event loop (tens of ms on a slow disk). The checkpointer leaves that to a worker
// thread with a connection of its own (see walCheckpoint.ts for why it only runs PASSIVE). The thread
// costs ~10 MB of RSS and a little CPU (the agent idles under 80 MB and 1 %), so it runs only while there is
// WAL to copy: it ends after idleMs with nothing to do, and the main thread starts it again when the
// WAL has grown (a NOOP checkpoint each watchMs reads two counters).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { errorText, log } from '../../log.js';
import { packageRoot } from '../../version.js';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpointProtocol.js';
import { checkpoint, type CheckpointResult } from './walCheckpoint.js';

/** SQLite's default, restored whenever no worker checkpoints. */
export const AUTOCHECKPOINT_PAGES = 1000;

/**
 * The main connection's own automatic checkpoint while the worker runs: a backstop, not off. A
 * PASSIVE checkpoint cannot finish while the main thread keeps writing, and the WAL only starts over
 * when a write finds it fully copied; without a backstop a long burst of writes grows it for as long
 * as the burst lasts (1 GB for a retention pass in bench/retention.mjs without pause()). At this size
 * the main thread copies what the worker has not yet, which takes a while (100–200 ms measured), and
 * the WAL starts over. Ingestion with its gaps, and retention through pause(), stay far below it.
 */
export const BACKSTOP_PAGES = 16 * AUTOCHECKPOINT_PAGES;

/**
 * Checkpoints never shrink the WAL file; SQLite cuts it back to this when it starts over. Above what
 * the backstop lets it reach (16,000 frames of 4 KB), because cutting it inside each cycle of a burst
 * costs the commit that starts it over tens of ms more.
 */
export const WAL_SIZE_LIMIT_BYTES = 80 * 1024 * 1024;

/**
 * The thread holds a connection and a timer, nothing more: V8's default young generation (16 MB
 * semi-spaces) would still be grown into. Exceeding this ends the thread, and the fallback applies.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };

export interface CheckpointerOptions {
  /** How often the worker looks at the WAL; a look costs next to nothing (checkpoint NOOP). */
  intervalMs?: number;
  /** Frames awaiting a checkpoint before the worker makes one (or is started), and in the WAL before pause() waits for it. */
  pages?: number;
  /** How long the worker runs with nothing to copy before it ends. */
  idleMs?: number;
  /** How often the main thread looks whether a worker is needed while none runs. */
  watchMs?: number;
  /** The main connection's wal_autocheckpoint while the worker runs (0: none). */
  backstopPages?: number;
  /** How long stop() waits for the last checkpoint before it terminates the thread. */
  stopTimeoutMs?: number;
  /** Tests start a worker that fails. */
  workerFile?: URL;
}

export interface Checkpointer {
  /**
   * For a task that writes in a long run of chunks (retention) to await between them: a turn of the
   * event loop and, once the WAL has grown, the time for the worker to copy all of it, so that the
   * next chunk starts the WAL over instead of leaving the main connection's backstop to catch up.
   */
  pause(): Promise<void>;
  /**
   * Call once the agent has stopped writing: ends the thread, leaves the WAL empty (a last TRUNCATE)
   * and the main connection checkpoints by itself again.
   */
  stop(): Promise<void>;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A worker thread cannot load TypeScript: under vitest this module runs from its source, so the
// worker comes from the build (npm test builds first).
function defaultWorkerFile(): URL {
  const sibling = new URL('./checkpointWorker.js', import.meta.url);
  if (existsSync(sibling)) return sibling;
  return pathToFileURL(join(packageRoot(), 'dist', 'agent', 'store', 'wal', 'checkpointWorker.js'));
}

export function startCheckpointer(db: Database, options: CheckpointerOptions = {}): Checkpointer {
  const data: CheckpointWorkerData = {
    dbPath: db.name,
    // Well under a second: the sooner the worker catches up after a burst, the sooner the WAL can start over.
    intervalMs: options.intervalMs ?? 250,
    pages: options.pages ?? AUTOCHECKPOINT_PAGES,
    idleMs: options.idleMs ?? 10_000,
  };
  const logResult = (r: CheckpointResult): void => {
    if (log.enabled('debug')) log.debug(`WAL checkpoint ${r.mode}: ${r.checkpointed} of ${r.log} frames${r.busy ? ' (busy)' : ''}`);
  };
  const restoreAutocheckpoint = (): void => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  /** Set once a worker has failed: the main connection checkpoints by itself from then on. */
  let failed = false;
  const fallBack = (why: string): void => {
    failed = true;
    log.error(`WAL checkpointer ${why}; checkpoints run on the main thread again`);
    restoreAutocheckpoint();
  };

  db.pragma(`wal_autocheckpoint = ${options.backstopPages ?? BACKSTOP_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);

  let stopRequested = false;
  let truncated = false;
  let worker: Worker | null = null;
  /** Resolves when the running worker has exited. */
  let exited: Promise<void> = Promise.resolve();
  /** Set while pause() waits for the worker's catch-up round. */
  let caughtUp: (() => void) | null = null;

  const spawn = (): Worker | null => {
    let w: Worker;
    try {
      w = new Worker(options.workerFile ?? defaultWorkerFile(), { workerData: data, resourceLimits: WORKER_LIMITS });
    } catch (err) {
      fallBack(`could not start: ${errorText(err)}`);
      return null;
    }
    let lastError: string | null = null;
    exited = new Promise<void>((resolve) => {
      w.once('exit', (code) => {
        worker = null;
        caughtUp?.();
        // Code 0 without stop(): it ended itself, idle; the watch starts it again when needed.
        if (!stopRequested && (code !== 0 || lastError !== null)) fallBack(`stopped: ${lastError ?? `thread exited with code ${code}`}`);
        else if (log.enabled('debug') && !stopRequested) log.debug('WAL checkpointer idle: thread ended');
        resolve();
      });
    });
    w.on('error', (err: unknown) => {
      // An error thrown in the thread arrives cloned: a SqliteError as a plain object with only its code.
      const { message, code } = (err ?? {}) as { message?: unknown; code?: unknown };
      lastError = typeof message === 'string' ? message : typeof code === 'string' ? code : errorText(err);
      if (stopRequested) log.warn(`WAL checkpointer: ${lastError}`);
    });
    w.on('message', (m: FromCheckpointWorker) => {
      switch (m.type) {
        case 'checkpoint':
          if (m.mode === 'TRUNCATE') truncated = true;
          logResult(m);
          break;
        case 'failing':
          log.warn(`WAL checkpoint failed: ${m.message}${m.code ? ` (${m.code})` : ''}; retrying`);
          break;
        case 'recovered':
          log.info('WAL checkpoints succeed again');
          break;
        case 'caughtUp':
          caughtUp?.();
          break;
      }
    });
    // Only stop() may hold the process open for it; otherwise it ends with the main thread. After the
    // listeners: adding a 'message' listener refs the worker again.
    w.unref();
    worker = w;
    return w;
  };

  /** Frames not yet in the database file, or null when a checkpoint is busy or the database closed. */
  const pending = (): { log: number; waiting: number } | null => {
    if (!db.open) return null;
    const s = checkpoint(db, 'NOOP');
    return s.busy ? null : { log: s.log, waiting: s.log - s.checkpointed };
  };

  // The agent starts with a backfill, usually: the worker starts with it.
  spawn();
  const watch = setInterval(() => {
    if (worker || failed || stopRequested) return;
    const wal = pending();
    if (wal && wal.waiting >= data.pages) spawn();
  }, options.watchMs ?? 1000);
  watch.unref();

  const catchUp = (w: Worker): Promise<void> =>
    new Promise<void>((resolve) => {
      // A round stuck on a slow disk must not hold retention up for long.
      const timer = setTimeout(done, 1000);
      function done(): void {
        clearTimeout(timer);
        caughtUp = null;
        resolve();
      }
      caughtUp = done;
      w.postMessage({ type: 'catchUp' } satisfies ToCheckpointWorker);
    });

  let stopping: Promise<void> | null = null;
  return {
    pause: async () => {
      await turn();
      if (failed || stopRequested || caughtUp) return;
      const wal = pending();
      if (!wal || wal.log < data.pages) return;
      const w = worker ?? spawn();
      if (w) await catchUp(w);
    },
    stop: () =>
      (stopping ??= (async () => {
        stopRequested = true;
        clearInterval(watch);
        const w = worker;
        if (w) {
          // The last checkpoint must finish before the process exits.
          w.ref();
          w.postMessage({ type: 'stop' } satisfies ToCheckpointWorker);
          const timeoutMs = options.stopTimeoutMs ?? 5000;
          const timer = setTimeout(() => {
            log.warn(`WAL checkpointer did not stop within ${timeoutMs} ms; terminating it`);
            void w.terminate();
          }, timeoutMs);
          await exited;
          clearTimeout(timer);
        }
        // No worker ran (idle, or failed), or it ended before its TRUNCATE: the writers have stopped,
        // so the main connection can take the write lock for it now.
        if (!truncated && db.open) {
          try {
            logResult(checkpoint(db, 'TRUNCATE'));
          } catch (err) {
            log.warn(`WAL checkpoint at stop failed: ${errorText(err)}`);
          }
        }
        restoreAutocheckpoint();
      })()),
  };
}
