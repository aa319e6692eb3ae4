// Memory samples: one row per poll, read back over a time range and thinned to a bounded number
// of points so a week of 5-second samples still answers in one small response.
import type { Database, Statement } from 'better-sqlite3';
import type { MemorySample, PressureLevel } from '../../shared/memory.js';

const FIELDS = [
  ['totalBytes', 'total_bytes'], ['usedBytes', 'used_bytes'], ['availableBytes', 'available_bytes'], ['wiredBytes', 'wired_bytes'],
  ['compressedBytes', 'compressed_bytes'], ['swapUsedBytes', 'swap_used_bytes'], ['swapTotalBytes', 'swap_total_bytes'],
  ['swapoutsDelta', 'swapouts_delta'], ['pressureValue', 'pressure_value'], ['ollamaFootprintBytes', 'ollama_footprint_bytes'],
  ['ollamaProcesses', 'ollama_processes'], ['gpuUsedBytes', 'gpu_used_bytes'], ['gpuTotalBytes', 'gpu_total_bytes'],
] as const satisfies readonly (readonly [keyof MemorySample, string])[];

const LEVELS: readonly PressureLevel[] = ['normal', 'warn', 'critical'];

type Row = Record<string, number | string | null>;

function rowToSample(r: Row): MemorySample {
  const s: Record<string, unknown> = { at: r.at };
  for (const [key, col] of FIELDS) s[key] = r[col] === null ? null : Number(r[col]);
  const rank = r.pressure_rank;
  s.pressure = typeof rank === 'number' ? (LEVELS[rank] ?? null) : ((r.pressure as PressureLevel | null) ?? null);
  s.pressureSource = r.pressure_source ?? null;
  return s as unknown as MemorySample;
}

export class MemoryStore {
  private readonly s: Record<'insert' | 'latest' | 'count' | 'prune', Statement>;
  private readonly bucketed: Statement;
  private readonly raw: Statement;

  constructor(db: Database) {
    const cols = FIELDS.map(([, c]) => c);
    this.s = {
      insert: db.prepare(
        `INSERT INTO memory_samples (ts, at, pressure, pressure_source, ${cols.join(', ')}) VALUES (${Array(cols.length + 4).fill('?').join(', ')})`,
      ),
      latest: db.prepare(`SELECT at, pressure, pressure_source, ${cols.join(', ')} FROM memory_samples ORDER BY ts DESC LIMIT ?`),
      count: db.prepare('SELECT count(*) AS n FROM memory_samples WHERE ts >= ? AND ts < ?'),
      prune: db.prepare('DELETE FROM memory_samples WHERE ts < ?'),
    };
    this.raw = db.prepare(
      `SELECT at, pressure, pressure_source, ${cols.join(', ')} FROM memory_samples WHERE ts >= ? AND ts < ? ORDER BY ts`,
    );
    // One point per bucket: averages for amounts (max for swap-outs and pressure, since a spike must
    // not be averaged away), the bucket's last time, and the worst pressure level in it.
    const agg = FIELDS.map(([, c]) => (c === 'swapouts_delta' ? `SUM(${c}) AS ${c}` : `ROUND(AVG(${c})) AS ${c}`)).join(', ');
    this.bucketed = db.prepare(
      `SELECT MAX(at) AS at, MAX(CASE pressure WHEN 'normal' THEN 0 WHEN 'warn' THEN 1 WHEN 'critical' THEN 2 END) AS pressure_rank,
              MAX(pressure_source) AS pressure_source, ${agg}
       FROM memory_samples WHERE ts >= ? AND ts < ? GROUP BY ts / CAST(? AS INTEGER) ORDER BY MIN(ts)`,
    );
  }

  insert(sample: MemorySample): void {
    const ts = Date.parse(sample.at);
    this.s.insert.run(ts, sample.at, sample.pressure, sample.pressureSource, ...FIELDS.map(([k]) => sample[k]));
  }

  /** Newest first. */
  latest(limit: number): MemorySample[] {
    return (this.s.latest.all(limit) as Row[]).map(rowToSample);
  }

  /** Samples in [from, to), oldest first; thinned to at most `maxPoints` buckets when there are more. */
  range(fromMs: number, toMs: number, maxPoints: number): { samples: MemorySample[]; bucketMs: number | null } {
    const n = (this.s.count.get(fromMs, toMs) as { n: number }).n;
    if (n <= maxPoints) return { samples: (this.raw.all(fromMs, toMs) as Row[]).map(rowToSample), bucketMs: null };
    const bucketMs = Math.ceil((toMs - fromMs) / maxPoints);
    return { samples: (this.bucketed.all(fromMs, toMs, bucketMs) as Row[]).map(rowToSample), bucketMs };
  }

  /** Drops samples older than `beforeMs`; returns how many. */
  prune(beforeMs: number): number {
    return this.s.prune.run(beforeMs).changes;
  }
}
