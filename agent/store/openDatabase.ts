import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseDamagedError, isCorruptionError } from './databaseDamage.js';
import { loadMigrations, migrate } from './migrate.js';
import { ensureIncrementalVacuum, requestIncrementalVacuum } from './autoVacuum.js';

export const DB_FILE = 'ollama-lens.db';

/**
 * The agent's one connection: WAL, checked, migrated. The data directory is created user-only. A
 * damaged file is refused with a message that names it and the fix (DatabaseDamagedError).
 */
export function openDatabase(dataDir: string, migrationsDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DB_FILE);
  let db: Database.Database | null = null;
  try {
    db = new Database(path);
    // Before the first table: a new database lets retention return freed pages to the OS.
    requestIncrementalVacuum(db);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits,
    // and then the resume point rolls back with them, so nothing is counted twice.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Every page's structure, before anything is migrated or written: a damaged page found later would
    // fail one query in a thousand, and a write there could spread the damage.
    const found = (db.pragma('quick_check(3)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (found.length !== 1 || found[0] !== 'ok') throw new DatabaseDamagedError(path, `quick_check: ${found.join('; ')}`);
    migrate(db, loadMigrations(migrationsDir));
    ensureIncrementalVacuum(db);
    return db;
  } catch (err) {
    db?.close();
    if (isCorruptionError(err)) throw new DatabaseDamagedError(path, (err as Error).message);
    throw err;
  }
}
