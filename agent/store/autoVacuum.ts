// Incremental vacuum lets the retention task hand freed pages back to the OS a few at a time
// (`PRAGMA incremental_vacuum(N)`). The mode must be chosen before the first table is created; an
// existing database only switches on a full VACUUM, which rewrites the file and blocks everything
// meanwhile, so that is done once at start and only for a small file.
import type { Database } from 'better-sqlite3';
import { errorText, log } from '../log.js';

/** Above this an existing database is not rewritten at start (roughly a second or two of VACUUM). */
export const VACUUM_CONVERT_LIMIT_BYTES = 200 * 1024 * 1024;

export type AutoVacuumState = 'incremental' | 'converted' | 'too-large' | 'failed';

/** Call on a new connection before anything else: a database without tables yet is created incremental. */
export function requestIncrementalVacuum(db: Database): void {
  db.pragma('auto_vacuum = INCREMENTAL');
}

/** Call once migrated: converts a small existing database that predates incremental vacuum. */
export function ensureIncrementalVacuum(db: Database, limitBytes = VACUUM_CONVERT_LIMIT_BYTES): AutoVacuumState {
  if (db.pragma('auto_vacuum', { simple: true }) === 2) return 'incremental';
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  if (bytes >= limitBytes) {
    log.info(
      `database is ${(bytes / 1048576).toFixed(0)} MB without incremental vacuum: space freed by retention is reused but not ` +
        'returned to the OS (stop the agent and run `sqlite3 ollama-lens.db "PRAGMA auto_vacuum = INCREMENTAL; VACUUM"` to change that)',
    );
    return 'too-large';
  }
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
    return 'converted';
  } catch (err) {
    // A full disk (VACUUM needs room for a copy) must not keep the agent from starting.
    log.warn(`could not switch the database to incremental vacuum: ${errorText(err)}`);
    return 'failed';
  }
}
