// A damaged database file: found at start by `PRAGMA quick_check`, or while running when a query
// fails with SQLITE_CORRUPT. Either way the message names the file and the way out: move it aside
// (with its -wal and -shm files, which belong to it) and start afresh, reading the logs again.
import { basename, dirname, join } from 'node:path';

/** SQLite's "database disk image is malformed" (and its extended codes) or "file is not a database". */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

const quote = (path: string): string => (/^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);

/** One line: which file, what SQLite found, and what to do. */
export function damagedDatabaseMessage(dbPath: string, found: string): string {
  const aside = join(dirname(dbPath), 'damaged');
  return (
    `the database ${dbPath} is damaged (${found.replace(/\s+/g, ' ').trim().slice(0, 300)}). ` +
    `Stop ollama-lens, move the file aside with its -wal and -shm files ` +
    `(mkdir ${quote(aside)} && mv ${quote(dbPath)}* ${quote(aside)}/) and start again: ` +
    `ollama-lens starts afresh with a new ${basename(dbPath)} and reads the logs still on disk again`
  );
}

export class DatabaseDamagedError extends Error {
  override name = 'DatabaseDamagedError';
  constructor(dbPath: string, found: string) {
    super(damagedDatabaseMessage(dbPath, found));
  }
}

/** What the running agent knows of its database's damage; shown by /api/health until restart. */
export class DatabaseHealth {
  private reason: string | null = null;

  constructor(readonly path: string) {}

  /** Null while no query has found damage. */
  get damage(): string | null {
    return this.reason;
  }

  /** Remembers the first damage an error shows; true when `err` is one. */
  note(err: unknown): boolean {
    if (!isCorruptionError(err)) return false;
    this.reason ??= damagedDatabaseMessage(this.path, (err as Error).message);
    return true;
  }
}
