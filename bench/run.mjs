#!/usr/bin/env node
// `npm run bench`: throughput of the log pipeline on a large realistic log, on one core.
// The log is written by the demo's simulator (every era-F line kind, llama.cpp load dumps included)
// into a temporary file of BENCH_MB megabytes (default 256; BENCH_MB=1024 for a 1 GB log).
// BENCH_MIX=usage (default) is days of ordinary use with the demo's stories among them; BENCH_MIX=demo
// is the demo alone, a crash and a server restart every two minutes (the stress mix).
// BENCH_LOG=PATH measures your own log instead. Prints figures; asserts nothing (speed goals are
// shown here, never in tests).
import { benchIdle } from './idle.mjs';
import { formatFloor, requestRowFloor } from './floor.mjs';
import { createWriteStream, mkdtempSync, rmSync, statSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { analyzeFiles } from '../dist/agent/analyze/analyzeLog.js';
import { scenario } from '../dist/agent/demo/scenario.js';
import { LogPipeline } from '../dist/agent/pipeline/LogPipeline.js';
import { READ_BYTES } from '../dist/agent/source/readLines.js';
import { startCheckpointer } from '../dist/agent/store/wal/checkpointer.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { Store } from '../dist/agent/store/Store.js';
import { measureLatency } from './latency.mjs';
import { cpuBetween, threadCpu } from './threadCpu.mjs';
import { firstStartInChild } from './firstStart.mjs';
import { forEachChunk as forEachLogChunk } from './forEachChunk.mjs';
import { formatHalvesAtOnce, halvesAtOnce } from './halvesAtOnce.mjs';
import { replayInChild } from './replay.mjs';
import { benchProxy } from './proxy.mjs';
import { benchRetention } from './retention.mjs';
import { benchSeries, formatSeries } from './series.mjs';

const targetMb = Number(process.env.BENCH_MB ?? 256);
// BENCH_ONLY=replay,retention runs only those phases after parse (analyze, replay, latency, series,
// proxy, retention, idle); parse always runs (the replay's ratio needs it).
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (phase) => only === null || only.has(phase);
const mix = process.env.BENCH_MIX === 'demo' ? 'demo' : 'usage';
const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-bench-'));
// BENCH_LOG measures a log of your own (read only) instead of a simulated one.
const own = process.env.BENCH_LOG;
const log = own ?? join(dir, 'server.log');

async function writeLog() {
  const out = createWriteStream(log);
  let bytes = 0;
  for (const step of scenario({ start: new Date('2026-01-01T00:00:00Z'), offset: '+01:00', seed: 7, mix })) {
    const chunk = step.lines.join('\n') + '\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    if (bytes >= targetMb * 1e6) break;
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** The dashboard's shipped JavaScript, raw and gzipped (level 9), against its goal (docs/quality-bars.md). */
const DASHBOARD_ASSETS = join(import.meta.dirname, '..', 'dist', 'dashboard', 'assets');
const DASHBOARD_GOAL_KB = 150;

function dashboardSize() {
  if (!existsSync(DASHBOARD_ASSETS)) return `dashboard JS: ${DASHBOARD_ASSETS} not found (run npm run build first)`;
  let raw = 0;
  let gz = 0;
  let files = 0;
  for (const entry of readdirSync(DASHBOARD_ASSETS, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const buf = readFileSync(join(entry.parentPath ?? entry.path, entry.name));
    raw += buf.length;
    gz += gzipSync(buf, { level: zlibConstants.Z_BEST_COMPRESSION }).length;
    files++;
  }
  // 1 KB = 1000 bytes, as Vite reports sizes.
  const kb = (n) => (n / 1000).toFixed(1);
  return (
    `dashboard JS:                     ${files} file${files === 1 ? '' : 's'}, ${kb(raw)} KB raw, ${kb(gz)} KB gzipped (level 9); ` +
    `goal ≤ ${DASHBOARD_GOAL_KB} KB gzipped: ${gz <= DASHBOARD_GOAL_KB * 1000 ? 'met' : 'NOT met'}`
  );
}

const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
/**
 * The first, absolute goal for parse + store on one core: out of reach on a 2-vCPU VM, so the relative
 * goals below decide (docs/quality-bars.md).
 */
const REPLAY_GOAL_MBPS = 100;
/** The backfill's replay against the slower of its two halves, each measured alone. */
const OVERLAP_GOAL = 0.8;
/** The store alone, per request, against SQLite's floor for the request row. */
const FLOOR_GOAL = 1.5;
/** Request rows kept from the first pass for the SQLite floor (phase 3c). */
const FLOOR_ROWS = 200_000;

/** Reads the log in 1 MiB chunks (or `chunkBytes`), as the tailer does, and hands over the complete lines. */
const forEachChunk = (onLines, chunkBytes) => forEachLogChunk(log, onLines, chunkBytes);

/** Batches parsed ahead of each timed stretch of storeOnly: enough to time, few enough to leave the heap small. */
const STORE_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * Store.writeBatch alone: the log cut into the batches the agent's backfill stores (reads of
 * READ_BYTES), parsed 64 MB ahead at a time, and only the storing of them timed, into a new database
 * per pass. The best pass, and the first one's time (its code cold). (Parsing the whole log ahead
 * would hold all its records in memory, and a heap that large slows every collection: at 1 GB the
 * store measured 20 % slower that way.)
 */
async function storeOnly(passes) {
  let best = null;
  let firstMs = 0;
  for (let pass = 0; pass < passes; pass++) {
    const data = join(dir, `store-${pass}`);
    const db = openDatabase(data, join(import.meta.dirname, '..', 'migrations'));
    const checkpointer = startCheckpointer(db);
    const store = new Store(db);
    const start = store.resumePoint(log);
    const pipeline = new LogPipeline();
    const run = { ms: 0, requests: 0, records: 0, batches: 0, dbBytes: 0 };
    let batches = [];
    let pending = 0;
    let linesRead = 0;
    const storeAll = () => {
      const t0 = performance.now();
      for (const b of batches) {
        const cp = { ...start, offset: b.offset, linesRead: b.linesRead, stateJson: b.stateJson };
        run.requests += store.writeBatch(b.records, cp, Date.now()).requests.length;
      }
      run.ms += performance.now() - t0;
      for (const b of batches) run.records += b.records.length;
      run.batches += batches.length;
      batches = [];
      pending = 0;
    };
    let from = 0;
    forEachChunk((lines, endOffset) => {
      const records = [];
      for (const line of lines) pipeline.push(line, records);
      linesRead += lines.length;
      batches.push({ records, offset: endOffset, linesRead, stateJson: JSON.stringify(pipeline.state) });
      pending += endOffset - from;
      from = endOffset;
      if (pending >= STORE_SEGMENT_BYTES) storeAll();
    }, READ_BYTES);
    storeAll();
    await checkpointer.stop();
    run.dbBytes = statSync(join(data, 'ollama-lens.db')).size;
    db.close();
    rmSync(data, { recursive: true, force: true });
    if (best === null || run.ms < best.ms) best = run;
    if (pass === 0) firstMs = run.ms;
  }
  return { ...best, firstMs };
}

/** The log's first `n` request records, as the correlator makes them. */
function firstRequests(n) {
  const rows = [];
  const pipeline = new LogPipeline();
  forEachChunk((lines) => {
    const records = [];
    for (const line of lines) pipeline.push(line, records);
    for (const r of records) if (r.kind === 'request' && rows.length < n) rows.push(r.record);
    return rows.length >= n;
  });
  return rows;
}

try {
  // 0. The dashboard bundle (milliseconds; independent of the log).
  console.log(dashboardSize());
  let bytes;
  if (own) {
    bytes = statSync(own).size;
    console.log(`reading ${own}: ${(bytes / 1e6).toFixed(0)} MB`);
  } else {
    process.stdout.write(`writing a ${targetMb} MB simulated Ollama log (${mix} mix)… `);
    bytes = await writeLog();
    console.log(`${(bytes / 1e6).toFixed(0)} MB`);
  }

  // 1. parse + correlate: 1 MiB reads → lines → pipeline; records are counted and dropped. Several
  // passes: this machine's speed varies from run to run, so the best and the median are shown.
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const times = [];
  let counts;
  let p1;
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    counts = { request: 0, load: 0, incident: 0, server: 0 };
    p1 = new LogPipeline();
    forEachChunk((lines) => {
      const records = [];
      for (const line of lines) p1.push(line, records);
      for (const r of records) counts[r.kind]++;
    });
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `parse+correlate:                  best ${mbps(bytes, sorted[0])} MB/s, median ${mbps(bytes, sorted[sorted.length >> 1])} MB/s of ${runs} passes — ` +
      `${p1.lines} lines (${p1.unparsed} unparsed), ${counts.request} requests (${Math.round(bytes / counts.request)} bytes of log each), ` +
      `${counts.load} load updates, ${counts.incident} incidents`,
  );
  let t;
  let ms;

  // 2. `analyze`: the same plus the whole `--json` result kept in memory.
  if (want('analyze')) {
    t = performance.now();
    const { result } = await analyzeFiles([log]);
    ms = performance.now() - t;
    console.log(
      `analyze (result kept in memory):  ${mbps(bytes, ms)} MB/s — ${result.requests.length} requests, ${result.loads.length} loads, ${(ms / 1000).toFixed(1)} s`,
    );
  }

  if (want('replay')) {
    // 3. Parse and store, apart and together. Store only: the log's batches as the agent's backfill
    // cuts them, each stored in one transaction (rows, loads, incidents, rollups, resume point), best
    // of BENCH_RUNS passes as for parse, and timed apart from the parse as the parse is from the store.
    const parseMbps = bytes / 1e6 / (sorted[0] / 1000);
    const store = await storeOnly(runs);
    const storeMbps = bytes / 1e6 / (store.ms / 1000);
    const storeUsPerRequest = (store.ms * 1000) / Math.max(1, store.requests);
    console.log(
      `store only (Store.writeBatch):    best ${storeMbps.toFixed(1)} MB/s of ${runs} passes — ${store.batches} batches, ${store.records} records, ` +
        `${storeUsPerRequest.toFixed(1)} µs per request all included, database ${(store.dbBytes / 1e6).toFixed(1)} MB`,
    );
    // On one thread, each 1 MiB read is parsed and then stored, as the agent did before its pipeline thread.
    const db = openDatabase(join(dir, 'serial'), join(import.meta.dirname, '..', 'migrations'));
    // As in the agent: WAL checkpoints on their own thread, not inside the batches' commits.
    const checkpointer = startCheckpointer(db);
    const serialStore = new Store(db);
    let cp = serialStore.resumePoint(log);
    const pipeline = new LogPipeline();
    let storeMs = 0;
    const serialCpu0 = threadCpu();
    t = performance.now();
    forEachChunk((lines, endOffset) => {
      const records = [];
      for (const line of lines) pipeline.push(line, records);
      cp = { ...cp, offset: endOffset, linesRead: cp.linesRead + lines.length, stateJson: JSON.stringify(pipeline.state) };
      const s = performance.now();
      serialStore.writeBatch(records, cp, Date.now());
      storeMs += performance.now() - s;
    });
    const serialMs = performance.now() - t;
    const serialCpu = cpuBetween(serialCpu0, threadCpu());
    await checkpointer.stop();
    db.close();
    console.log(
      `replay on one thread:             ${mbps(bytes, serialMs)} MB/s — parse then store, 1 MiB after 1 MiB (the agent before its pipeline thread); ` +
        `its store ${mbps(bytes, storeMs)} MB/s between the parses` +
        (serialCpu ? `; main thread CPU ${(serialCpu.main / 1000).toFixed(2)} s` : ''),
    );
    // 3b. The agent's own backfill: FileTailer + SourceIngestor, batches parsed on the pipeline thread
    // while the main thread stores the ones before them (BENCH_THREAD_MB: how far behind it takes over).
    const threadBehind = Number(process.env.BENCH_THREAD_MB ?? 8) * 1024 * 1024;
    const replay = await replayInChild(log, dir, threadBehind);
    const replayMbps = bytes / 1e6 / (replay.ms / 1000);
    const ratio = replayMbps / Math.min(parseMbps, storeMbps);
    console.log(
      `replay (the agent's backfill):    ${replayMbps.toFixed(1)} MB/s — ${replay.requests} requests, ${(replay.ms / 1000).toFixed(1)} s in a new process, ` +
        `parsed on the pipeline thread while more than ${(threadBehind / 1048576).toFixed(0)} MB behind; goal ≥ ${REPLAY_GOAL_MBPS} MB/s: ` +
        `${replayMbps >= REPLAY_GOAL_MBPS ? 'met' : 'NOT met'}`,
    );
    const restMbps = (bytes - replay.warmup.bytes) / 1e6 / ((replay.ms - replay.warmup.ms) / 1000);
    console.log(
      `  first tenth and the rest:       ${mbps(replay.warmup.bytes, replay.warmup.ms)} MB/s over the first ${(replay.warmup.bytes / 1e6).toFixed(0)} MB ` +
        `(both threads compiling their code), then ${restMbps.toFixed(1)} MB/s = ${(restMbps / Math.min(parseMbps, storeMbps)).toFixed(2)} of the slower half`,
    );
    if (replay.cpu) {
      const perMb = (ms) => `${((ms * 1000) / (bytes / 1e6)).toFixed(0)} µs/MB`;
      console.log(
        `  CPU by thread (backfill):       main ${(replay.cpu.main / 1000).toFixed(2)} s (${perMb(replay.cpu.main)}), ` +
          `pipeline thread ${(replay.cpu.pipeline / 1000).toFixed(2)} s (${perMb(replay.cpu.pipeline)}), V8 helpers and the rest ${(replay.cpu.others / 1000).toFixed(2)} s; ` +
          `wall ${(replay.ms / 1000).toFixed(2)} s (on a busy machine the wall clock mostly measures the others)`,
      );
      // The halves are timed alone, each with the other core free for V8's helpers; together the
      // threads and helpers share the cores, so no scheduling does better than all the CPU spread evenly.
      const cores = availableParallelism();
      const cpuMs = replay.cpu.main + replay.cpu.pipeline + replay.cpu.others;
      const boundMbps = bytes / 1e6 / (cpuMs / cores / 1000);
      console.log(
        `  bound by this run's CPU:        ${(cpuMs / 1000).toFixed(2)} s of CPU on ${cores} cores take at least ${(cpuMs / cores / 1000).toFixed(2)} s: ` +
          `at most ${boundMbps.toFixed(1)} MB/s = ratio ${(boundMbps / Math.min(parseMbps, storeMbps)).toFixed(2)}, with no warm-up and no core ever idle`,
      );
    }
    // 3c. The whole agent's first start on the same log: every listener on the bus (WebSocket hub,
    // alerts, metrics) gets each stored request, as when `ollama-lens` starts on a log it never read.
    const agent = await firstStartInChild(log, dir);
    console.log(
      `first start of the whole agent:   ${mbps(bytes, agent.ms)} MB/s — ${(agent.ms / 1000).toFixed(1)} s in a new process until its source ` +
        `had read the log (HTTP, WebSocket hub, alerts and metrics running; Ollama unreachable; no client connected)`,
    );
    console.log(
      `overlap: replay / min(parse only ${parseMbps.toFixed(1)}, store only ${storeMbps.toFixed(1)} MB/s) = ${ratio.toFixed(2)}; ` +
        `goal ≥ ${OVERLAP_GOAL}: ${ratio >= OVERLAP_GOAL ? 'met' : 'NOT met'}`,
    );
    // The replay runs once, its code cold in a new process; the halves above are their best pass,
    // warm after the first. Their first passes, each with its own code cold, read the same way:
    const coldParse = bytes / 1e6 / (times[0] / 1000);
    const coldStore = bytes / 1e6 / (store.firstMs / 1000);
    console.log(
      `  against the halves' first passes (code as cold as the replay's): min(parse ${coldParse.toFixed(1)}, store ${coldStore.toFixed(1)} MB/s) → ` +
        `${(replayMbps / Math.min(coldParse, coldStore)).toFixed(2)} (for reading the miss; the goal is the line above)`,
    );
    // What the miss is made of: the same two halves at once with no hand-off at all (the ceiling here).
    console.log(formatHalvesAtOnce(await halvesAtOnce(log, dir), bytes, Math.min(parseMbps, storeMbps), replay.ms));
    // 3d. Why, on this machine: what SQLite alone takes for the request rows, and the store against it.
    const bytesPerRequest = Math.round(bytes / counts.request);
    // The rows are parsed again here: kept from the first pass, they would have weighed on every
    // collection of this process's heap in between.
    const floorRows = firstRequests(FLOOR_ROWS);
    if (floorRows.length === 0) console.log('SQLite floor (request row alone):  the log holds no requests; nothing to measure');
    else {
      const floor = await requestRowFloor(floorRows);
      console.log(formatFloor(floor, bytesPerRequest, parseMbps, REPLAY_GOAL_MBPS));
      const vsFloor = storeUsPerRequest / floor;
      console.log(
        `store alone vs the SQLite floor:  ${storeUsPerRequest.toFixed(1)} / ${floor.toFixed(1)} µs per request = ${vsFloor.toFixed(2)}×; ` +
          `goal ≤ ${FLOOR_GOAL}×: ${vsFloor <= FLOOR_GOAL ? 'met' : 'NOT met'}`,
      );
    }
  }
  if (want('latency')) {
    const lat = await measureLatency();
    console.log(
      `live latency (append → WebSocket): p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms ` +
        `over ${lat.received}/${lat.count} lines; goal: p99 ≤ 50 ms`,
    );
  }
  // 4. History charts: 1,000,000 requests over 30 days (BENCH_SERIES_N), then 30-day /api/series queries.
  if (want('series')) console.log(formatSeries(await benchSeries()));
  // 5. `--proxy`: added latency, time to first token and stream throughput, direct vs proxied.
  if (want('proxy')) for (const line of await benchProxy()) console.log(line);
  // 6. Retention: the longest single chunk a log batch may wait for, on 200,000 requests.
  if (want('retention')) for (const line of await benchRetention()) console.log(line);
  // 7. The agent at rest: CPU and resident memory of the real CLI.
  if (want('idle')) for (const line of await benchIdle()) console.log(line);
  console.log(
    `bench process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (the whole log analysed in memory; not the agent)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
