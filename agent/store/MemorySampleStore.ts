// Memory samples: one row per poll, read back over a time range and thinned to a bounded number
// of points so a week of 5-second samples still answers in one small response.
import type { Database, Statement } from 'better-sqlite3';
import type { MemorySample, PressureLevel } from '../../shared/memory.js';
import { HOUR_MS, MemoryRollups } from './MemoryRollups.js';

const FIELDS = [
  ['totalBytes', 'total_bytes'],
  ['usedBytes', 'used_bytes'],
  ['availableBytes', 'available_bytes'],
  ['wiredBytes', 'wired_bytes'],
  ['compressedBytes', 'compressed_bytes'],
  ['swapUsedBytes', 'swap_used_bytes'],
  ['swapTotalBytes', 'swap_total_bytes'],
  ['swapoutsDelta', 'swapouts_delta'],
  ['pressureValue', 'pressure_value'],
  ['ollamaFootprintBytes', 'ollama_footprint_bytes'],
  ['ollamaProcesses', 'ollama_processes'],
  ['gpuUsedBytes', 'gpu_used_bytes'],
  ['gpuTotalBytes', 'gpu_total_bytes'],
] as const satisfies readonly (readonly [keyof MemorySample, string])[];

const LEVELS: readonly PressureLevel[] = ['normal', 'warn', 'critical'];

type Row = Record<string, number | string | null>;

function rowToSample(r: Row): MemorySample {
  const s: Record<string, unknown> = { at: r.at };
  for (const [key, col] of FIELDS) s[key] = r[col] === null ? null : Number(r[col]);
  const rank = r.pressure_rank;
  s.pressure = typeof rank === 'number' ? (LEVELS[rank] ?? null) : (r.pressure ?? null);
  s.pressureSource = r.pressure_source ?? null;
  return s as unknown as MemorySample;
}

export class MemorySampleStore {
  private readonly s: Record<'insert' | 'latest' | 'count', Statement>;
  private readonly bucketed: Statement;
  private readonly raw: Statement;
  /** Hourly summaries, for windows older than the oldest raw sample (raw ones age out first). */
  readonly rollups: MemoryRollups;
  private readonly oldest: Statement;

  constructor(db: Database) {
    const cols = FIELDS.map(([, c]) => c);
    this.s = {
      insert: db.prepare(
        `INSERT INTO memory_samples (ts, at, pressure, pressure_source, ${cols.join(', ')}) VALUES (${Array(cols.length + 4)
          .fill('?')
          .join(', ')})`,
      ),
      latest: db.prepare(`SELECT at, pressure, pressure_source, ${cols.join(', ')} FROM memory_samples ORDER BY ts DESC LIMIT ?`),
      count: db.prepare('SELECT count(*) AS n FROM memory_samples WHERE ts >= ? AND ts < ?'),
    };
    this.rollups = new MemoryRollups(db);
    this.oldest = db.prepare('SELECT MIN(ts) AS ts FROM memory_samples');
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
    // The part of the window before the oldest raw sample's hour comes from the hourly rollups.
    const oldest = (this.oldest.get() as { ts: number | null }).ts;
    const boundary = Math.min(toMs, oldest === null ? toMs : Math.floor(oldest / HOUR_MS) * HOUR_MS);
    if (boundary > fromMs && this.rollups.count(fromMs, boundary) > 0) return this.withRollups(fromMs, boundary, toMs, maxPoints);
    const n = (this.s.count.get(fromMs, toMs) as { n: number }).n;
    if (n <= maxPoints) return { samples: (this.raw.all(fromMs, toMs) as Row[]).map(rowToSample), bucketMs: null };
    const bucketMs = Math.ceil((toMs - fromMs) / maxPoints);
    return { samples: (this.bucketed.all(fromMs, toMs, bucketMs) as Row[]).map(rowToSample), bucketMs };
  }

  /** Hourly rollups for [from, boundary), raw samples for [boundary, to), thinned alike when too many. */
  private withRollups(fromMs: number, boundary: number, toMs: number, maxPoints: number): { samples: MemorySample[]; bucketMs: number } {
    const hours = this.rollups.count(fromMs, boundary);
    const raw = boundary < toMs ? (this.s.count.get(boundary, toMs) as { n: number }).n : 0;
    if (hours + raw <= maxPoints) {
      const recent = raw > 0 ? (this.raw.all(boundary, toMs) as Row[]).map(rowToSample) : [];
      return { samples: [...this.rollups.range(fromMs, boundary), ...recent], bucketMs: HOUR_MS };
    }
    const bucketMs = Math.max(1, Math.ceil((toMs - fromMs) / maxPoints / HOUR_MS)) * HOUR_MS;
    const recent = raw > 0 ? (this.bucketed.all(boundary, toMs, bucketMs) as Row[]).map(rowToSample) : [];
    return { samples: [...this.rollups.range(fromMs, boundary, bucketMs), ...recent], bucketMs };
  }
}
