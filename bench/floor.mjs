// What SQLite alone costs this machine per stored request, and so the fastest a replay could be here
// however fast the rest of the pipeline became. The log's own request rows (as the correlator made
// them) are inserted with nothing else: the agent's prepared statement, into the real schema (its
// indexes, WAL, foreign keys), one transaction per 1,600 rows (about one 1 MiB read of a usage log), WAL
// checkpoints on their thread as in the agent. No parsing, loads, rollups or resume points. Prints
// figures; asserts nothing. Run on the built dist.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCheckpointer } from '../dist/agent/store/wal/checkpointer.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { INSERT_REQUEST_SQL, NO_LIVE_MEMORY, requestParams } from '../dist/agent/store/requestRows.js';

const BATCH = 1600;
/** Passes, each into a new database; the best is shown (this machine's speed varies). */
const RUNS = 3;

/** µs per request row, best of `runs` passes. */
export async function requestRowFloor(requests, runs = RUNS) {
  const perRow = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-floor-'));
    try {
      const db = openDatabase(join(dir, 'data'), join(import.meta.dirname, '..', 'migrations'));
      const checkpointer = startCheckpointer(db);
      db.prepare("INSERT INTO sources (path) VALUES ('floor')").run();
      const insert = db.prepare(INSERT_REQUEST_SQL);
      // Loads are not stored here, so no row references one.
      const params = requests.map((r) => requestParams(1, null, r, NO_LIVE_MEMORY));
      const write = db.transaction((from) => {
        for (let i = from; i < Math.min(from + BATCH, params.length); i++) insert.run(...params[i]);
      });
      const t = performance.now();
      for (let from = 0; from < params.length; from += BATCH) write(from);
      perRow.push(((performance.now() - t) * 1000) / params.length);
      await checkpointer.stop();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return Math.min(...perRow);
}

/**
 * The ceiling a replay has on this machine: SQLite's row alone at `bytesPerRequest` of log per
 * request, and with this run's parser added (both costs are per request, so they add up).
 */
export function formatFloor(usPerRow, bytesPerRequest, parseMbps, goalMbps) {
  const storeOnly = bytesPerRequest / usPerRow;
  const withParse = 1 / (1 / storeOnly + 1 / parseMbps);
  return (
    `SQLite floor (request row alone):  ${usPerRow.toFixed(1)} µs/row best of ${RUNS} → at ${bytesPerRequest} bytes of log per request, ` +
    `a replay here cannot exceed ${storeOnly.toFixed(0)} MB/s with a free parser, ${withParse.toFixed(0)} MB/s with this parser ` +
    `(goal ${goalMbps} MB/s: ${withParse >= goalMbps ? 'reachable' : 'NOT reachable'} on this machine without storing less)`
  );
}
