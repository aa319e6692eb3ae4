// Hourly summaries of the memory samples (table memory_rollups, migration 0008). An hour is rolled up
// once it is complete, long before its raw samples age out, and never again: the raw samples of an
// hour may later be deleted, and a second roll-up would then replace a whole hour with a part of it.
// /api/memory reads these for the part of a window older than the oldest raw sample.
import type { Database, Statement } from 'better-sqlite3';
import type { MemorySample, PressureLevel } from '../../shared/memory.js';

export const HOUR_MS = 3_600_000;

const LEVELS: readonly PressureLevel[] = ['normal', 'warn', 'critical'];

/** Averaged amounts: the same columns in memory_samples and memory_rollups. */
const AVG = [
  'total_bytes',
  'used_bytes',
  'available_bytes',
  'wired_bytes',
  'compressed_bytes',
  'swap_used_bytes',
  'swap_total_bytes',
  'pressure_value',
  'ollama_footprint_bytes',
  'gpu_used_bytes',
  'gpu_total_bytes',
] as const;
const ROUNDED = new Set<string>(AVG.filter((c) => c !== 'pressure_value'));

interface RollupRow {
  ts: number;
  samples: number;
  at: string;
  pressure_rank: number | null;
  pressure_source: string | null;
  swapouts_delta: number | null;
  ollama_processes: number | null;
  [col: string]: number | string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSample(r: RollupRow): MemorySample {
  return {
    at: r.at,
    totalBytes: num(r.total_bytes),
    usedBytes: num(r.used_bytes),
    availableBytes: num(r.available_bytes),
    wiredBytes: num(r.wired_bytes),
    compressedBytes: num(r.compressed_bytes),
    swapUsedBytes: num(r.swap_used_bytes),
    swapTotalBytes: num(r.swap_total_bytes),
    swapoutsDelta: num(r.swapouts_delta),
    pressure: r.pressure_rank === null ? null : (LEVELS[r.pressure_rank] ?? null),
    pressureValue: num(r.pressure_value),
    pressureSource: (r.pressure_source as MemorySample['pressureSource']) ?? null,
    ollamaFootprintBytes: num(r.ollama_footprint_bytes),
    ollamaProcesses: num(r.ollama_processes),
    gpuUsedBytes: num(r.gpu_used_bytes),
    gpuTotalBytes: num(r.gpu_total_bytes),
  };
}

export class MemoryRollups {
  private readonly s: Record<'rollUp' | 'lastHour' | 'firstSample' | 'hours' | 'thinned' | 'count', Statement>;

  constructor(db: Database) {
    const rank = `MAX(CASE pressure WHEN 'normal' THEN 0 WHEN 'warn' THEN 1 WHEN 'critical' THEN 2 END)`;
    this.s = {
      // Hours in [@from, @to), both multiples of an hour.
      rollUp: db.prepare(
        `INSERT OR REPLACE INTO memory_rollups (ts, samples, at, used_max, swap_used_max, swapouts_delta, pressure_rank, pressure_source,
           ollama_processes, ${AVG.join(', ')})
         SELECT (ts / ${HOUR_MS}) * ${HOUR_MS}, COUNT(*), MAX(at), MAX(used_bytes), MAX(swap_used_bytes), SUM(swapouts_delta), ${rank},
           MAX(pressure_source), MAX(ollama_processes), ${AVG.map((c) => (ROUNDED.has(c) ? `ROUND(AVG(${c}))` : `AVG(${c})`)).join(', ')}
         FROM memory_samples WHERE ts >= @from AND ts < @to GROUP BY ts / ${HOUR_MS}`,
      ),
      lastHour: db.prepare('SELECT MAX(ts) AS ts FROM memory_rollups'),
      firstSample: db.prepare('SELECT MIN(ts) AS ts FROM memory_samples WHERE ts >= @from'),
      count: db.prepare('SELECT COUNT(*) AS n FROM memory_rollups WHERE ts > @from - ' + HOUR_MS + ' AND ts < @to'),
      // Hours overlapping [@from, @to).
      hours: db.prepare(`SELECT * FROM memory_rollups WHERE ts > @from - ${HOUR_MS} AND ts < @to ORDER BY ts`),
      // Several hours to a point, weighted by their sample counts.
      thinned: db.prepare(
        `SELECT MIN(ts) AS ts, SUM(samples) AS samples, MAX(at) AS at, MAX(pressure_rank) AS pressure_rank,
           MAX(pressure_source) AS pressure_source, SUM(swapouts_delta) AS swapouts_delta, MAX(ollama_processes) AS ollama_processes,
           ${AVG.map((c) => {
             const avg = `SUM(${c} * samples) / NULLIF(SUM(CASE WHEN ${c} IS NULL THEN 0 ELSE samples END), 0)`;
             return `${ROUNDED.has(c) ? `ROUND(${avg})` : avg} AS ${c}`;
           }).join(', ')}
         FROM memory_rollups WHERE ts > @from - ${HOUR_MS} AND ts < @to GROUP BY ts / CAST(@bucket AS INTEGER) ORDER BY MIN(ts)`,
      ),
    };
  }

  /** The first hour not yet rolled up that holds a sample (null: none). */
  nextHour(): number | null {
    const last = (this.s.lastHour.get() as { ts: number | null }).ts;
    const first = (this.s.firstSample.get({ from: last === null ? Number.MIN_SAFE_INTEGER : last + HOUR_MS }) as { ts: number | null }).ts;
    return first === null ? null : Math.floor(first / HOUR_MS) * HOUR_MS;
  }

  /**
   * Rolls up at most `maxHours` complete hours (ending at or before `nowMs`) not yet rolled up; one
   * short statement. Returns the hours covered (0: nothing left to do). Hours without samples (the
   * agent was stopped) are skipped.
   */
  rollUpStep(nowMs: number, maxHours: number): number {
    const from = this.nextHour();
    if (from === null) return 0;
    const end = Math.min(Math.floor(nowMs / HOUR_MS) * HOUR_MS, from + maxHours * HOUR_MS);
    if (end <= from) return 0;
    this.s.rollUp.run({ from, to: end });
    return (end - from) / HOUR_MS;
  }

  /** Hours overlapping [from, to). */
  count(fromMs: number, toMs: number): number {
    return (this.s.count.get({ from: fromMs, to: toMs }) as { n: number }).n;
  }

  /** One point per hour overlapping [from, to), or per `bucketMs` (a multiple of an hour) when given. */
  range(fromMs: number, toMs: number, bucketMs?: number): MemorySample[] {
    const rows = (
      bucketMs === undefined || bucketMs <= HOUR_MS
        ? this.s.hours.all({ from: fromMs, to: toMs })
        : this.s.thinned.all({ from: fromMs, to: toMs, bucket: bucketMs })
    ) as RollupRow[];
    return rows.map(toSample);
  }
}
