#!/usr/bin/env node
// docs/quality-bars.md: nothing blocks ingestion for more than a few ms. Stores BENCH_RETENTION_N requests
// (default 200,000) over the last 120 days through Store.writeBatch (rows and rollups, as the agent
// does), an incident for one request in 20, and 10 days of memory samples; then runs one retention
// pass with the default tiers (about 3/4 of the requests, a month of minute rollups and 3 days of
// memory samples go) and one with a size cap below the database's size. Prints the longest single
// chunk — what a log batch may have to wait for — and the event loop's worst delay meanwhile.
// WAL checkpoints run on the checkpointer's worker thread, and retention pauses for it, as in the agent.
// Prints figures; asserts nothing. Run on the built dist: npm run build first.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Retention } from '../dist/agent/retention/Retention.js';
import { startCheckpointer } from '../dist/agent/store/wal/checkpointer.js';
import { MemorySampleStore } from '../dist/agent/store/MemorySampleStore.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { Store } from '../dist/agent/store/Store.js';

const DAY = 86_400_000;
const GOAL_MS = 10; // "a few ms"

const MODELS = ['qwen3:8b', 'llama3.2:3b', 'gemma3:12b'];

function fill(db, n, now) {
  const store = new Store(db);
  let cp = store.resumePoint('/bench/server.log');
  const span = 120 * DAY;
  const start = now - span;
  let key = 1;
  for (let i = 0; i < n; i += 1000) {
    const records = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const ts = Math.floor(start + (j / n) * span);
      const k = key++;
      records.push({
        kind: 'request',
        record: {
          key: k,
          loadKey: null,
          at: new Date(ts).toISOString(),
          ts,
          method: 'POST',
          path: '/api/chat',
          status: j % 50 ? 200 : 500,
          latencyMs: 800 + (j % 97) * 10,
          client: '127.0.0.1',
          kind: 'inference',
          model: MODELS[j % 3],
          backend: j % 2 ? 'mlx' : 'metal',
          promptTokens: 500,
          completionTokens: 200,
          prefillTps: 900,
          decodeTps: 40 + (j % 13),
          ctxUsed: 700,
          ctxLimit: 8192,
          truncated: 0,
          peakMemoryBytes: null,
          modelMemoryBytes: null,
          kvBytes: null,
          kvUsedBytes: null,
          kvFill: null,
        },
      });
      if (j % 20 === 0) {
        records.push({
          kind: 'incident',
          record: {
            key: k + 1e9,
            at: new Date(ts).toISOString(),
            ts,
            kind: 'slow_request',
            model: MODELS[j % 3],
            detail: 'bench',
            loadKey: null,
            requestKey: k,
          },
        });
      }
    }
    cp = { ...cp, offset: cp.offset + 1 };
    store.writeBatch(records, cp, now);
  }
  const memory = new MemorySampleStore(db);
  for (let ts = now - 10 * DAY; ts < now; ts += 10_000) {
    memory.insert({
      at: new Date(ts).toISOString(),
      totalBytes: 64e9,
      usedBytes: 40e9 + (ts % 7) * 1e6,
      availableBytes: 24e9,
      wiredBytes: 8e9,
      compressedBytes: 1e9,
      swapUsedBytes: 0,
      swapTotalBytes: 1e9,
      swapoutsDelta: 0,
      pressure: 'normal',
      pressureValue: 60,
      pressureSource: 'macos',
      ollamaFootprintBytes: 9e9,
      ollamaProcesses: 2,
      gpuUsedBytes: null,
      gpuTotalBytes: null,
    });
  }
}

async function pass(db, options, now, pause) {
  const perStep = new Map();
  const all = [];
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const t0 = performance.now();
  const report = await new Retention({
    db,
    options,
    now: () => now,
    pause,
    onChunk: ({ step, ms }) => {
      all.push(ms);
      perStep.set(step, Math.max(perStep.get(step) ?? 0, ms));
    },
  }).run();
  const total = performance.now() - t0;
  loop.disable();
  const worst = [...perStep.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([s, ms]) => `${s} ${ms.toFixed(1)}`)
    .join(', ');
  all.sort((a, b) => a - b);
  const q = (p) => (all.length ? all[Math.min(all.length - 1, Math.floor(all.length * p))] : 0);
  return { report, total, worst, p50: q(0.5), p99: q(0.99), loopMax: loop.max / 1e6 };
}

export async function benchRetention() {
  const n = Number(process.env.BENCH_RETENTION_N ?? 200_000);
  const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-retention-'));
  try {
    const db = openDatabase(dir, join(import.meta.dirname, '..', 'migrations'));
    const checkpointer = startCheckpointer(db);
    // For the file sizes only, between passes: everything into the database file. Busy while the
    // checkpointer's own round runs; that takes milliseconds.
    const fold = () => {
      for (let i = 0; i < 500 && db.pragma('wal_checkpoint(TRUNCATE)')[0].busy; i++)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    };
    const now = Date.now();
    fill(db, n, now);
    const file = join(dir, 'ollama-lens.db');
    const mb = (b) => (b / 1048576).toFixed(0);
    fold();
    const sizeBefore = statSync(file).size;
    const defaults = { requestsDays: 30, minutesDays: 90, hoursDays: 730, memoryDays: 7, maxDbMb: 0 };
    const tiers = await pass(db, defaults, now, checkpointer.pause);
    fold();
    const sizeTiers = statSync(file).size;
    const capMb = Math.max(1, Math.floor((tiers.report.usedBytesAfter / 1048576) * 0.8));
    const cap = await pass(db, { ...defaults, maxDbMb: capMb }, now, checkpointer.pause);
    fold();
    const sizeCap = statSync(file).size;
    await checkpointer.stop();
    db.close();
    const line = (name, p, extra) =>
      `retention (${name}):`.padEnd(34) +
      `chunk p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, longest ${p.report.maxChunkMs.toFixed(1)} ms over ${p.report.chunks} chunks ` +
      `(worst: ${p.worst}), event-loop delay max ` +
      `${p.loopMax.toFixed(1)} ms, pass ${(p.total / 1000).toFixed(1)} s; ${extra}; goal: each chunk a few ms (≤ ${GOAL_MS} ms): ` +
      `${p.report.maxChunkMs <= GOAL_MS ? 'met' : 'NOT met'}`;
    return [
      line(
        'tiers',
        tiers,
        `${n} requests stored, ${Object.entries(tiers.report.deleted)
          .map(([s, k]) => `${k} ${s}`)
          .join(', ')}; file ${mb(sizeBefore)} → ${mb(sizeTiers)} MB`,
      ),
      line(`cap ${capMb} MB`, cap, `${cap.report.deleted['cap-requests'] ?? 0} oldest requests; file ${mb(sizeTiers)} → ${mb(sizeCap)} MB`),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l of await benchRetention()) console.log(l);
}
