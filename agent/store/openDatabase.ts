import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrate.js';
import { ensureIncrementalVacuum, requestIncrementalVacuum } from '../retention/autoVacuum.js';

export const DB_FILE = 'ollama-lens.db';

/** The agent's one connection: WAL, migrated. The data directory is created user-only. */
export function openDatabase(dataDir: string, migrationsDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, DB_FILE));
  // Before the first table: a new database lets retention return freed pages to the OS (issue 9).
  requestIncrementalVacuum(db);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits,
  // and then the checkpoint rolls back with them, so nothing is counted twice.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, loadMigrations(migrationsDir));
  ensureIncrementalVacuum(db);
  return db;
}
