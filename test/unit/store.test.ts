import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../agent/store/migrate.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { NewLoad, NewRequest } from '../../agent/correlate/records.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';
import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const tmp = useTmpDir();

let nextKey = 1;
function req(over: Partial<NewRequest> = {}): NewRequest {
  return {
    key: nextKey++,
    loadKey: null,
    at: '2026-11-26T08:00:00Z',
    ts: Date.parse('2026-11-26T08:00:00Z'),
    method: 'POST',
    path: '/api/chat',
    status: 200,
    latencyMs: 1234.5,
    client: '127.0.0.1',
    kind: 'inference',
    model: null,
    backend: null,
    promptTokens: null,
    completionTokens: null,
    prefillTps: null,
    decodeTps: null,
    ctxUsed: null,
    ctxLimit: null,
    truncated: null,
    peakMemoryBytes: null,
    modelMemoryBytes: null,
    kvBytes: null,
    kvUsedBytes: null,
    kvFill: null,
    ...over,
  };
}

describe('migrations', () => {
  it('apply in order, set user_version, and are not re-applied', () => {
    const db = new Database(':memory:');
    const all = loadMigrations(MIGRATIONS_DIR);
    expect(all.length).toBeGreaterThan(0);
    expect(migrate(db, all).map((m) => m.version)).toEqual(all.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(all.at(-1)!.version);
    expect(migrate(db, all)).toEqual([]);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['sources', 'requests', 'server_runs']));
  });

  it('refuses a database newer than the build', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db, loadMigrations(MIGRATIONS_DIR))).toThrow(/newer than this ollama-lens/);
  });

  it('refuses a gap in the numbering', () => {
    const dir = tmp();
    writeFileSync(join(dir, '0001_a.sql'), 'CREATE TABLE a (x);');
    writeFileSync(join(dir, '0003_c.sql'), 'CREATE TABLE c (x);');
    expect(() => loadMigrations(dir)).toThrow(/out of sequence/);
  });

  it('rolls a failing migration back whole', () => {
    const dir = tmp();
    writeFileSync(join(dir, '0001_a.sql'), 'CREATE TABLE a (x); CREATE TABLE a (y);');
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
  });
});

describe('Store', () => {
  it('opens a WAL database in a user-only directory', () => {
    const dir = join(tmp(), 'data');
    const db = openDatabase(dir, MIGRATIONS_DIR);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    db.close();
  });

  it('writes rows and the resume point in one transaction', () => {
    const dir = tmp();
    mkdirSync(dir, { recursive: true });
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const store = new Store(db);
    const cp = store.resumePoint('/var/log/server.log');
    expect(cp.offset).toBe(0);
    const { requests } = store.writeBatch(
      [
        { kind: 'request', record: req() },
        {
          kind: 'server',
          record: {
            key: 900,
            at: null,
            ts: null,
            address: '127.0.0.1:11434',
            version: '0.33.0',
            config: {},
            devices: [],
            defaultCtx: null,
          },
        },
      ],
      { ...cp, identity: '1:2', offset: 100, linesRead: 2, stateJson: '{}' },
      0,
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ id: 1, path: '/api/chat', latencyMs: 1234.5, truncated: null, backend: null });
    expect(store.resumePoint('/var/log/server.log')).toMatchObject({ identity: '1:2', offset: 100, linesRead: 2 });
    expect(store.latestLoggedVersion()).toBe('0.33.0');

    // A failing batch leaves neither rows nor resume point behind.
    const bad = req({ kind: 'bogus' as never });
    expect(() =>
      store.writeBatch(
        [
          { kind: 'request', record: req() },
          { kind: 'request', record: bad },
        ],
        { ...cp, offset: 999 },
        0,
      ),
    ).toThrow();
    expect(store.requestCount()).toBe(1);
    expect(store.resumePoint('/var/log/server.log').offset).toBe(100);
    db.close();
  });

  it('pages requests newest first', () => {
    const store = new Store(openDatabase(tmp(), MIGRATIONS_DIR));
    const cp = store.resumePoint('x');
    store.writeBatch(
      Array.from({ length: 5 }, (_, i) => ({ kind: 'request' as const, record: req({ status: 200 + i }) })),
      cp,
      0,
    );
    expect(store.requests(2).map((r) => r.id)).toEqual([5, 4]);
    expect(store.requests(10, 3).map((r) => r.id)).toEqual([2, 1]);
    expect(store.requestCount()).toBe(5);
    store.db.close();
  });

  it('upserts loads by key and links requests and incidents to them', () => {
    const store = new Store(openDatabase(tmp(), MIGRATIONS_DIR));
    const cp = store.resumePoint('x');
    const load = (over: Partial<NewLoad>): NewLoad => ({
      key: 1,
      serverKey: null,
      at: null,
      ts: null,
      model: null,
      blob: 'sha256-abc',
      displayName: null,
      engine: 'llama.cpp',
      backend: null,
      device: null,
      ctx: null,
      parallel: null,
      kvBytes: null,
      gpuLayers: null,
      totalLayers: null,
      loadSeconds: null,
      outcome: null,
      error: null,
      ...over,
    });
    const first = store.writeBatch([{ kind: 'load', record: load({}) }], cp, 0);
    expect(first.loads).toHaveLength(1);
    const second = store.writeBatch(
      [
        { kind: 'load', record: load({ ctx: 4096, backend: 'metal', outcome: 'ready' }) },
        { kind: 'load', record: load({ ctx: 4096, backend: 'metal', outcome: 'ready', model: 'llama3.2:latest' }) },
        { kind: 'request', record: req({ key: 50, loadKey: 1, model: 'llama3.2:latest' }) },
        { kind: 'incident', record: { key: 51, at: null, ts: null, kind: 'oom', model: null, detail: 'x', loadKey: 1, requestKey: 50 } },
      ],
      cp,
      0,
    );
    // One load row, published once per batch as it stands after the batch.
    expect(second.loads).toEqual([
      expect.objectContaining({ id: first.loads[0]!.id, ctx: 4096, model: 'llama3.2:latest', outcome: 'ready' }),
    ]);
    expect(second.requests[0]).toMatchObject({ loadId: first.loads[0]!.id });
    expect(second.incidents[0]).toMatchObject({ kind: 'oom', loadId: first.loads[0]!.id, requestId: second.requests[0]!.id });
    expect(store.loads(10)).toHaveLength(1);
    expect(store.incidents(10)).toHaveLength(1);
    store.db.close();
  });

  it('forgets load ids of a batch that rolled back', () => {
    const store = new Store(openDatabase(tmp(), MIGRATIONS_DIR));
    const cp = store.resumePoint('x');
    const load = {
      key: 7,
      serverKey: null,
      at: null,
      ts: null,
      model: null,
      blob: null,
      displayName: null,
      engine: null,
      backend: null,
      device: null,
      ctx: null,
      parallel: null,
      kvBytes: null,
      gpuLayers: null,
      totalLayers: null,
      loadSeconds: null,
      outcome: null,
      error: null,
    } satisfies NewLoad;
    expect(() =>
      store.writeBatch(
        [
          { kind: 'load', record: load },
          { kind: 'request', record: req({ kind: 'bogus' as never }) },
        ],
        cp,
        0,
      ),
    ).toThrow();
    // The load's row is gone; a request naming it must not point at a row that does not exist.
    const { requests } = store.writeBatch([{ kind: 'request', record: req({ loadKey: 7 }) }], cp, 0);
    expect(requests[0]!.loadId).toBeNull();
    store.db.close();
  });
});
