// One round of the checkpointer's work, on a second connection as in its worker, without the thread.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { reportChanges } from '../../../../agent/store/wal/checkpointFailures.js';
import type { FromCheckpointWorker } from '../../../../agent/store/wal/checkpointProtocol.js';
import { openDatabase } from '../../../../agent/store/openDatabase.js';
import { checkpoint, tidyWal } from '../../../../agent/store/wal/walCheckpoint.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../../helpers/tmp.js';

const tmp = useTmpDir();
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function twoConnections() {
  const main = openDatabase(tmp(), MIGRATIONS_DIR);
  main.pragma('wal_autocheckpoint = 0');
  main.exec('CREATE TABLE filler (b BLOB)');
  const other = new Database(main.name, { fileMustExist: true });
  open.push(other, main);
  const write = (pages: number) =>
    main.transaction(() => {
      for (let i = 0; i < pages; i++) main.prepare('INSERT INTO filler VALUES (randomblob(4000))').run();
    })();
  return { main, other, write };
}

describe('tidyWal', () => {
  it('leaves a WAL below the threshold alone', () => {
    const { main, other, write } = twoConnections();
    write(50);
    expect(tidyWal(other, 1000)).toBeNull();
    const state = checkpoint(main, 'NOOP');
    expect(state.log).toBeGreaterThan(50);
    expect(state.checkpointed).toBe(0);
  });

  it('copies a WAL past the threshold into the database file, after which the next write starts it over', () => {
    const { main, other, write } = twoConnections();
    write(1200);
    const done = tidyWal(other, 1000);
    expect(done).toMatchObject({ mode: 'PASSIVE', busy: false });
    expect(done!.log).toBeGreaterThan(1200);
    expect(done!.checkpointed).toBe(done!.log);
    write(1);
    expect(checkpoint(main, 'NOOP').log).toBeLessThan(10);
  });

  it('counts only frames not yet copied', () => {
    const { other, write } = twoConnections();
    write(1200);
    expect(tidyWal(other, 1000)).not.toBeNull();
    // All of it is in the database file already: another round has nothing to do.
    expect(tidyWal(other, 1000)).toBeNull();
  });
});

describe('reportChanges', () => {
  it('reports a failure when it starts and when its reason changes, then once when rounds succeed again', () => {
    const sent: FromCheckpointWorker[] = [];
    const round = reportChanges((m) => sent.push(m));
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    round(() => {});
    round(() => {
      throw full;
    });
    round(() => {
      throw full;
    });
    round(() => {
      throw new Error('disk I/O error');
    });
    round(() => {});
    round(() => {});
    expect(sent).toEqual([
      { type: 'failing', message: 'database or disk is full', code: 'SQLITE_FULL' },
      { type: 'failing', message: 'disk I/O error', code: null },
      { type: 'recovered' },
    ]);
  });
});
