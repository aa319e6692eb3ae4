// Retention: keeps the database to its tiers and its size cap without ever holding up
// ingestion for more than a few milliseconds. Runs shortly after start and then every few minutes.
// Everything is deleted in small chunks, each its own short transaction on the agent's one connection,
// with a turn of the event loop (setImmediate) between chunks, so a log batch or a memory sample waits
// at most for one chunk. Order of a run:
//   1. roll up complete hours of memory samples (memory_rollups) — before any of them can age out;
//   2. raw requests older than --retention-requests-days (with their proxy_requests; incidents and
//      resolved alerts that point at them keep their row with the link cleared; a request a firing
//      alert points at is kept until the alert resolves);
//   3. minute rollups (requests, incidents) older than --retention-minutes-days;
//   4. hour rollups (requests, incidents, memory) older than --retention-hours-days;
//   5. raw memory samples older than --retention-memory-days (only hours already rolled up);
//   6. resolved alerts, then incidents, then loads older than --retention-hours-days (a load is kept
//      while a request, an incident or a firing alert still points at it);
//   7. the size cap (--max-db-mb): oldest raw requests, then oldest minute rollups, until 10% under;
//   8. `PRAGMA incremental_vacuum` in small steps (the file shrinks), then a passive WAL checkpoint.
// Cut-offs are whole hours, so an hour of requests is either all there or all gone (Rollups.rebuild
// recomputes whole hours from the raw rows).
import type { Database } from 'better-sqlite3';
import { errorText, log } from '../log.js';
import { HOUR, MINUTE } from '../store/requestAgg.js';
import { MemoryRollups } from '../store/MemoryRollups.js';
import { RetentionDeletes, type Chunk } from './RetentionDeletes.js';

const DAY = 86_400_000;
const MIB = 1024 * 1024;

export interface RetentionOptions {
  requestsDays: number;
  minutesDays: number;
  /** Hour rollups; loads, incidents and resolved alerts are kept as long. */
  hoursDays: number;
  memoryDays: number;
  /** 0: no cap. */
  maxDbMb: number;
}

export type RetentionStep =
  | 'memory-rollup'
  | 'requests'
  | 'minute-rollups'
  | 'hour-rollups'
  | 'memory-samples'
  | 'alerts'
  | 'incidents'
  | 'loads'
  | 'cap-requests'
  | 'cap-minute-rollups'
  | 'vacuum'
  | 'checkpoint';

export interface ChunkInfo {
  step: RetentionStep;
  /** Rows deleted (or hours rolled up, or pages vacuumed). */
  rows: number;
  ms: number;
}

export interface RetentionReport {
  deleted: Partial<Record<RetentionStep, number>>;
  chunks: number;
  /** The longest single chunk (one transaction, or one vacuum step). */
  maxChunkMs: number;
  /** Bytes in use (page_count − freelist_count) × page_size, before and after the size cap. */
  usedBytesBefore: number;
  usedBytesAfter: number;
}

export interface RetentionDeps {
  db: Database;
  options: RetentionOptions;
  now: () => number;
  /** Between runs; 10 minutes by default. */
  intervalMs?: number;
  /** The first run after start(); 30 s by default (start-up first, the backfill often running). */
  firstDelayMs?: number;
  /** Rows per chunk; 250 by default. */
  chunkRows?: number;
  /** Pages returned to the OS per incremental_vacuum step; 128 (512 KiB of 4 KiB pages) by default. */
  vacuumPages?: number;
  /** Raw requests were deleted (the Store keeps a running count). */
  onRequestsDeleted?: (n: number) => void;
  /** After every chunk (tests, the bench). */
  onChunk?: (chunk: ChunkInfo) => void;
  /**
   * What runs between chunks, and once more at the end of a run in place of a WAL checkpoint on this
   * connection. The agent passes its WAL checkpointer's pause(): a turn of the event loop, then, once the
   * WAL has grown, the time for the checkpoint worker to copy it (the fsyncs stay off the event loop).
   * Without it: a turn of the event loop between chunks and a PASSIVE checkpoint at the end.
   */
  pause?: () => Promise<void>;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const floorHour = (ms: number): number => Math.floor(ms / HOUR) * HOUR;
const mb = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MB`;

export class Retention {
  private readonly deletes: RetentionDeletes;
  private readonly memory: MemoryRollups;
  private readonly vacuumPages: number;
  private readonly pause: () => Promise<void>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionReport | null> | null = null;
  private stopped = false;
  private report: RetentionReport = Retention.emptyReport();

  constructor(private readonly d: RetentionDeps) {
    const { db } = d;
    this.vacuumPages = d.vacuumPages ?? 128;
    this.pause = d.pause ?? turn;
    this.memory = new MemoryRollups(db);
    this.deletes = new RetentionDeletes(db, d.chunkRows ?? 250, d.onRequestsDeleted);
  }

  private static emptyReport(): RetentionReport {
    return { deleted: {}, chunks: 0, maxChunkMs: 0, usedBytesBefore: 0, usedBytesAfter: 0 };
  }

  /** The first run after `firstDelayMs`, then one every `intervalMs`. */
  start(): void {
    this.stopped = false;
    this.schedule(this.d.firstDelayMs ?? 30_000);
  }

  /** No new run; resolves once a run in progress has finished its current chunk. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run().finally(() => this.schedule(this.d.intervalMs ?? 10 * MINUTE));
    }, ms);
    this.timer.unref();
  }

  /** One whole pass; never throws (a failure is logged and the next run tries again). */
  run(): Promise<RetentionReport | null> {
    this.running ??= this.pass()
      .then(
        (r) => r,
        (err: unknown) => {
          log.warn(`retention: ${errorText(err)}`);
          return null;
        },
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(): Promise<RetentionReport> {
    this.report = Retention.emptyReport();
    const o = this.d.options;
    const now = this.d.now();
    const cut = (days: number): number => floorHour(now - days * DAY);
    const { db } = this.d;

    // 1. Memory first: every complete hour is summarised long before its samples may go.
    await this.drain('memory-rollup', () => {
      const hours = this.memory.rollUpStep(now, 6);
      return { rows: hours, more: hours > 0 };
    });
    // 2. Raw requests.
    const requestsCut = cut(o.requestsDays);
    await this.drain('requests', () => this.deletes.deleteRequests(requestsCut));
    // 3, 4. Rollups.
    const minutesCut = cut(o.minutesDays);
    await this.drain('minute-rollups', () => this.deletes.deleteRollups('request', MINUTE, minutesCut));
    await this.drain('minute-rollups', () => this.deletes.deleteRollups('incident', MINUTE, minutesCut));
    const hoursCut = cut(o.hoursDays);
    await this.drain('hour-rollups', () => this.deletes.deleteRollups('request', HOUR, hoursCut));
    await this.drain('hour-rollups', () => this.deletes.deleteRollups('incident', HOUR, hoursCut));
    await this.drain('hour-rollups', () => this.deletes.deleteMemoryRollups(hoursCut));
    // 5. Raw memory samples, only of hours already rolled up.
    const next = this.memory.nextHour();
    const memoryCut = Math.min(cut(o.memoryDays), next ?? Number.MAX_SAFE_INTEGER);
    await this.drain('memory-samples', () => this.deletes.deleteMemorySamples(memoryCut));
    // 6. Alerts, incidents, loads: as long as the hour rollups.
    await this.drain('alerts', () => this.deletes.deleteAlerts(hoursCut));
    await this.drain('incidents', () => this.deletes.deleteIncidents(hoursCut));
    await this.drain('loads', () => this.deletes.deleteLoads(hoursCut));

    const tiers = Object.entries(this.report.deleted).filter(([step, n]) => step !== 'memory-rollup' && n > 0);
    if (tiers.length > 0) {
      log.info(
        `retention: deleted ${tiers.map(([step, n]) => `${n} ${step}`).join(', ')} (kept: requests ${o.requestsDays} d, minute rollups ` +
          `${o.minutesDays} d, hour rollups ${o.hoursDays} d, memory samples ${o.memoryDays} d)`,
      );
    }

    // 7. The size cap.
    this.report.usedBytesBefore = this.usedBytes();
    if (o.maxDbMb > 0) await this.enforceCap(o.maxDbMb * MIB);
    this.report.usedBytesAfter = this.usedBytes();

    // 8. Hand the free pages back (only with auto_vacuum = INCREMENTAL), then checkpoint the WAL.
    if (db.pragma('auto_vacuum', { simple: true }) === 2) {
      await this.drain('vacuum', () => {
        const free = db.pragma('freelist_count', { simple: true }) as number;
        if (free === 0) return { rows: 0, more: false };
        db.pragma(`incremental_vacuum(${this.vacuumPages})`);
        return { rows: Math.min(free, this.vacuumPages), more: free > this.vacuumPages };
      });
    }
    if (!this.stopped) {
      if (this.d.pause) await this.d.pause();
      else {
        this.timed('checkpoint', () => {
          db.pragma('wal_checkpoint(PASSIVE)');
          return { rows: 0, more: false };
        });
      }
    }
    return this.report;
  }

  /** Oldest raw requests, then oldest minute rollups, until 10% under the cap; one log line saying so. */
  private async enforceCap(capBytes: number): Promise<void> {
    const before = this.usedBytes();
    if (before <= capBytes) return;
    const target = capBytes * 0.9;
    const oldest = this.deletes.oldestRequestTs();
    const under = (): boolean => this.usedBytes() <= target;
    const requests = await this.drain('cap-requests', () =>
      under() ? { rows: 0, more: false } : this.deletes.deleteRequests(Number.MAX_SAFE_INTEGER),
    );
    let minutes = 0;
    if (!under()) {
      minutes += await this.drain('cap-minute-rollups', () =>
        under() ? { rows: 0, more: false } : this.deletes.deleteRollups('request', MINUTE, Number.MAX_SAFE_INTEGER),
      );
      minutes += await this.drain('cap-minute-rollups', () =>
        under() ? { rows: 0, more: false } : this.deletes.deleteRollups('incident', MINUTE, Number.MAX_SAFE_INTEGER),
      );
    }
    const after = this.usedBytes();
    const left = this.deletes.oldestRequestTs();
    const span =
      oldest === null || requests === 0
        ? ''
        : left === null
          ? ' (all of them)'
          : ` (${new Date(oldest).toISOString()} to ${new Date(left).toISOString()})`;
    log.warn(
      `retention: the database used ${mb(before)}, over --max-db-mb ${mb(capBytes)}: deleted the ${requests} oldest raw requests${span}` +
        `${minutes > 0 ? ` and ${minutes} oldest minute rollups` : ''}; now ${mb(after)}` +
        (after > target ? ' — still over the target: hour rollups, loads and incidents are never deleted for size' : ''),
    );
  }

  private usedBytes(): number {
    const { db } = this.d;
    const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    return pages * (db.pragma('page_size', { simple: true }) as number);
  }

  /** Runs `once` until it reports nothing more, a turn of the event loop between chunks; returns the rows. */
  private async drain(step: RetentionStep, once: () => Chunk): Promise<number> {
    let total = 0;
    while (!this.stopped) {
      const { rows, more } = this.timed(step, once);
      total += rows;
      if (!more) break;
      await this.pause();
    }
    return total;
  }

  private timed(step: RetentionStep, once: () => Chunk): Chunk {
    const t0 = performance.now();
    const result = once();
    const ms = performance.now() - t0;
    if (result.rows > 0 || step === 'checkpoint') {
      this.report.chunks++;
      this.report.maxChunkMs = Math.max(this.report.maxChunkMs, ms);
      if (step !== 'checkpoint') this.report.deleted[step] = (this.report.deleted[step] ?? 0) + result.rows;
      this.d.onChunk?.({ step, rows: result.rows, ms });
    }
    return result;
  }
}
