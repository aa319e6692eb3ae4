// Backfill with parse and store overlapping: far behind a log, batches are parsed on the
// pipeline thread (real worker thread, from the build) while the main thread stores the ones before
// them. The database must end exactly as when every batch is parsed and stored on the main thread,
// also when the store refuses batches while later ones wait on the thread.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { scenario } from '../../agent/demo/scenario.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';
import { PipelineThread } from '../../agent/pipeline/PipelineThread.js';
import { SourceIngestor, THREAD_BEHIND_BYTES } from '../../agent/pipeline/SourceIngestor.js';
import { DEFAULT_CORRELATOR_OPTIONS } from '../../agent/correlate/options.js';
import type { CorrelatedRecord } from '../../agent/correlate/records.js';
import { kvModelFrom, type KvSnapshot } from '../../agent/correlate/kvFacts.js';
import type { CorrelatorOptions } from '../../agent/correlate/options.js';
import { showBody } from '../../agent/demo/fakeOllama.js';
import { MODELS } from '../../agent/demo/models.js';
import { kvGeometry, type KvGeometry } from '../../agent/kv/kvGeometry.js';
import { FileTailer } from '../../agent/source/FileTailer.js';
import { log } from '../../agent/log.js';
import { lineCount } from '../../agent/source/LogSource.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import { ginLine } from '../helpers/gin.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** About `mb` MB of the demo's usage mix: every line kind, loads and incidents among the requests. */
function writeLog(path: string, mb: number): number {
  const chunks: string[] = [];
  let bytes = 0;
  for (const step of scenario({ start: new Date('2026-01-01T00:00:00Z'), offset: '+01:00', seed: 11, mix: 'usage' })) {
    const chunk = step.lines.join('\n') + '\n';
    chunks.push(chunk);
    bytes += Buffer.byteLength(chunk);
    if (bytes >= mb * 1e6) break;
  }
  writeFileSync(path, chunks.join(''));
  return bytes;
}

interface Run {
  db: Database;
  ingestor: SourceIngestor;
  /** Batches answered with a promise, i.e. parsed on the pipeline thread. */
  threaded: number;
  /** Lines of the batches stored before accept returned, i.e. parsed on the main thread. */
  linesHere: number;
  errors: string[];
}

/** A first start on `log`: the tailer reads it to its end, the ingestor parses and stores it. */
async function backfill(
  log: string,
  threadBehindBytes: number,
  failAt: Set<number> = new Set(),
  unsplit = true,
  onBatch?: () => void,
  correlator?: CorrelatorOptions,
  /** With threadBehindBytes 0: the thread loads its code before the first batch (else those before it are parsed on the main thread). */
  loadedFirst = true,
): Promise<Run> {
  const db = openDatabase(tmp(), MIGRATIONS_DIR);
  open.push(db);
  const store = new Store(db);
  // Refuses the calls numbered in failAt, as a full disk or a locked database would.
  let calls = 0;
  const write = store.writeBatch.bind(store);
  store.writeBatch = (records, cp, now) => {
    if (failAt.has(++calls)) throw new Error(`refused batch ${calls}`);
    return write(records, cp, now);
  };
  const ingestor = new SourceIngestor(store, new Bus(), log, correlator, { threadBehindBytes });
  const run: Run = { db, ingestor, threaded: 0, linesHere: 0, errors: [] };
  if (loadedFirst && threadBehindBytes === 0) await ingestor.startThread();
  const tailer = new FileTailer({
    path: log,
    start: ingestor.position,
    // As the agent reads: the bytes go to the thread unsplit, in reads growing from 64 KiB to 1 MiB.
    // Split, the batches are of 1 MiB from the first.
    unsplit,
    retryMs: 20,
    onBatch: (b) => {
      onBatch?.();
      const handed = ingestor.accept(b);
      // On the thread: handed over and not yet stored (a thread that could not start parses here instead).
      if (handed instanceof Promise && ingestor.threaded) run.threaded++;
      if (!(handed instanceof Promise)) run.linesHere += lineCount(b);
      return handed;
    },
    onStatus: () => {
      const e = tailer.status().lastError;
      if (e !== null && !run.errors.includes(e)) run.errors.push(e);
    },
  });
  await tailer.start();
  const size = statSync(log).size;
  await until(() => ingestor.resumePoint.offset === size && tailer.status().lastError === null, 30_000);
  await tailer.stop();
  await ingestor.close();
  return run;
}

function contents(db: Database) {
  return {
    requests: db.prepare('SELECT * FROM requests ORDER BY id').all(),
    loads: db.prepare('SELECT * FROM loads ORDER BY id').all(),
    incidents: db.prepare('SELECT * FROM incidents ORDER BY id').all(),
    servers: db.prepare('SELECT * FROM server_runs ORDER BY id').all(),
    rollups: db.prepare('SELECT * FROM request_rollups ORDER BY bucket_ms, ts, model, backend').all(),
    source: db.prepare('SELECT identity, fingerprint, offset, lines_read, state_json FROM sources').all(),
  };
}

/** A batch of one gin line ending at `offset`, with `behind` bytes of the log still unread after it. */
const oneLine = (offset: number, behind: number) => ({
  identity: '1:2',
  fingerprint: 'abc',
  offset,
  mtimeMs: 1,
  lines: [ginLine()],
  cut: 0,
  behind,
});

describe('backfill on the pipeline thread', () => {
  it('stores exactly what parsing on the main thread stores', async () => {
    const log = join(tmp(), 'server.log');
    writeLog(log, 5);
    const main = await backfill(log, Number.POSITIVE_INFINITY);
    const threaded = await backfill(log, 0);
    expect(main.threaded).toBe(0);
    expect(threaded.threaded).toBeGreaterThanOrEqual(2);
    const expected = contents(main.db);
    expect(expected.requests.length).toBeGreaterThan(5000);
    expect(expected.incidents.length).toBeGreaterThan(0);
    expect(contents(threaded.db)).toEqual(expected);
    expect(threaded.ingestor.unparsed).toBe(main.ingestor.unparsed);
  }, 60_000);

  it('stores the first batches itself while the thread loads its code, then hands the rest over, and stores the same', async () => {
    const log = join(tmp(), 'server.log');
    writeLog(log, 5);
    const main = await backfill(log, Number.POSITIVE_INFINITY);
    const threaded = await backfill(log, 0, new Set(), true, undefined, undefined, false);
    // The first read (64 KiB) takes a millisecond; the thread's code a tenth of a second or more.
    expect(threaded.linesHere).toBeGreaterThan(0);
    expect(threaded.threaded).toBeGreaterThanOrEqual(2);
    expect(contents(threaded.db)).toEqual(contents(main.db));
    expect(threaded.ingestor.unparsed).toBe(main.ingestor.unparsed);
  }, 60_000);

  it("runs with the live agent's options (functions included) and stores its KV facts as the main thread does", async () => {
    const log = join(tmp(), 'server.log');
    writeLog(log, 5);
    // What the live agent learns from /api/show and /api/ps, as OllamaSense gives it to the correlator.
    const snapshot: KvSnapshot = {
      names: MODELS.map((m) => [m.blob, m.name]),
      geometries: MODELS.flatMap((m) => {
        const geometry = kvGeometry((showBody(m) as { model_info: unknown }).model_info);
        return geometry === null ? [] : [[m.name, geometry] as [string, KvGeometry]];
      }),
      cacheType: 'q8_0',
      parallel: 2,
      listed: [],
      now: Date.parse('2026-01-01T00:00:00Z'),
    };
    expect(snapshot.geometries.length).toBeGreaterThan(1);
    const live: CorrelatorOptions = { ...DEFAULT_CORRELATOR_OPTIONS, kvModel: kvModelFrom(snapshot), kvSnapshot: () => snapshot };
    const main = await backfill(log, Number.POSITIVE_INFINITY, new Set(), true, undefined, live);
    const threaded = await backfill(log, 0, new Set(), true, undefined, live);
    expect(threaded.threaded).toBeGreaterThanOrEqual(2);
    expect(threaded.errors).toEqual([]);
    const expected = contents(main.db);
    // The facts reached the records: the KV cache filled by requests whose load's log did not say (MLX).
    const withoutFacts = await backfill(log, Number.POSITIVE_INFINITY);
    const kvUsedKnown = (c: ReturnType<typeof contents>) =>
      c.requests.filter((r) => (r as { kv_used_bytes: unknown }).kv_used_bytes !== null).length;
    expect(kvUsedKnown(expected)).toBeGreaterThan(kvUsedKnown(contents(withoutFacts.db)));
    expect(contents(threaded.db)).toEqual(expected);
  }, 60_000);

  it('loses and repeats nothing when the store refuses batches while later ones wait on the thread', async () => {
    const log = join(tmp(), 'server.log');
    writeLog(log, 5);
    // The same batches as the failing run's (a rollup's sums are added batch by batch).
    const main = await backfill(log, Number.POSITIVE_INFINITY, new Set(), false);
    // The 3rd write fails with batches behind it on the thread; after the retry, the 1st of the
    // next round fails too (nothing committed in between).
    // Batches of 1 MiB (split): enough of them in 5 MB for a failure with several behind it.
    const failing = await backfill(log, 0, new Set([3, 6, 7]), false);
    expect(failing.errors.some((e) => /cannot store lines: refused batch 3/.test(e))).toBe(true);
    expect(failing.threaded).toBeGreaterThanOrEqual(5);
    expect(contents(failing.db)).toEqual(contents(main.db));
  }, 60_000);

  it('keeps the batches on the thread, once it took over, up to the one that reaches the end of the log', async () => {
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    open.push(db);
    const ingestor = new SourceIngestor(new Store(db), new Bus(), '/logs/server.log', undefined, { threadBehindBytes: 1000 });
    // The first far batch starts the thread and, while it loads its code, is stored here.
    expect(ingestor.accept(oneLine(50, 6000))).toBeUndefined();
    expect(ingestor.resumePoint.offset).toBe(50);
    await ingestor.startThread();
    const far = ingestor.accept(oneLine(100, 5000));
    expect(far).toBeInstanceOf(Promise);
    await far;
    // Nothing is on the thread any more, and this batch is less than the threshold behind: it still
    // goes to the thread, which is running (the tail of a backfill is not parsed serially).
    const near = ingestor.accept(oneLine(200, 500));
    expect(near).toBeInstanceOf(Promise);
    await near;
    // Nothing behind it: the live path, parsed and stored before accept returns.
    expect(ingestor.accept(oneLine(300, 0))).toBeUndefined();
    expect(ingestor.resumePoint.offset).toBe(300);
    expect(ingestor.resumePoint.linesRead).toBe(4);
    await ingestor.close();
  });

  it('parses every batch on the main thread, saying so once, when the thread cannot load its code', async () => {
    const workerFile = join(tmp(), 'broken.mjs');
    writeFileSync(workerFile, "throw new Error('broken on purpose');\n");
    const db = openDatabase(tmp(), MIGRATIONS_DIR);
    open.push(db);
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      const ingestor = new SourceIngestor(new Store(db), new Bus(), '/logs/server.log', undefined, {
        threadBehindBytes: 0,
        workerFile: pathToFileURL(workerFile),
      });
      // Stored here while the thread loads; then the thread fails, and the rest is stored here too.
      expect(ingestor.accept(oneLine(100, 5000))).toBeUndefined();
      await ingestor.startThread();
      expect(ingestor.accept(oneLine(200, 5000))).toBeUndefined();
      await ingestor.startThread();
      expect(ingestor.accept(oneLine(300, 5000))).toBeUndefined();
      expect(ingestor.resumePoint).toMatchObject({ offset: 300, linesRead: 3 });
      const said = errors.mock.calls.map(([message]) => String(message)).filter((m) => m.includes('cannot start the pipeline thread'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain('broken on purpose');
      await ingestor.close();
    } finally {
      errors.mockRestore();
    }
  });

  it('gives the event loop a turn between batches when it parses them on the main thread', async () => {
    const log = join(tmp(), 'server.log');
    writeLog(log, 5);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const seen: number[] = [];
    try {
      await backfill(log, Number.POSITIVE_INFINITY, new Set(), true, () => seen.push(ticks));
    } finally {
      clearInterval(timer);
    }
    // Reads of 1, 2 and then about 1 MB: several batches, and timers run between them.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)! - seen[0]!).toBeGreaterThanOrEqual(seen.length - 2);
  }, 60_000);

  it('parses a short batch right in a buffer that held a longer one (the thread gives the bytes back for reuse)', async () => {
    const lines = (n: number, client: string) =>
      Array.from({ length: n }, (_, i) => ginLine({ time: `08:00:${String(i % 60).padStart(2, '0')}`, client }));
    const long = Buffer.from(lines(400, '10.0.0.1').join('\n') + '\n');
    const short = Buffer.from(lines(3, '10.0.0.2').join('\n') + '\n');
    const expected = (bytes: Buffer): CorrelatedRecord[] => {
      const pipeline = new LogPipeline(undefined, DEFAULT_CORRELATOR_OPTIONS);
      const records: CorrelatedRecord[] = [];
      for (const line of bytes.toString('utf8').split('\n').slice(0, -1)) pipeline.push(line, records);
      return records;
    };
    const thread = new PipelineThread(DEFAULT_CORRELATOR_OPTIONS);
    try {
      thread.reset(new LogPipeline().state);
      expect((await thread.parse([], long, { mtimeMs: null })).records).toEqual(expected(long));
      // The long batch's buffer came back and now holds the short one, its bytes after them stale.
      thread.reset(new LogPipeline().state);
      const parsed = await thread.parse([], short, { mtimeMs: null });
      expect(parsed.records).toEqual(expected(short));
      expect(parsed.records.map((r) => r.kind === 'request' && r.record.client)).toEqual(['10.0.0.2', '10.0.0.2', '10.0.0.2']);
    } finally {
      await thread.close();
    }
  });

  it('parses on the main thread, as it reads, when less than the threshold behind (the live path)', async () => {
    const log = join(tmp(), 'server.log');
    const bytes = writeLog(log, 1);
    expect(bytes).toBeLessThan(THREAD_BEHIND_BYTES);
    const run = await backfill(log, THREAD_BEHIND_BYTES);
    expect(run.threaded).toBe(0);
    expect((run.db.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n).toBeGreaterThan(1000);
  }, 60_000);
});
