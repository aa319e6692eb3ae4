import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CorrelatedRecord, NewIncident, NewRequest } from '../../../agent/correlate/records.js';
import { add, decode, type Histogram } from '../../../agent/store/histogram.js';
import { sortedCounts } from '../../helpers/histogram.js';
import { loadMigrations, migrate } from '../../../agent/store/migrate.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { ModelNames } from '../../../agent/store/ModelNames.js';
import { HOUR, MINUTE } from '../../../agent/store/requestAgg.js';
import { Store } from '../../../agent/store/Store.js';
import type { Backend } from '../../../shared/records.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';
import { mulberry32 } from '../../../agent/demo/rng.js';

const tmp = useTmpDir();
const T0 = Date.parse('2026-11-26T08:00:00Z');

/** The demo's seeded generator: the same cases on every run. */
const rng = (seed: number): (() => number) => mulberry32(seed).next;

let nextKey = 1;
/** Random requests over three hours: some non-inference, errors, unknown models/backends, missing facts. */
function randomRequests(r: () => number, n: number): NewRequest[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const ts = T0 + Math.floor(r() * 3 * HOUR);
    const inference = r() < 0.8;
    const limit = pick([null, 0, 4096, 32768]);
    return {
      key: nextKey++,
      loadKey: null,
      at: new Date(ts).toISOString(),
      ts,
      method: 'POST',
      path: inference ? '/api/chat' : '/api/tags',
      status: pick([200, 200, 200, 404, 500]),
      latencyMs: r() * 20_000,
      client: '127.0.0.1',
      kind: inference ? 'inference' : 'other',
      model: inference ? pick(['qwen3:8b', 'llama3.2:3b', null]) : null,
      backend: inference ? pick<Backend | null>(['mlx', 'metal', null]) : null,
      promptTokens: inference ? pick([null, Math.floor(r() * 4000)]) : null,
      completionTokens: inference ? Math.floor(r() * 500) : null,
      prefillTps: inference && r() < 0.7 ? 100 + r() * 900 : null,
      decodeTps: inference && r() < 0.8 ? 10 + r() * 80 : null,
      ctxUsed: inference ? Math.floor(r() * 4000) : null,
      ctxLimit: limit,
      truncated: pick([null, false, true]),
      peakMemoryBytes: null,
      modelMemoryBytes: null,
      kvBytes: null,
      kvUsedBytes: null,
      kvFill: null,
    };
  });
}

const asRecords = (rs: NewRequest[]): CorrelatedRecord[] => rs.map((record) => ({ kind: 'request', record }));

function incident(ts: number | null, kind: NewIncident['kind'], model: string | null): CorrelatedRecord {
  return {
    kind: 'incident',
    record: {
      key: nextKey++,
      ts,
      at: ts === null ? null : new Date(ts).toISOString(),
      kind,
      model,
      detail: 'x',
      loadKey: null,
      requestKey: null,
    },
  };
}

type Row = Record<string, number | string | null>;

/** What the rollups should hold, computed straight from the raw rows. */
function expected(db: Database.Database, bucketMs: number): Row[] {
  const rows = db
    .prepare(
      `SELECT (ts / ${bucketMs}) * ${bucketMs} AS ts, COALESCE(model, '') AS model, COALESCE(backend, '') AS backend,
       count(*) AS requests, count(CASE WHEN kind = 'inference' THEN 1 END) AS inference, count(CASE WHEN status >= 400 THEN 1 END) AS errors,
       total(CASE WHEN kind = 'inference' THEN latency_ms END) AS latency_sum, max(CASE WHEN kind = 'inference' THEN latency_ms END) AS latency_max,
       count(decode_tps) AS decode_n, total(decode_tps) AS decode_sum, min(decode_tps) AS decode_min, max(decode_tps) AS decode_max,
       count(prefill_tps) AS prefill_n, total(prefill_tps) AS prefill_sum, max(prefill_tps) AS prefill_max,
       total(prompt_tokens) AS prompt_tokens, total(completion_tokens) AS completion_tokens,
       count(CASE WHEN ctx_used IS NOT NULL AND ctx_limit > 0 THEN 1 END) AS ctx_n,
       total(CASE WHEN ctx_used IS NOT NULL AND ctx_limit > 0 THEN CAST(ctx_used AS REAL) / ctx_limit END) AS ctx_ratio_sum,
       max(CASE WHEN ctx_used IS NOT NULL AND ctx_limit > 0 THEN CAST(ctx_used AS REAL) / ctx_limit END) AS ctx_ratio_max,
       count(CASE WHEN truncated = 1 THEN 1 END) AS truncated
     FROM requests GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all() as Row[];
  // Histograms from the raw values.
  const hists = new Map<string, Record<string, Histogram>>();
  for (const r of db.prepare('SELECT ts, model, backend, kind, latency_ms, decode_tps, prefill_tps FROM requests').all() as Row[]) {
    const key = `${Math.floor((r.ts as number) / bucketMs) * bucketMs}|${r.model ?? ''}|${r.backend ?? ''}`;
    let h = hists.get(key);
    if (h === undefined) hists.set(key, (h = { hist_decode: [], hist_prefill: [], hist_latency: [] }));
    if (r.decode_tps !== null) add(h.hist_decode!, r.decode_tps as number);
    if (r.prefill_tps !== null) add(h.hist_prefill!, r.prefill_tps as number);
    if (r.kind === 'inference') add(h.hist_latency!, r.latency_ms as number);
  }
  return rows.map((r) => ({ ...r, ...hists.get(`${r.ts}|${r.model}|${r.backend}`) }) as Row);
}

function actual(db: Database.Database, bucketMs: number): Row[] {
  return db.prepare('SELECT * FROM request_rollups WHERE bucket_ms = ? ORDER BY ts, model, backend').all(bucketMs) as Row[];
}

/** Comparable form: floats rounded (sums differ in the last bits by order), histograms as sorted entries. */
function normal(r: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [col, v] of Object.entries(r)) {
    if (col === 'bucket_ms') continue;
    if (col.startsWith('hist_')) out[col] = sortedCounts(typeof v === 'string' || v === null ? decode(v) : (v as unknown as Histogram));
    else out[col] = typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v;
  }
  return out;
}

function expectRollupsMatchRaw(db: Database.Database): void {
  for (const bucketMs of [MINUTE, HOUR]) {
    const want = expected(db, bucketMs);
    expect(want.length).toBeGreaterThan(bucketMs === MINUTE ? 100 : 5);
    expect(actual(db, bucketMs).map(normal)).toEqual(want.map(normal));
  }
}

const snapshot = (db: Database.Database) => ({
  requests: db.prepare('SELECT * FROM request_rollups ORDER BY 1, 2, 3, 4').all(),
  incidents: db.prepare('SELECT * FROM incident_rollups ORDER BY 1, 2, 3, 4').all(),
});

describe('rollups', () => {
  it('equal a direct aggregation of the raw rows after several batches, and roll back with a failed batch', () => {
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    const store = new Store(db);
    const cp = store.resumePoint('/logs/server.log');
    const r = rng(42);
    for (let b = 0; b < 4; b++) store.writeBatch(asRecords(randomRequests(r, 250)), { ...cp, offset: (b + 1) * 100 }, 0);
    expectRollupsMatchRaw(db);

    // A batch whose resume point cannot be written (offset is NOT NULL), like a write that fails on a full disk.
    const before = snapshot(db);
    const failing = { ...cp, offset: null as unknown as number };
    expect(() => store.writeBatch([...asRecords(randomRequests(r, 100)), incident(T0, 'runner_crash', 'qwen3:8b')], failing, 0)).toThrow(
      /NOT NULL/,
    );
    expect(snapshot(db)).toEqual(before);
    expect(store.requestCount()).toBe(1000);

    store.writeBatch(asRecords(randomRequests(r, 250)), { ...cp, offset: 500 }, 0);
    expectRollupsMatchRaw(db);
  });

  it('stay exact when batches move forward in time (a backfill), a newer batch rolls back, and two writers share the minutes', () => {
    // Groups newer than every stored row skip their read; this checks that shortcut against the raw rows.
    const dir = tmp();
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const log = new Store(db);
    const other = new Store(db); // as the proxy's recorder: its own Rollups on the same connection
    const cpLog = log.resumePoint('/logs/server.log');
    const cpOther = other.resumePoint('/logs/other.log');
    const r = rng(7);
    const sorted = randomRequests(r, 1200).sort((x, y) => x.ts - y.ts);
    for (let i = 0; i < 6; i++) {
      const chunk = sorted.slice(i * 200, (i + 1) * 200);
      log.writeBatch(asRecords(chunk.slice(0, 150)), { ...cpLog, offset: i + 1 }, 0);
      other.writeBatch(asRecords(chunk.slice(150)), { ...cpOther, offset: i + 1 }, 0);
    }
    const later = (rs: NewRequest[]) => rs.map((q) => ({ ...q, ts: q.ts + 4 * HOUR }));
    const failing = { ...cpLog, offset: null as unknown as number };
    expect(() => log.writeBatch(asRecords(later(randomRequests(r, 50))), failing, 0)).toThrow(/NOT NULL/);
    other.writeBatch(asRecords(later(randomRequests(r, 50))), { ...cpOther, offset: 7 }, 0);
    log.writeBatch(asRecords(later(randomRequests(r, 50))), { ...cpLog, offset: 7 }, 0);
    expectRollupsMatchRaw(db);
    db.close();
    // A new connection finds where the rows end by itself: a batch in the last stored minutes merges.
    const again = openDatabase(dir, MIGRATIONS_DIR);
    const reopened = new Store(again);
    const last = sorted.at(-1)!.ts + 4 * HOUR;
    reopened.writeBatch(
      asRecords(randomRequests(r, 30).map((q) => ({ ...q, ts: last - (q.ts % MINUTE) }))),
      { ...reopened.resumePoint('/logs/server.log'), offset: 8 },
      0,
    );
    expectRollupsMatchRaw(again);
    again.close();
  });

  it('count incidents by kind and model per minute and hour, skipping those without a time', () => {
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    const store = new Store(db);
    const cp = store.resumePoint('/logs/server.log');
    store.writeBatch(
      [
        incident(T0 + 5_000, 'runner_crash', 'qwen3:8b'),
        incident(T0 + 50_000, 'runner_crash', 'qwen3:8b'),
        incident(T0 + 61_000, 'oom', null),
        incident(null, 'oom', null),
      ],
      cp,
      0,
    );
    store.writeBatch([incident(T0 + 62_000, 'oom', null)], cp, 0);
    expect(db.prepare('SELECT bucket_ms, ts, kind, model, count FROM incident_rollups ORDER BY 1, 2, 3').all()).toEqual([
      { bucket_ms: MINUTE, ts: T0, kind: 'runner_crash', model: 'qwen3:8b', count: 2 },
      { bucket_ms: MINUTE, ts: T0 + MINUTE, kind: 'oom', model: '', count: 2 },
      { bucket_ms: HOUR, ts: T0, kind: 'oom', model: '', count: 2 },
      { bucket_ms: HOUR, ts: T0, kind: 'runner_crash', model: 'qwen3:8b', count: 2 },
    ]);
  });

  it('are backfilled once for a database that had requests before migration 0006', () => {
    const db = new Database(':memory:');
    const all = loadMigrations(MIGRATIONS_DIR);
    migrate(
      db,
      all.filter((m) => m.version < 6),
    );
    db.prepare("INSERT INTO sources (id, path) VALUES (1, '/logs/server.log')").run();
    const insert = db.prepare(
      `INSERT INTO requests (source_id, key, at, ts, method, path, status, latency_ms, client, kind, model, backend, prompt_tokens,
         completion_tokens, prefill_tps, decode_tps, ctx_used, ctx_limit, truncated) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const q of randomRequests(rng(7), 600)) {
      insert.run(
        q.key,
        q.at,
        q.ts,
        q.method,
        q.path,
        q.status,
        q.latencyMs,
        q.client,
        q.kind,
        q.model,
        q.backend,
        q.promptTokens,
        q.completionTokens,
        q.prefillTps,
        q.decodeTps,
        q.ctxUsed,
        q.ctxLimit,
        q.truncated === null ? null : q.truncated ? 1 : 0,
      );
    }
    db.prepare(`INSERT INTO incidents (source_id, key, at, ts, kind, model, detail) VALUES (1, 1, 'x', ?, 'oom', NULL, 'x')`).run(T0 + 1);
    migrate(db, all);
    new Store(db);
    expectRollupsMatchRaw(db);
    expect(db.prepare('SELECT count(*) AS n FROM incident_rollups').get()).toEqual({ n: 2 });
    // A second start changes nothing.
    const once = snapshot(db);
    new Store(db);
    expect(snapshot(db)).toEqual(once);
  });

  it('move renamed requests and incidents to their model when a blob gets its name later', () => {
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    const names = new ModelNames(db);
    const store = new Store(db, names);
    const cp = store.resumePoint('/logs/server.log');
    const blob = `sha256-${'b'.repeat(64)}`;
    const load: CorrelatedRecord = {
      kind: 'load',
      record: {
        key: 900_001,
        serverKey: null,
        at: null,
        ts: T0,
        model: null,
        blob,
        displayName: null,
        engine: 'llama.cpp',
        backend: 'metal',
        device: null,
        ctx: 4096,
        parallel: 1,
        kvBytes: null,
        gpuLayers: null,
        totalLayers: null,
        loadSeconds: null,
        outcome: 'ready',
        error: null,
      },
    };
    const r = rng(5);
    const ofBlob = randomRequests(r, 50).map((q) => ({ ...q, model: null, loadKey: 900_001 }));
    const crash = incident(T0 + 90_000, 'oom', null);
    if (crash.kind === 'incident') crash.record.loadKey = 900_001;
    store.writeBatch([load, ...asRecords(randomRequests(r, 200)), ...asRecords(ofBlob), crash], cp, 0);
    names.learn({ blob, model: 'phi4:14b', architecture: null, format: null }, 1);
    expect(db.prepare("SELECT count(*) AS n FROM requests WHERE model = 'phi4:14b'").get()).toEqual({ n: 50 });
    expectRollupsMatchRaw(db);
    expect(db.prepare("SELECT sum(requests) AS n FROM request_rollups WHERE bucket_ms = ? AND model = 'phi4:14b'").get(HOUR)).toEqual({
      n: 50,
    });
    expect(db.prepare('SELECT bucket_ms, model, count FROM incident_rollups ORDER BY 1').all()).toEqual([
      { bucket_ms: MINUTE, model: 'phi4:14b', count: 1 },
      { bucket_ms: HOUR, model: 'phi4:14b', count: 1 },
    ]);
  });
});
