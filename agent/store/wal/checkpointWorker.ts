// The checkpointer's thread (started by checkpointer.ts): copying the WAL back into the database
// file, and the fsyncs that come with it, happen here instead of inside a commit on the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpointProtocol.js';
import { reportChanges } from './checkpointFailures.js';
import { checkpoint, tidyWal } from './walCheckpoint.js';

const port = parentPort;
if (!port) throw new Error('checkpointWorker runs as a worker thread');
const data = workerData as CheckpointWorkerData;
const send = (m: FromCheckpointWorker): void => port.postMessage(m);

// No migrations or settings that belong to the main connection: this one only checkpoints. PASSIVE
// never waits on the busy timeout; only the last TRUNCATE does.
const db = (() => {
  try {
    return new Database(data.dbPath, { fileMustExist: true });
  } catch (err) {
    // A SqliteError reaches the main thread as just its code; an Error keeps its message.
    const code = (err as { code?: unknown }).code;
    throw new Error(
      `cannot open ${data.dbPath}: ${err instanceof Error ? err.message : String(err)}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: err },
    );
  }
})();
db.pragma('busy_timeout = 2000');

const guarded = reportChanges(send);

let idleFor = 0;
const end = (): void => {
  clearInterval(timer);
  db.close();
  port.close();
};

const timer = setInterval(() => {
  let copied = false;
  let failed = true;
  guarded(() => {
    const done = tidyWal(db, data.pages);
    if (done) send({ type: 'checkpoint', ...done });
    copied = done !== null;
    failed = false;
  });
  // A failing round (a full disk) is work left to do, not idleness: the thread stays and retries.
  idleFor = copied || failed ? 0 : idleFor + data.intervalMs;
  // A thread kept for nothing costs memory and wake-ups; the main thread starts another when the WAL grows.
  if (idleFor >= data.idleMs) end();
}, data.intervalMs);

port.on('message', (m: ToCheckpointWorker) => {
  if (m.type === 'catchUp') {
    // Whatever the threshold: pause() holds retention's writes back until this round is done.
    guarded(() => send({ type: 'checkpoint', ...checkpoint(db, 'PASSIVE') }));
    idleFor = 0;
    send({ type: 'caughtUp' });
    return;
  }
  // stop() comes once the agent's writers have stopped, so this TRUNCATE cannot catch a main-thread
  // transaction midway (see walCheckpoint.ts).
  guarded(() => send({ type: 'checkpoint', ...checkpoint(db, 'TRUNCATE') }));
  end();
});
