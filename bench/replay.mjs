// The agent's own backfill, as `ollama-lens` runs it on a first start: a FileTailer reads the log
// from its start and a SourceIngestor parses and stores it (real database, WAL checkpoints on their
// thread). `threadBehindBytes` chooses where the pipeline thread takes over: Infinity parses every
// batch on the main thread, one after the other with its store (the agent before it had a pipeline thread).
//
// replayInChild runs it in a new process, as a first start does: both threads compile their code
// from cold, and the heap holds nothing but the agent's (the bench's own process keeps the parse
// passes' records, which slow every collection of its heap).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Bus } from '../dist/agent/bus.js';
import { SourceIngestor } from '../dist/agent/pipeline/SourceIngestor.js';
import { FileTailer } from '../dist/agent/source/FileTailer.js';
import { startCheckpointer } from '../dist/agent/store/wal/checkpointer.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { Store } from '../dist/agent/store/Store.js';
import { cpuBetween, threadCpu } from './threadCpu.mjs';

/** { ms, requests, dbBytes, cpu } of one backfill of `log` into a new database under `parent`. */
export async function replayBackfill(log, parent, threadBehindBytes) {
  const dir = mkdtempSync(join(parent, 'replay-'));
  try {
    const db = openDatabase(dir, join(import.meta.dirname, '..', 'migrations'));
    const checkpointer = startCheckpointer(db);
    const store = new Store(db);
    const ingestor = new SourceIngestor(store, new Bus(), log, undefined, { threadBehindBytes });
    // When each batch was committed, and how far into the log it reached.
    const marks = [];
    const committed = (offset) => marks.push([performance.now(), offset]);
    const onBatch = (b) => {
      const handed = ingestor.accept(b);
      if (handed instanceof Promise) return handed.then(() => committed(b.offset));
      committed(b.offset);
      return handed;
    };
    const tailer = new FileTailer({ path: log, start: ingestor.position, unsplit: true, onBatch });
    const cpu0 = threadCpu();
    const t = performance.now();
    // start() returns once the first read burst (the whole backfill) is committed.
    await tailer.start();
    const ms = performance.now() - t;
    // The first tenth of the log, while both threads still compile their code, and the rest.
    const size = statSync(log).size;
    const tenth = marks.find(([, offset]) => offset >= size / 10) ?? [t + ms, size];
    const warmup = { ms: tenth[0] - t, bytes: tenth[1] };
    // Before the pipeline thread ends (it idles a while before it does).
    const cpu = cpuBetween(cpu0, threadCpu());
    await tailer.stop();
    await ingestor.close();
    await checkpointer.stop();
    const requests = store.requestCount();
    db.close();
    return { ms, requests, dbBytes: statSync(join(dir, 'ollama-lens.db')).size, offset: ingestor.resumePoint.offset, cpu, warmup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** replayBackfill in a new node process; the same result. */
export async function replayInChild(log, parent, threadBehindBytes) {
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), log, parent, String(threadBehindBytes)], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [log, parent, behind] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await replayBackfill(log, parent, Number(behind))));
}
