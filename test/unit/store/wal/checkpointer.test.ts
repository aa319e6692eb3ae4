// The checkpointer with its real worker thread and real SQLite files. A worker thread cannot load
// TypeScript, so the worker comes from the build: `npm test` builds first (run `npm run build` after
// changing agent/store/checkpointWorker.ts or walCheckpoint.ts before running this file alone).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logLevel, setLogLevel, setLogSink } from '../../../../agent/log.js';
import {
  AUTOCHECKPOINT_PAGES,
  BACKSTOP_PAGES,
  startCheckpointer,
  WAL_SIZE_LIMIT_BYTES,
  type CheckpointerOptions,
} from '../../../../agent/store/wal/checkpointer.js';
import { openDatabase } from '../../../../agent/store/openDatabase.js';
import { checkpoint } from '../../../../agent/store/wal/walCheckpoint.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../../helpers/tmp.js';
import { until } from '../../../helpers/until.js';

const BUILT_WORKER = join(import.meta.dirname, '..', '..', '..', '..', 'dist', 'agent', 'store', 'wal', 'checkpointWorker.js');
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

beforeAll(() => {
  // Without it every test here would only see the fallback.
  if (!existsSync(BUILT_WORKER)) throw new Error(`${BUILT_WORKER} is missing: run "npm run build" first (npm test does)`);
});

const tmp = useTmpDir();
const cleanups: (() => Promise<void> | void)[] = [];
let lines: string[] = [];
let restoreLog = () => {};
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  restoreLog();
});

function setup(options: CheckpointerOptions = {}) {
  lines = [];
  restoreLog = setLogSink((line) => lines.push(line));
  const dir = tmp();
  const db = openDatabase(dir, MIGRATIONS_DIR);
  db.exec('CREATE TABLE filler (n INTEGER, b BLOB)');
  let n = 0;
  const write = (pages: number) =>
    db.transaction(() => {
      for (let i = 0; i < pages; i++) db.prepare('INSERT INTO filler VALUES (?, randomblob(4000))').run(++n);
    })();
  const checkpointer = startCheckpointer(db, { intervalMs: 20, ...options });
  cleanups.push(() => {
    if (db.open) db.close();
  });
  cleanups.push(() => checkpointer.stop());
  const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const walBytes = () => (existsSync(`${db.name}-wal`) ? statSync(`${db.name}-wal`).size : 0);
  return { db, dir, write, checkpointer, autocheckpoint, walBytes, rows: () => n };
}

describe('the checkpointer', () => {
  it('checkpoints the WAL from its own thread; the WAL starts over and its file is cut back', async () => {
    const { db, write, autocheckpoint, walBytes } = setup({ backstopPages: 0 });
    expect(autocheckpoint()).toBe(0);
    // A smaller limit than the agent's, to stay quick; then more than it, in one transaction.
    const limit = 4 * 1024 * 1024;
    db.pragma(`journal_size_limit = ${limit}`);
    write(5000);
    expect(walBytes()).toBeGreaterThan(limit);

    // The main connection never checkpoints (autocheckpoint is off and stays off): only the worker can.
    await until(() => {
      const s = checkpoint(db, 'NOOP');
      return s.log > 5000 && s.checkpointed === s.log;
    });
    expect(autocheckpoint()).toBe(0);

    // With everything copied the next write starts the WAL over, and the file is cut to the limit.
    await until(() => {
      write(1);
      return checkpoint(db, 'NOOP').log < 100;
    });
    expect(walBytes()).toBeLessThanOrEqual(limit);

    // And again: it keeps going.
    write(1500);
    await until(() => {
      const s = checkpoint(db, 'NOOP');
      return s.log > 1500 && s.checkpointed === s.log;
    });
    expect(lines.filter((l) => /ERROR|WARN/.test(l))).toEqual([]);
  });

  it('leaves frames below the threshold to the next round', async () => {
    const { db, write } = setup({ backstopPages: 0, pages: 1000 });
    write(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(checkpoint(db, 'NOOP').checkpointed).toBe(0);
  });

  it("keeps the main connection's own checkpoint only as a backstop while it runs, and a WAL size limit above it", () => {
    const { db, autocheckpoint } = setup();
    expect(autocheckpoint()).toBe(BACKSTOP_PAGES);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
    expect(WAL_SIZE_LIMIT_BYTES).toBeGreaterThan(BACKSTOP_PAGES * (4096 + 24));
  });

  it("stop() truncates the WAL, closes the worker's connection and gives the main one its checkpoints back", async () => {
    const { db, write, checkpointer, autocheckpoint, walBytes, rows } = setup();
    write(300);
    expect(walBytes()).toBeGreaterThan(0);
    await checkpointer.stop();
    expect(walBytes()).toBe(0);
    expect(autocheckpoint()).toBe(AUTOCHECKPOINT_PAGES);
    await checkpointer.stop();

    // Only the last connection to close removes the WAL: the worker's must be gone.
    db.close();
    expect(existsSync(`${db.name}-wal`)).toBe(false);
    const again = new Database(db.name, { readonly: true });
    try {
      expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(again.prepare('SELECT count(*) AS n, max(n) AS last FROM filler').get()).toEqual({ n: rows(), last: 300 });
    } finally {
      again.close();
    }
    expect(lines.filter((l) => /ERROR|WARN/.test(l))).toEqual([]);
  });

  it('stop() right after start still ends the worker', async () => {
    const { db, checkpointer } = setup();
    await checkpointer.stop();
    db.close();
    expect(existsSync(`${db.name}-wal`)).toBe(false);
  });

  it('ends its thread when idle, starts another once the WAL has grown, and stop() truncates without one', async () => {
    const level = logLevel();
    setLogLevel('debug');
    cleanups.push(() => setLogLevel(level));
    const { db, write, checkpointer, walBytes } = setup({ backstopPages: 0, idleMs: 100, watchMs: 20 });
    const ended = () => lines.filter((l) => l.includes('WAL checkpointer idle: thread ended')).length;
    await until(() => ended() === 1);
    // Below the threshold the main thread leaves the WAL alone, and no thread starts.
    write(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(checkpoint(db, 'NOOP').checkpointed).toBe(0);
    expect(ended()).toBe(1);
    // Past it, a new thread copies the WAL, then ends again.
    write(1000);
    await until(() => {
      const s = checkpoint(db, 'NOOP');
      return s.log > 1000 && s.checkpointed === s.log;
    });
    await until(() => ended() === 2);
    write(50);
    await checkpointer.stop();
    expect(walBytes()).toBe(0);
    expect(lines.join('\n')).toMatch(/DEBUG WAL checkpoint TRUNCATE: 0 of 0 frames/);
    expect(lines.filter((l) => /ERROR|WARN/.test(l))).toEqual([]);
  });

  it('does not hold the process open when the agent gives up before stop() (the port is taken)', () => {
    const dir = tmp();
    const built = (rel: string) =>
      JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', '..', '..', '..', 'dist', 'agent', 'store', 'wal', rel)).href);
    const script = `
      const { openDatabase } = await import(${built('../openDatabase.js')});
      const { startCheckpointer } = await import(${built('checkpointer.js')});
      startCheckpointer(openDatabase(${JSON.stringify(dir)}, ${JSON.stringify(MIGRATIONS_DIR)}), { intervalMs: 20 });
      console.log('started');`;
    // A file, not `-e`: the worker inherits the process's execArgv, and --input-type would kill it.
    writeFileSync(join(dir, 'agent.mjs'), script);
    const r = spawnSync(process.execPath, [join(dir, 'agent.mjs')], { encoding: 'utf8', timeout: 10_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('started');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });
});

describe('pause()', () => {
  it('waits, once the WAL has grown, for the worker to copy all of it, so the next write starts it over', async () => {
    // No rounds of its own in this test: only pause() can make it checkpoint.
    const { db, write, checkpointer } = setup({ backstopPages: 0, intervalMs: 60_000, pages: 100 });
    write(500);
    expect(checkpoint(db, 'NOOP').checkpointed).toBe(0);
    await checkpointer.pause();
    const s = checkpoint(db, 'NOOP');
    expect(s.log).toBeGreaterThan(500);
    expect(s.checkpointed).toBe(s.log);
    write(1);
    expect(checkpoint(db, 'NOOP').log).toBeLessThan(10);
  });

  it('is only a turn of the event loop while the WAL is short', async () => {
    const { db, write, checkpointer } = setup({ backstopPages: 0, intervalMs: 60_000, pages: 100 });
    write(20);
    await checkpointer.pause();
    expect(checkpoint(db, 'NOOP').checkpointed).toBe(0);
  });

  it('does not wait for a worker that is gone', async () => {
    const { write, autocheckpoint, checkpointer } = setup({ pages: 100, workerFile: fixture('missing.mjs') });
    await until(() => autocheckpoint() === AUTOCHECKPOINT_PAGES);
    write(500);
    // Without a worker, pause() is the turn of the event loop it always takes, and no more.
    let settled = false;
    const paused = checkpointer.pause().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(true);
    await paused;
  });
});

describe('when the worker fails', () => {
  it("turns the main connection's automatic checkpoint back on if the worker cannot start", async () => {
    const { autocheckpoint, checkpointer } = setup({ backstopPages: 0, workerFile: fixture('missing.mjs') });
    await until(() => autocheckpoint() === AUTOCHECKPOINT_PAGES);
    expect(lines.join('\n')).toMatch(/ERROR WAL checkpointer .*missing\.mjs.*; checkpoints run on the main thread again/);
    await checkpointer.stop();
  });

  it('turns it back on if the worker cannot open the database', async () => {
    lines = [];
    restoreLog = setLogSink((line) => lines.push(line));
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    cleanups.push(() => {
      db.close();
    });
    // The open connection keeps working; a new one finds no file.
    rmSync(db.name);
    const checkpointer = startCheckpointer(db, { backstopPages: 0 });
    cleanups.push(() => checkpointer.stop());
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === AUTOCHECKPOINT_PAGES);
    expect(lines.join('\n')).toMatch(/ERROR WAL checkpointer stopped: .*unable to open/i);
  });

  it('turns it back on if the worker dies later, and the agent goes on', async () => {
    const { autocheckpoint, write } = setup({ backstopPages: 0, workerFile: fixture('dyingWorker.mjs') });
    expect(autocheckpoint()).toBe(0);
    await until(() => autocheckpoint() === AUTOCHECKPOINT_PAGES);
    expect(lines.join('\n')).toMatch(
      /ERROR WAL checkpointer stopped: checkpointer test: the worker died; checkpoints run on the main thread again/,
    );
    write(10);
  });

  it('logs a full disk as a state and keeps the worker', async () => {
    const { autocheckpoint, checkpointer } = setup({ backstopPages: 0, workerFile: fixture('fullDiskWorker.mjs') });
    await until(() => lines.some((l) => l.includes('WARN WAL checkpoint failed: database or disk is full (SQLITE_FULL); retrying')));
    expect(autocheckpoint()).toBe(0);
    await checkpointer.stop();
    expect(autocheckpoint()).toBe(AUTOCHECKPOINT_PAGES);
    expect(lines.filter((l) => l.includes('ERROR'))).toEqual([]);
  });
});
