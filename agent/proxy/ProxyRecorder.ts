// Turns what the proxy saw into request rows. Each record is held for a moment (the log's access
// line of the same request normally arrives within milliseconds), and longer while the log is being
// read behind its end (a backfill, a burst), since its line may still be unread. Then it is merged
// into the log's row of that request — same method, path and status, end time and latency within
// ±1.5 s, closest latency, no proxy data yet — whose token counts and speeds it overwrites with the
// exact ones (source `both`); without such a row it becomes a proxy-only row (source `proxy`). Either
// way the raw timings go to `proxy_requests` and the row is published on the bus. The log's ingest
// path is not touched.
import type { Database, Statement } from 'better-sqlite3';
import type { RequestLiveMemory, RequestRecord } from '../../shared/records.js';
import { requestDelta, type Bus } from '../bus.js';
import { requestKind } from '../correlate/requestKind.js';
import { NO_LIVE_MEMORY, REQUEST_COLUMNS, rowToRequest, type RequestRow } from '../store/requestRows.js';
import { ROLLUP_BUCKETS } from '../store/requestAgg.js';
import { ROLLUP_REQUEST_COLUMNS, rollupRequestFrom, type RollupRequestRow } from '../store/rollupRows.js';
import { Rollups } from '../store/Rollups.js';
import type { ProxyRecord } from './ExchangeRecording.js';

export const HOLD_MS = 2000;
export const MERGE_TOLERANCE_MS = 1500;
/**
 * Longest a record waits for a log that is behind. Storing it sooner would make the request two rows
 * (the proxy's now, the log's when its line is read), counted twice in every chart; later, a log that
 * never catches up would hold the exact figures back from the dashboard.
 */
export const MAX_HOLD_MS = 60_000;
/** How often a record held for a log that is behind looks again. */
const RECHECK_MS = 250;

/** The exact figures a proxy record gives a request row. */
export interface ProxyFigures {
  promptTokens: number | null;
  completionTokens: number | null;
  /** eval_count / eval_duration (ns). */
  decodeTps: number | null;
  /** prompt_eval_count / prompt_eval_duration (ns). */
  prefillTps: number | null;
}

const rate = (count: number | null, ns: number | null): number | null =>
  count !== null && ns !== null && count > 0 && ns > 0 ? Math.round((count / (ns / 1e9)) * 100) / 100 : null;

export function proxyFigures(rec: ProxyRecord): ProxyFigures {
  const s = rec.scan;
  return {
    promptTokens: s.promptEvalCount ?? s.usageInput,
    completionTokens: s.evalCount ?? s.usageOutput,
    decodeTps: rate(s.evalCount, s.evalDuration),
    prefillTps: rate(s.promptEvalCount, s.promptEvalDuration),
  };
}

/** ISO-8601 in the machine's zone with its offset, as the log's times are stored. */
export function localIso(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const p = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}${zone}`;
}

export interface ProxyRecorderOptions {
  db: Database;
  bus: Pick<Bus, 'publish'>;
  /** The `sources` row proxy-only requests belong to (`proxy:LISTEN`). */
  sourceId: number;
  holdMs?: number;
  /**
   * Whether every log source has been read to its end. Gin writes a request's line before the
   * response ends, so once the log is read to its end the line is stored if it exists. Default: always.
   */
  logCaughtUp?: () => boolean;
  maxHoldMs?: number;
  toleranceMs?: number;
  now?: () => number;
  /** A row was merged (true) or inserted (false). */
  onStored?: (merged: boolean) => void;
  /** A batch could not be written (it is dropped, counted, and forwarding goes on). */
  onFault?: (err: unknown) => void;
  /** The machine sample nearest a proxy-only row's end, as the log's rows get it. */
  live?: { forRequest(tsMs: number, loadId: number | null): RequestLiveMemory };
}

export class ProxyRecorder {
  /** In arrival order: `due` after the hold, `giveUp` after the longest wait for a log behind. */
  private readonly pending: { rec: ProxyRecord; due: number; giveUp: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly s: Record<'candidate' | 'merge' | 'insert' | 'insertProxy' | 'rollupRows' | 'dropRollups', Statement>;
  private readonly rollups: Rollups;
  private readonly holdMs: number;
  private readonly maxHoldMs: number;
  private readonly logCaughtUp: () => boolean;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  /** Rows this recorder inserted (the store's request count learns them through this). */
  inserted = 0;

  constructor(private readonly o: ProxyRecorderOptions) {
    this.holdMs = o.holdMs ?? HOLD_MS;
    this.maxHoldMs = Math.max(this.holdMs, o.maxHoldMs ?? MAX_HOLD_MS);
    this.logCaughtUp = o.logCaughtUp ?? (() => true);
    this.toleranceMs = o.toleranceMs ?? MERGE_TOLERANCE_MS;
    this.now = o.now ?? Date.now;
    const db = o.db;
    this.s = {
      candidate: db.prepare(
        `SELECT ${REQUEST_COLUMNS}, ts AS ts_ms FROM requests
         WHERE ts BETWEEN ? AND ? AND source = 'log' AND path = ? AND method = ? AND status = ? AND abs(latency_ms - ?) <= ?
         ORDER BY abs(latency_ms - ?), abs(ts - ?) LIMIT 1`,
      ),
      merge: db.prepare(
        `UPDATE requests SET prompt_tokens = COALESCE(?, prompt_tokens), completion_tokens = COALESCE(?, completion_tokens),
           decode_tps = COALESCE(?, decode_tps), prefill_tps = COALESCE(?, prefill_tps), model = COALESCE(model, ?), source = 'both'
         WHERE id = ? RETURNING ${REQUEST_COLUMNS}`,
      ),
      insert: db.prepare(
        `INSERT INTO requests (source_id, key, load_id, at, ts, method, path, status, latency_ms, client, kind, model, backend,
           prompt_tokens, completion_tokens, prefill_tps, decode_tps, ctx_used, ctx_limit, truncated, source,
           memory_used_bytes, memory_pressure, swap_used_bytes, ollama_footprint_bytes)
         VALUES (?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL, 'proxy', ?, ?, ?, ?) RETURNING ${REQUEST_COLUMNS}`,
      ),
      insertProxy: db.prepare(
        `INSERT INTO proxy_requests (request_id, at, ts, method, path, status, model, stream, ttfb_ms, total_ms, request_bytes, response_bytes,
           aborted, prompt_eval_count, eval_count, prompt_eval_duration, eval_duration, load_duration, total_duration, done_reason,
           usage_input_tokens, usage_output_tokens, merged)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      rollupRows: db.prepare(
        `SELECT ${ROLLUP_REQUEST_COLUMNS} FROM requests WHERE ts >= ? AND ts < ? AND COALESCE(model, '') = ? AND COALESCE(backend, '') = ?`,
      ),
      dropRollups: db.prepare(
        `DELETE FROM request_rollups WHERE bucket_ms IN (${ROLLUP_BUCKETS.join(', ')}) AND ts >= ? AND ts < ? AND model = ? AND backend = ?`,
      ),
    };
    this.rollups = new Rollups(db);
  }

  /** Called by the proxy for each request it forwarded; never throws. */
  record(rec: ProxyRecord): void {
    if (this.stopped) return;
    const now = this.now();
    this.pending.push({ rec, due: now + this.holdMs, giveUp: now + this.maxHoldMs });
    this.schedule();
  }

  /** Writes what is still held (without waiting for the log) and stops. Call before the database closes. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush(Infinity);
    this.stopped = true;
  }

  private schedule(): void {
    if (this.timer || this.pending.length === 0 || this.stopped) return;
    const head = this.pending[0]!;
    const now = this.now();
    // Behind: look again soon after the hold, as the log may catch up at any moment.
    const at = this.logCaughtUp() ? head.due : Math.min(head.giveUp, Math.max(head.due, now + RECHECK_MS));
    const wait = Math.max(0, at - now);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush(this.now());
      this.schedule();
    }, wait);
    this.timer.unref();
  }

  /**
   * Stores every held record due by `until` (while the log is behind, only those whose longest wait
   * is over), in one transaction; returns the rows written.
   */
  flush(until = this.now()): RequestRecord[] {
    const caughtUp = this.logCaughtUp();
    let n = 0;
    while (n < this.pending.length && (caughtUp ? this.pending[n]!.due : this.pending[n]!.giveUp) <= until) n++;
    if (n === 0) return [];
    const batch = this.pending.splice(0, n).map((p) => p.rec);
    let rows: { row: RequestRecord; merged: boolean }[];
    try {
      rows = this.o.db.transaction(() => this.store(batch))();
    } catch (err) {
      this.o.onFault?.(err);
      return [];
    }
    for (const { row, merged } of rows) {
      try {
        this.o.onStored?.(merged);
        this.o.bus.publish(requestDelta(row));
      } catch (err) {
        this.o.onFault?.(err);
      }
    }
    return rows.map((r) => r.row);
  }

  private store(batch: readonly ProxyRecord[]): { row: RequestRecord; merged: boolean }[] {
    const out: { row: RequestRecord; merged: boolean }[] = [];
    // Rollup groups whose figures a merge changed: rebuilt from the rows once the batch is written.
    const touched = new Map<string, [number, string, string]>();
    const span = Math.max(...ROLLUP_BUCKETS);
    const touch = (r: RequestRecord, ts: number): void => {
      const start = Math.floor(ts / span) * span;
      const model = r.model ?? '';
      const backend = r.backend ?? '';
      touched.set(`${start}\u0000${model}\u0000${backend}`, [start, model, backend]);
    };
    for (const rec of batch) {
      const f = proxyFigures(rec);
      const status = rec.status === 0 ? 499 : rec.status; // the client left before Ollama answered
      const t = this.toleranceMs;
      const found = rec.upstreamError
        ? undefined
        : (this.s.candidate.get(
            rec.endedAt - t,
            rec.endedAt + t,
            rec.path,
            rec.method,
            status,
            rec.totalMs,
            t,
            rec.totalMs,
            rec.endedAt,
          ) as (RequestRow & { ts_ms: number }) | undefined);
      let row: RequestRecord;
      let ts: number;
      if (found) {
        const before = rowToRequest(found);
        ts = found.ts_ms;
        row = rowToRequest(
          this.s.merge.get(f.promptTokens, f.completionTokens, f.decodeTps, f.prefillTps, rec.model, found.id) as RequestRow,
        );
        touch(before, ts);
        touch(row, ts);
      } else {
        ts = rec.endedAt;
        const ctxUsed =
          rec.scan.promptEvalCount !== null && rec.scan.evalCount !== null ? rec.scan.promptEvalCount + rec.scan.evalCount : null;
        const kind = requestKind(rec.path, rec.method);
        const m = this.o.live?.forRequest(ts, null) ?? NO_LIVE_MEMORY;
        row = rowToRequest(
          this.s.insert.get(
            this.o.sourceId,
            localIso(ts),
            ts,
            rec.method,
            rec.path,
            status,
            Math.round(rec.totalMs * 1000) / 1000,
            rec.client,
            kind,
            rec.model ?? rec.scan.model,
            f.promptTokens,
            f.completionTokens,
            f.prefillTps,
            f.decodeTps,
            ctxUsed,
            m.memoryUsedBytes,
            m.memoryPressure,
            m.swapUsedBytes,
            m.ollamaFootprintBytes,
          ) as RequestRow,
        );
        this.inserted++;
        this.rollups.add([{ ...row, ts }], []);
      }
      const s = rec.scan;
      this.s.insertProxy.run(
        row.id,
        localIso(rec.endedAt),
        rec.endedAt,
        rec.method,
        rec.path,
        status,
        rec.model ?? s.model,
        rec.stream === null ? null : rec.stream ? 1 : 0,
        rec.ttfbMs,
        rec.totalMs,
        rec.requestBytes,
        rec.responseBytes,
        rec.aborted ? 1 : 0,
        s.promptEvalCount,
        s.evalCount,
        s.promptEvalDuration,
        s.evalDuration,
        s.loadDuration,
        s.totalDuration,
        s.doneReason,
        s.usageInput,
        s.usageOutput,
        found ? 1 : 0,
      );
      out.push({ row, merged: found !== undefined });
    }
    for (const [start, model, backend] of touched.values()) {
      this.s.dropRollups.run(start, start + span, model, backend);
      const rows = this.s.rollupRows.all(start, start + span, model, backend) as RollupRequestRow[];
      if (rows.length > 0) this.rollups.add(rows.map(rollupRequestFrom), []);
    }
    return out;
  }
}
