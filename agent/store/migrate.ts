// Applies migrations/NNNN_*.sql in order, each in its own transaction, and records the last one
// applied in SQLite's `user_version`. Forward-only: a database newer than this build is refused.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  return files.map((name, i) => {
    const version = Number(name.slice(0, 4));
    if (version !== i + 1) throw new Error(`migration ${name} is out of sequence: expected number ${i + 1}`);
    return { version, name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

/** Returns the migrations it applied. */
export function migrate(db: Database, migrations: Migration[]): Migration[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `the database is at schema version ${current}, newer than this ollama-lens (${latest}); upgrade ollama-lens or use another --data-dir`,
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return pending;
}
