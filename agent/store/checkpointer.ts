// Issue 9: "nothing blocks ingestion for more than a few ms". With SQLite's automatic checkpoint,
// whichever commit takes the WAL past 1000 pages copies it back into the database file, fsyncs
// included, on the event loop (tens of ms on a slow disk). The checkpointer leaves that to a worker
// thread with a connection of its own (see walCheckpoint.ts for why it only runs PASSIVE).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { errorText, log } from '../log.js';
import { packageRoot } from '../version.js';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpointProtocol.js';
import { checkpoint } from './walCheckpoint.js';

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

export interface CheckpointerOptions {
  /** How often the worker looks at the WAL; a look costs next to nothing (checkpoint NOOP). */
  intervalMs?: number;
  /** Frames awaiting a checkpoint before the worker makes one, and in the WAL before pause() waits for it. */
  pages?: number;
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
   * Call once the agent has stopped writing: ends the thread after a last TRUNCATE, and the main
   * connection checkpoints by itself again.
   */
  stop(): Promise<void>;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A worker thread cannot load TypeScript: under vitest this module runs from its source, so the
// worker comes from the build (npm test builds first).
function defaultWorkerFile(): URL {
  const sibling = new URL('./checkpointWorker.js', import.meta.url);
  if (existsSync(sibling)) return sibling;
  return pathToFileURL(join(packageRoot(), 'dist', 'agent', 'store', 'checkpointWorker.js'));
}

export function startCheckpointer(db: Database, options: CheckpointerOptions = {}): Checkpointer {
  const data: CheckpointWorkerData = {
    dbPath: db.name,
    // Well under a second: the sooner the worker catches up after a burst, the sooner the WAL can start over.
    intervalMs: options.intervalMs ?? 250,
    pages: options.pages ?? AUTOCHECKPOINT_PAGES,
  };
  const restoreAutocheckpoint = (): void => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  const fallBack = (why: string): void => {
    log.error(`WAL checkpointer ${why}; checkpoints run on the main thread again`);
    restoreAutocheckpoint();
  };

  db.pragma(`wal_autocheckpoint = ${options.backstopPages ?? BACKSTOP_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  let worker: Worker;
  try {
    worker = new Worker(options.workerFile ?? defaultWorkerFile(), { workerData: data });
  } catch (err) {
    fallBack(`could not start: ${errorText(err)}`);
    return { pause: turn, stop: async () => {} };
  }
  let stopRequested = false;
  let gone = false;
  let lastError: string | null = null;
  /** Set while pause() waits for the worker's catch-up round. */
  let caughtUp: (() => void) | null = null;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      gone = true;
      caughtUp?.();
      if (!stopRequested) fallBack(`stopped: ${lastError ?? `thread exited with code ${code}`}`);
      resolve();
    });
  });
  worker.on('error', (err: unknown) => {
    // An error thrown in the thread arrives cloned: a SqliteError as a plain object with only its code.
    const { message, code } = (err ?? {}) as { message?: unknown; code?: unknown };
    lastError = typeof message === 'string' ? message : typeof code === 'string' ? code : errorText(err);
    if (stopRequested) log.warn(`WAL checkpointer: ${lastError}`);
  });
  worker.on('message', (m: FromCheckpointWorker) => {
    switch (m.type) {
      case 'checkpoint':
        if (log.enabled('debug')) log.debug(`WAL checkpoint ${m.mode}: ${m.checkpointed} of ${m.log} frames${m.busy ? ' (busy)' : ''}`);
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
  worker.unref();

  const catchUp = (): Promise<void> =>
    new Promise<void>((resolve) => {
      // A round stuck on a slow disk must not hold retention up for long.
      const timer = setTimeout(done, 1000);
      function done(): void {
        clearTimeout(timer);
        caughtUp = null;
        resolve();
      }
      caughtUp = done;
      worker.postMessage({ type: 'catchUp' } satisfies ToCheckpointWorker);
    });

  let stopping: Promise<void> | null = null;
  return {
    pause: async () => {
      await turn();
      if (gone || stopRequested || caughtUp || !db.open) return;
      const wal = checkpoint(db, 'NOOP');
      if (wal.busy || wal.log < data.pages) return;
      await catchUp();
    },
    stop: () =>
      (stopping ??= (async () => {
        if (!gone) {
          stopRequested = true;
          // The last checkpoint must finish before the process exits.
          worker.ref();
          worker.postMessage({ type: 'stop' } satisfies ToCheckpointWorker);
          const timeoutMs = options.stopTimeoutMs ?? 5000;
          const timer = setTimeout(() => {
            log.warn(`WAL checkpointer did not stop within ${timeoutMs} ms; terminating it`);
            void worker.terminate();
          }, timeoutMs);
          await exited;
          clearTimeout(timer);
        }
        restoreAutocheckpoint();
      })()),
  };
}
