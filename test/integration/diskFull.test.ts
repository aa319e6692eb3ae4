// A full disk: SQLite refuses the batch (SQLITE_FULL, here by a page limit smaller than the data),
// ingestion pauses with a visible status and retries, and once there is room every line is stored
// exactly once — the resume point only ever moved with the rows.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { SourceIngestor } from '../../agent/pipeline/SourceIngestor.js';
import { FileTailer } from '../../agent/source/FileTailer.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import { ginLine } from '../helpers/gin.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

describe('a full disk', () => {
  it('pauses ingestion with a visible error, then resumes and loses nothing', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, '');
    const db = openDatabase(join(dir, 'data'), MIGRATIONS_DIR);
    const store = new Store(db);
    const ingestor = new SourceIngestor(store, new Bus(), log);
    const tailer = new FileTailer({
      path: log,
      start: ingestor.position,
      retryMs: 50,
      onBatch: (b) => ingestor.ingest(b),
    });
    stops.push(async () => {
      await tailer.stop();
      db.close();
    });
    await tailer.start();

    // Room for what is there now and not much more.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const written = Array.from({ length: 3000 }, (_, i) => ginLine({ path: `/api/chat/${i}`, latency: `${i + 1}ms` }));
    appendFileSync(log, written.join('\n') + '\n');

    const paused = await until(() => tailer.status().state === 'error' && tailer.status());
    expect(paused.lastError).toMatch(/cannot store lines: .*full.*; retrying/i);
    expect(store.requestCount()).toBe(0);

    // The disk gets room again: the same lines go in, once.
    db.pragma('max_page_count = 1073741823');
    await until(() => store.requestCount() === written.length);
    await until(() => tailer.status().state === 'following');
    const paths = db
      .prepare('SELECT path FROM requests ORDER BY id')
      .all()
      .map((r) => (r as { path: string }).path);
    expect(paths).toEqual(written.map((_, i) => `/api/chat/${i}`));
    // The refused batches left no trace in the correlator either: its record keys run on without a gap.
    const keys = db
      .prepare('SELECT key FROM requests ORDER BY id')
      .all()
      .map((r) => (r as { key: number }).key);
    expect(keys).toEqual(written.map((_, i) => i + 1));
    expect(ingestor.resumePoint.offset).toBe(Buffer.byteLength(written.join('\n') + '\n'));
  });
});
