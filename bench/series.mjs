#!/usr/bin/env node
// docs/quality-bars.md: "a 30-day chart over 1,000,000 stored requests answers in ≤ 50 ms". Inserts BENCH_SERIES_N
// requests (default 1,000,000) spread over the last 30 days through Store.writeBatch (rows and
// rollups in one transaction per batch, as the agent does), then times /api/series 30-day queries
// through the real app. Prints figures; asserts nothing. Run on the built dist: npm run build first.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../dist/agent/http/createApp.js';
import { MemorySampleStore } from '../dist/agent/store/MemorySampleStore.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { Store } from '../dist/agent/store/Store.js';
import { mulberry32 } from '../dist/agent/demo/rng.js';

const DAY = 86_400_000;
const GOAL_MS = 50;

/** The demo's seeded generator: the same queries on every run. */
const rng = (seed) => mulberry32(seed).next;

const MODELS = ['qwen3.5:35b-a3b', 'qwen3:8b', 'llama3.2:3b', 'gemma3:12b', 'gpt-oss:20b'];
const BACKENDS = ['mlx', 'metal'];

const QUERIES = [
  'metric=decode_tps&stat=p50&group=backend',
  'metric=decode_tps&stat=p95&group=model_backend',
  'metric=prefill_tps&stat=p50&group=backend',
  'metric=latency_ms&stat=avg&group=model',
  'metric=requests&stat=count&group=none',
];

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

export async function benchSeries({ n = Number(process.env.BENCH_SERIES_N ?? 1_000_000), queries = 50, batchSize = 20_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-series-'));
  try {
    const db = openDatabase(join(dir, 'data'), join(import.meta.dirname, '..', 'migrations'));
    const store = new Store(db);
    let cp = store.resumePoint('/bench/server.log');
    const now = Date.now();
    const start = now - 30 * DAY;
    const r = rng(11);
    let key = 0;
    const t0 = performance.now();
    for (let done = 0; done < n; done += batchSize) {
      const records = [];
      for (let i = done; i < Math.min(n, done + batchSize); i++) {
        const ts = start + Math.floor((i / n) * 30 * DAY);
        const inference = r() < 0.85;
        const model = inference ? MODELS[Math.floor(r() * MODELS.length)] : null;
        const backend = inference ? BACKENDS[Math.floor(r() * BACKENDS.length)] : null;
        const speed = backend === 'mlx' ? 1.4 : 1;
        records.push({
          kind: 'request',
          record: {
            key: ++key,
            loadKey: null,
            at: new Date(ts).toISOString(),
            ts,
            method: inference ? 'POST' : 'GET',
            path: inference ? '/api/chat' : '/api/ps',
            status: r() < 0.02 ? 500 : 200,
            latencyMs: inference ? 500 + r() * 30_000 : r() * 3,
            client: '127.0.0.1',
            kind: inference ? 'inference' : 'other',
            model,
            backend,
            promptTokens: inference ? Math.floor(r() * 8000) : null,
            completionTokens: inference ? Math.floor(r() * 800) : null,
            prefillTps: inference ? speed * (300 + r() * 700) : null,
            decodeTps: inference ? speed * (20 + r() * 40) : null,
            ctxUsed: inference ? Math.floor(r() * 8000) : null,
            ctxLimit: inference ? 8192 : null,
            truncated: inference ? r() < 0.01 : null,
            peakMemoryBytes: null,
            modelMemoryBytes: null,
            kvBytes: null,
            kvUsedBytes: null,
            kvFill: null,
          },
        });
      }
      cp = { ...cp, offset: key * 100, linesRead: key };
      store.writeBatch(records, cp, Date.now());
    }
    const insertMs = performance.now() - t0;
    const rollupRows = db.prepare('SELECT bucket_ms, count(*) AS n FROM request_rollups GROUP BY bucket_ms').all();

    const app = createApp({
      store,
      status: () => ({}),
      dashboardDir: join(dir, 'none'),
      memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
      models: () => ({ items: [], checkedAt: null }),
      alerts: { list: () => [], acknowledge: () => null, kinds: [] },
    });
    const time = async (url) => {
      const t = performance.now();
      const res = await app.request(url);
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${url}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    // Warm up the statement cache and the page cache, as a running agent would be.
    for (const q of QUERIES) await time(`/api/series?range=30d&${q}`);
    const times = [];
    let points = 0;
    for (let i = 0; i < queries; i++) {
      const { ms, body } = await time(`/api/series?range=30d&${QUERIES[i % QUERIES.length]}`);
      times.push(ms);
      points += body.series.reduce((s, x) => s + x.points.length, 0);
    }
    times.sort((a, b) => a - b);
    const day = [];
    for (let i = 0; i < 20; i++) day.push((await time(`/api/series?range=24h&${QUERIES[i % QUERIES.length]}`)).ms);
    day.sort((a, b) => a - b);
    const compare = (await time('/api/compare?range=30d')).ms;
    const dbBytes = statSync(join(dir, 'data', 'ollama-lens.db')).size;
    db.close();
    return {
      n,
      insertMs,
      insertRate: n / (insertMs / 1000),
      rollupRows,
      dbBytes,
      p50: quantile(times, 0.5),
      p95: quantile(times, 0.95),
      max: times.at(-1),
      queries,
      avgPoints: points / queries,
      dayP50: quantile(day, 0.5),
      dayP95: quantile(day, 0.95),
      compareMs: compare,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSeries(s) {
  const rows = Object.fromEntries(s.rollupRows.map((r) => [r.bucket_ms === 60_000 ? 'minute' : 'hour', r.n]));
  return [
    `series store (requests + rollups):  ${s.n.toLocaleString('en')} requests over 30 days in ${(s.insertMs / 1000).toFixed(1)} s = ` +
      `${Math.round(s.insertRate).toLocaleString('en')} requests/s; rollup rows ${rows.minute} minute + ${rows.hour} hour; database ${(s.dbBytes / 1e6).toFixed(0)} MB`,
    `/api/series 30 days (hour rollups):  p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms over ${s.queries} queries ` +
      `(${s.avgPoints.toFixed(0)} points each); goal: ≤ ${GOAL_MS} ms: ${s.p95 <= GOAL_MS ? 'met' : 'NOT met'}`,
    `/api/series 24 h (minute rollups):   p50 ${s.dayP50.toFixed(1)} ms, p95 ${s.dayP95.toFixed(1)} ms; /api/compare 30 days: ${s.compareMs.toFixed(1)} ms`,
    `(machine load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores while measuring)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatSeries(await benchSeries()));
}
