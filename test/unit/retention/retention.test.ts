import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemorySample, PressureLevel } from '../../../shared/memory.js';
import type { NewRequest } from '../../../agent/correlate/records.js';
import { setLogSink } from '../../../agent/log.js';
import { Retention, type ChunkInfo, type RetentionOptions } from '../../../agent/retention/Retention.js';
import { MemorySampleStore } from '../../../agent/store/MemorySampleStore.js';
import { loadMigrations, migrate } from '../../../agent/store/migrate.js';
import { DB_FILE, openDatabase } from '../../../agent/store/openDatabase.js';
import { Store, type ResumePoint } from '../../../agent/store/Store.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2027-03-01T12:30:00Z');
const DEFAULTS: RetentionOptions = { requestsDays: 30, minutesDays: 90, hoursDays: 730, memoryDays: 7, maxDbMb: 0 };

let restoreLog: (() => void) | null = null;
const logged: string[] = [];
afterEach(() => {
  restoreLog?.();
  restoreLog = null;
  logged.length = 0;
});
function captureLog(): void {
  restoreLog = setLogSink((line) => logged.push(line));
}

let nextKey = 1;
function req(ts: number, over: Partial<NewRequest> = {}): NewRequest {
  return {
    key: nextKey++,
    loadKey: null,
    at: new Date(ts).toISOString(),
    ts,
    method: 'POST',
    path: '/api/chat',
    status: 200,
    latencyMs: 100,
    client: '127.0.0.1',
    kind: 'inference',
    model: 'qwen3:8b',
    backend: 'metal',
    promptTokens: 10,
    completionTokens: 20,
    prefillTps: 500,
    decodeTps: 40,
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

function setup(options: Partial<RetentionOptions> = {}, extra: { chunkRows?: number; pause?: () => Promise<void> } = {}) {
  const db = openDatabase(tmp(), MIGRATIONS_DIR);
  const store = new Store(db);
  let cp: ResumePoint = store.resumePoint('/log');
  const write = (requests: NewRequest[]) => {
    cp = { ...cp, offset: cp.offset + 1 };
    return store.writeBatch(
      requests.map((record) => ({ kind: 'request' as const, record })),
      cp,
      NOW,
    );
  };
  const chunks: ChunkInfo[] = [];
  const retention = new Retention({
    db,
    options: { ...DEFAULTS, ...options },
    now: () => NOW,
    chunkRows: extra.chunkRows,
    pause: extra.pause,
    onRequestsDeleted: (n) => store.noteRequestsInserted(-n),
    onChunk: (c) => chunks.push(c),
  });
  const count = (sql: string, ...params: unknown[]): number =>
    (db.prepare(`SELECT count(*) AS n FROM ${sql}`).get(...params) as { n: number }).n;
  return { db, store, write, retention, chunks, count, memory: new MemorySampleStore(db) };
}

function sample(ts: number, over: Partial<MemorySample> = {}): MemorySample {
  return {
    at: new Date(ts).toISOString(),
    totalBytes: 64 * 2 ** 30,
    usedBytes: 40 * 2 ** 30,
    availableBytes: 24 * 2 ** 30,
    wiredBytes: 8 * 2 ** 30,
    compressedBytes: 2 ** 30,
    swapUsedBytes: 0,
    swapTotalBytes: 2 ** 30,
    swapoutsDelta: 0,
    pressure: 'normal',
    pressureValue: 60,
    pressureSource: 'macos',
    ollamaFootprintBytes: null,
    ollamaProcesses: 2,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
    ...over,
  };
}

function alert(
  db: Database.Database,
  state: 'firing' | 'resolved',
  lastTs: number,
  links: { requestId?: number; incidentId?: number; loadId?: number } = {},
): number {
  const at = new Date(lastTs).toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO alerts (key, kind, severity, subject, state, title, message, count, first_at, first_ts, last_at, last_ts, request_id, incident_id, load_id)
       VALUES (?, 'slow_request', 'warning', 's', ?, 't', 'm', 1, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(`k${Math.random()}`, state, at, lastTs, at, lastTs, links.requestId ?? null, links.incidentId ?? null, links.loadId ?? null)
      .lastInsertRowid,
  );
}

function load(db: Database.Database, ts: number): number {
  return Number(
    db
      .prepare(`INSERT INTO loads (source_id, key, ts, at, model) VALUES (1, ?, ?, ?, 'old')`)
      .run(nextKey++, ts, new Date(ts).toISOString()).lastInsertRowid,
  );
}

describe('Retention tiers', () => {
  it('removes what is older than each tier and keeps what is younger', async () => {
    const { db, write, retention, count, memory, store } = setup();
    const old = write([req(NOW - 31 * DAY), req(NOW - 31 * DAY + 1)]).requests;
    write([req(NOW - 29 * DAY)]);
    // Rollups written directly at the edges of their tiers.
    const rollup = db.prepare('INSERT INTO request_rollups (bucket_ms, ts, model, backend, requests) VALUES (?, ?, ?, ?, 1)');
    const incidentRollup = db.prepare('INSERT INTO incident_rollups (bucket_ms, ts, kind, model, count) VALUES (?, ?, ?, ?, 1)');
    for (const [bucket, ts] of [
      [60_000, NOW - 91 * DAY],
      [60_000, NOW - 89 * DAY],
      [HOUR, NOW - 731 * DAY],
      [HOUR, NOW - 729 * DAY],
    ] as const) {
      const b = Math.floor(ts / bucket) * bucket;
      rollup.run(bucket, b, 'm', 'b');
      incidentRollup.run(bucket, b, 'oom', 'm');
    }
    memory.insert(sample(NOW - 8 * DAY));
    memory.insert(sample(NOW - 6 * DAY));
    alert(db, 'resolved', NOW - 731 * DAY);
    alert(db, 'resolved', NOW - 700 * DAY);
    const insertIncident = db.prepare(`INSERT INTO incidents (source_id, key, ts, kind, detail) VALUES (1, ?, ?, 'oom', 'd')`);
    insertIncident.run(nextKey++, NOW - 731 * DAY);
    insertIncident.run(nextKey++, NOW - 100 * DAY);
    const oldLoad = load(db, NOW - 731 * DAY);
    const usedLoad = load(db, NOW - 731 * DAY);
    write([req(NOW - DAY, { loadKey: null })]);
    db.prepare('UPDATE requests SET load_id = ? WHERE ts = ?').run(usedLoad, NOW - DAY);
    const before = store.requestCount();

    const report = (await retention.run())!;

    expect(count('requests WHERE ts < ?', NOW - 30 * DAY)).toBe(0);
    expect(count('requests')).toBe(2);
    expect(store.requestCount()).toBe(before - old.length);
    // Raw requests went; their minute and hour rollups (29–31 days old) stayed.
    expect(count('request_rollups WHERE bucket_ms = 60000 AND ts < ?', NOW - 90 * DAY)).toBe(0);
    expect(count('request_rollups WHERE bucket_ms = 60000 AND ts >= ?', NOW - 90 * DAY)).toBe(4); // 89, 31, 29 and 1 days old
    expect(count('request_rollups WHERE bucket_ms = 3600000 AND ts < ?', NOW - 730 * DAY)).toBe(0);
    expect(count('request_rollups WHERE bucket_ms = 3600000 AND ts >= ?', NOW - 730 * DAY)).toBe(4); // 729, 31, 29 and 1 days old
    expect(count('incident_rollups WHERE bucket_ms = 60000')).toBe(1);
    expect(count('incident_rollups WHERE bucket_ms = 3600000')).toBe(1);
    expect(count('memory_samples')).toBe(1);
    expect(count('memory_rollups')).toBe(2); // both samples' hours were rolled up first
    expect(count('alerts')).toBe(1);
    expect(count('incidents')).toBe(1);
    expect(count('loads WHERE id = ?', oldLoad)).toBe(0);
    expect(count('loads WHERE id = ?', usedLoad)).toBe(1);
    expect(report.deleted.requests).toBe(2);
    expect(report.maxChunkMs).toBeGreaterThan(0);
  });

  it('keeps a request a firing alert points at, and clears the links of resolved alerts, incidents and proxy rows', async () => {
    const { db, write, retention, count } = setup();
    const [a, b, c] = write([req(NOW - 40 * DAY), req(NOW - 40 * DAY), req(NOW - 40 * DAY)]).requests;
    const firing = alert(db, 'firing', NOW - DAY, { requestId: a!.id });
    const resolved = alert(db, 'resolved', NOW - DAY, { requestId: b!.id });
    db.prepare(`INSERT INTO incidents (source_id, key, ts, kind, detail, request_id) VALUES (1, 1, ?, 'oom', 'd', ?)`).run(
      NOW - 40 * DAY,
      c!.id,
    );
    db.prepare(
      `INSERT INTO proxy_requests (request_id, at, ts, method, path, status, total_ms, request_bytes, response_bytes) VALUES (?, 'x', ?, 'POST', '/api/chat', 200, 1, 1, 1)`,
    ).run(c!.id, NOW - 40 * DAY);

    await retention.run();

    expect(db.prepare('SELECT id FROM requests').all()).toEqual([{ id: a!.id }]);
    expect(db.prepare('SELECT request_id FROM alerts WHERE id = ?').get(firing)).toEqual({ request_id: a!.id });
    expect(db.prepare('SELECT request_id FROM alerts WHERE id = ?').get(resolved)).toEqual({ request_id: null });
    expect(db.prepare('SELECT request_id FROM incidents').all()).toEqual([{ request_id: null }]);
    expect(count('proxy_requests')).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('deletes in chunks, each its own transaction, and ingestion runs between them', async () => {
    let between = 0;
    const ctx: ReturnType<typeof setup> = setup(
      {},
      {
        chunkRows: 500,
        pause: async () => {
          // A log batch arrives while retention is half-way.
          ctx.write([req(NOW - 1000)]);
          between++;
          await new Promise((r) => setImmediate(r));
        },
      },
    );
    const old = Array.from({ length: 1234 }, (_, i) => req(NOW - 40 * DAY + i));
    ctx.write(old);

    await ctx.retention.run();

    expect(ctx.chunks.filter((c) => c.step === 'requests').map((c) => c.rows)).toEqual([500, 500, 234]);
    expect(between).toBeGreaterThanOrEqual(2);
    expect(ctx.count('requests')).toBe(between);
    expect(ctx.count('requests WHERE ts < ?', NOW - 30 * DAY)).toBe(0);
    expect(ctx.store.requestCount()).toBe(between);
  });

  it('ends a run with its own WAL checkpoint, or with the pause it was given (the agent: the checkpoint worker) instead', async () => {
    const own = setup();
    await own.retention.run();
    expect(own.chunks.map((c) => c.step)).toContain('checkpoint');

    let pauses = 0;
    const given = setup({}, { pause: async () => void pauses++ });
    await given.retention.run();
    expect(given.chunks.map((c) => c.step)).not.toContain('checkpoint');
    // Nothing to delete, so no pause between chunks: the one at the end of the run.
    expect(pauses).toBe(1);
  });
});

describe('Memory rollups', () => {
  it('rolls memory samples up before deleting them, and /api/memory over an old window returns the hourly points', async () => {
    const { retention, memory, count } = setup();
    const start = Math.floor((NOW - 10 * DAY) / HOUR) * HOUR;
    const levels: PressureLevel[] = ['normal', 'normal', 'warn', 'normal', 'normal', 'critical'];
    // One sample every 10 minutes for 9 days; the used amount grows within each hour.
    for (let ts = start, i = 0; ts < NOW - DAY; ts += 600_000, i++) {
      memory.insert(sample(ts, { usedBytes: 1000 + (i % 6) * 10, swapUsedBytes: (i % 6) * 5, pressure: levels[i % 6]!, swapoutsDelta: 1 }));
    }

    await retention.run();

    const cut = Math.floor((NOW - 7 * DAY) / HOUR) * HOUR;
    expect(count('memory_samples WHERE ts < ?', cut)).toBe(0);
    expect(count('memory_samples WHERE ts >= ?', cut)).toBeGreaterThan(0);
    expect(count('memory_rollups')).toBe((Math.ceil((NOW - DAY) / HOUR) * HOUR - start) / HOUR); // every hour with samples

    // A window entirely older than the raw samples: one point per hour, same shape as raw samples.
    const old = memory.range(start, start + DAY, 720);
    expect(old.bucketMs).toBe(HOUR);
    expect(old.samples).toHaveLength(24);
    const p = old.samples[0]!;
    expect(p.usedBytes).toBe(1025); // avg of 1000…1050
    expect(p.swapUsedBytes).toBe(13); // round(avg 0…25)
    expect(p.pressure).toBe('critical');
    expect(p.swapoutsDelta).toBe(6);
    expect(Object.keys(p).sort()).toEqual(Object.keys(sample(0)).sort());

    // A window across the boundary: hourly points, then raw samples; thinned alike when too many.
    const across = memory.range(start, NOW, 5000);
    expect(across.samples.length).toBe(count('memory_rollups WHERE ts < ?', cut) + count('memory_samples'));
    const thin = memory.range(start, NOW, 50);
    expect(thin.bucketMs! % HOUR).toBe(0);
    expect(thin.samples.length).toBeLessThanOrEqual(52);
    // Every whole hour held a critical sample (the last one, cut short, may not).
    expect(thin.samples.slice(0, -1).every((s) => s.pressure === 'critical')).toBe(true);
    expect(thin.samples.map((s) => Date.parse(s.at))).toEqual([...thin.samples.map((s) => Date.parse(s.at))].sort((a, b) => a - b));
  });

  it('rolls an hour up once: a later run does not replace it with what is left of it', async () => {
    const { retention, memory, db } = setup({ memoryDays: 1 });
    const h = Math.floor((NOW - 2 * DAY) / HOUR) * HOUR;
    for (let i = 0; i < 6; i++) memory.insert(sample(h + i * 600_000));
    await retention.run();
    await retention.run();
    expect(db.prepare('SELECT samples FROM memory_rollups').all()).toEqual([{ samples: 6 }]);
  });
});

describe('Size cap', () => {
  it('deletes the oldest raw requests first, stops under the cap, and says so in one line', async () => {
    captureLog();
    const { db, write, retention, count } = setup({ requestsDays: 36_500, maxDbMb: 1 });
    // ~3 MB of requests in one minute (few rollup rows), 1 ms apart.
    const pad = 'x'.repeat(400);
    for (let b = 0; b < 8; b++) write(Array.from({ length: 1000 }, (_, i) => req(NOW - HOUR + b * 1000 + i, { path: `/api/chat?${pad}` })));
    const newest = (db.prepare('SELECT max(id) AS id FROM requests').get() as { id: number }).id;

    const report = (await retention.run())!;

    expect(report.usedBytesBefore).toBeGreaterThan(1024 * 1024);
    expect(report.usedBytesAfter).toBeLessThanOrEqual(0.9 * 1024 * 1024);
    const left = count('requests');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(8000);
    // What is left is the newest: contiguous ids up to the last one.
    const min = (db.prepare('SELECT min(id) AS id FROM requests').get() as { id: number }).id;
    expect(newest - min + 1).toBe(left);
    expect(count('request_rollups')).toBeGreaterThan(0); // the cap never needed the minute rollups
    const lines = logged.filter((l) => l.includes('--max-db-mb'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/deleted the \d+ oldest raw requests/);
    // The freed pages went back to the file system (new databases use incremental vacuum).
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
  });

  it('does nothing while under the cap', async () => {
    captureLog();
    const { write, retention, count } = setup({ maxDbMb: 100 });
    write([req(NOW - HOUR)]);
    await retention.run();
    expect(count('requests')).toBe(1);
    expect(logged.filter((l) => l.includes('--max-db-mb'))).toEqual([]);
  });
});

describe('Incremental vacuum', () => {
  it('is on for a new database, and an existing small one is converted at open', () => {
    const fresh = openDatabase(tmp(), MIGRATIONS_DIR);
    expect(fresh.pragma('auto_vacuum', { simple: true })).toBe(2);
    fresh.close();

    const dir = tmp();
    const legacy = new Database(join(dir, DB_FILE));
    legacy.pragma('journal_mode = WAL');
    migrate(legacy, loadMigrations(MIGRATIONS_DIR));
    expect(legacy.pragma('auto_vacuum', { simple: true })).toBe(0);
    legacy.close();
    const reopened = openDatabase(dir, MIGRATIONS_DIR);
    expect(reopened.pragma('auto_vacuum', { simple: true })).toBe(2);
    reopened.close();
  });
});

describe('Scheduling', () => {
  it('runs once shortly after start and stops cleanly', async () => {
    const { db, write, count } = setup();
    write([req(NOW - 40 * DAY)]);
    const r = new Retention({ db, options: DEFAULTS, now: () => NOW, firstDelayMs: 1 });
    r.start();
    for (let i = 0; i < 100 && count('requests') > 0; i++) await new Promise((res) => setTimeout(res, 5));
    await r.stop();
    expect(count('requests')).toBe(0);
  });
});
