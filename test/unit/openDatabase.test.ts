// openDatabase refuses a damaged file at start (PRAGMA quick_check), with a message naming it and the fix.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseDamagedError, DatabaseHealth } from '../../agent/store/databaseDamage.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('openDatabase and a damaged file', () => {
  it('one overwritten page of a table no start-up query reads: refused, naming the file, what was found and the fix', () => {
    const dir = tmp();
    const path = join(dir, 'ollama-lens.db');
    const db = openDatabase(dir, MIGRATIONS_DIR);
    db.exec('CREATE TABLE bulk (x TEXT)');
    const insert = db.prepare('INSERT INTO bulk VALUES (?)');
    for (let i = 0; i < 500; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    const leaf = db.prepare("SELECT pageno FROM dbstat WHERE name = 'bulk' AND pagetype = 'leaf' ORDER BY path LIMIT 1").get() as {
      pageno: number;
    };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (leaf.pageno - 1) * pageSize);
    closeSync(fd);

    let thrown: unknown;
    try {
      openDatabase(dir, MIGRATIONS_DIR).close();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DatabaseDamagedError);
    expect((thrown as Error).message).toMatch(
      new RegExp(
        `^the database ${path} is damaged \\((quick_check: .+|database disk image is malformed)\\)\\. Stop ollama-lens, move the file aside with its -wal and -shm files \\(mkdir ${dir}/damaged && mv ${path}\\* ${dir}/damaged/\\) and start again: ollama-lens starts afresh with a new ollama-lens\\.db and reads the logs still on disk again$`,
      ),
    );
  });

  it('DatabaseHealth keeps the first damage a query showed, and nothing else', () => {
    const health = new DatabaseHealth('/d/ollama-lens.db');
    expect(health.note(new Error('disk I/O error'))).toBe(false);
    expect(health.damage).toBeNull();
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(health.note(corrupt)).toBe(true);
    expect(health.note(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    expect(health.damage).toMatch(/^the database \/d\/ollama-lens\.db is damaged \(database disk image is malformed\)\. /);
  });

  it('an intact database opens as before', () => {
    const dir = tmp();
    openDatabase(dir, MIGRATIONS_DIR).close();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
    expect(new Database(join(dir, 'ollama-lens.db')).pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
