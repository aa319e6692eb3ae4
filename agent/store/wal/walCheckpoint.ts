// One round of WAL upkeep, run on the checkpointer's worker thread with its own connection.
//
// Only PASSIVE runs while the agent does. FULL, RESTART and TRUNCATE take the write lock, and the
// agent's transactions are deferred (they read, then write): one that asks for the write lock while
// another connection holds it fails at once with SQLITE_BUSY, whatever the busy timeout, because
// waiting could deadlock. (TRUNCATE even fails them after it is done: it rewrites the WAL header, so
// their snapshot is stale.) PASSIVE takes no lock a writer needs.
import type { Database } from 'better-sqlite3';

// NOOP (SQLite 3.51+, bundled with better-sqlite3 12) only reports; an older SQLite would run a
// PASSIVE checkpoint for it instead, i.e. one each round: more fsyncs, same safety.
export type CheckpointMode = 'NOOP' | 'PASSIVE' | 'TRUNCATE';

export interface CheckpointResult {
  mode: CheckpointMode;
  /** Another checkpoint, a reader or a writer kept this one from finishing; the next round tries again. */
  busy: boolean;
  /** Frames in the WAL, and how many of them are in the database file. */
  log: number;
  checkpointed: number;
}

export function checkpoint(db: Database, mode: CheckpointMode): CheckpointResult {
  const row = (db.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[])[0]!;
  return { mode, busy: row.busy !== 0, log: row.log, checkpointed: row.checkpointed };
}

/** A PASSIVE checkpoint once `pages` frames await one (what wal_autocheckpoint counts); null below that. */
export function tidyWal(db: Database, pages: number): CheckpointResult | null {
  const state = checkpoint(db, 'NOOP');
  if (state.busy || state.log - state.checkpointed < pages) return null;
  return checkpoint(db, 'PASSIVE');
}
