// request_rollups rows and the requests rows a rollup is made from, as SQL reads and binds them.
import type { RequestAgg, RollupRequest } from './requestAgg.js';
import * as hist from './histogram.js';

/** The figures of a request_rollups row, in the order aggParams binds them. */
export const ROLLUP_COLUMNS =
  'requests, inference, errors, latency_sum, latency_max, decode_n, decode_sum, decode_min, decode_max, prefill_n, prefill_sum, prefill_max, ' +
  'prompt_tokens, completion_tokens, ctx_n, ctx_ratio_sum, ctx_ratio_max, truncated, hist_decode, hist_prefill, hist_latency';

export interface AggRow {
  requests: number;
  inference: number;
  errors: number;
  latency_sum: number;
  latency_max: number | null;
  decode_n: number;
  decode_sum: number;
  decode_min: number | null;
  decode_max: number | null;
  prefill_n: number;
  prefill_sum: number;
  prefill_max: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  ctx_n: number;
  ctx_ratio_sum: number;
  ctx_ratio_max: number | null;
  truncated: number;
  hist_decode: string | null;
  hist_prefill: string | null;
  hist_latency: string | null;
}

export function rowToAgg(r: AggRow): RequestAgg {
  return {
    requests: r.requests,
    inference: r.inference,
    errors: r.errors,
    latencySum: r.latency_sum,
    latencyMax: r.latency_max,
    decodeN: r.decode_n,
    decodeSum: r.decode_sum,
    decodeMin: r.decode_min,
    decodeMax: r.decode_max,
    prefillN: r.prefill_n,
    prefillSum: r.prefill_sum,
    prefillMax: r.prefill_max,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    ctxN: r.ctx_n,
    ctxRatioSum: r.ctx_ratio_sum,
    ctxRatioMax: r.ctx_ratio_max,
    truncated: r.truncated,
    histDecode: hist.decode(r.hist_decode),
    histPrefill: hist.decode(r.hist_prefill),
    histLatency: hist.decode(r.hist_latency),
  };
}

const encoded = (h: hist.Histogram): string | null => (h.length === 0 ? null : hist.encode(h));

export function aggParams(a: RequestAgg): unknown[] {
  return [
    a.requests,
    a.inference,
    a.errors,
    a.latencySum,
    a.latencyMax,
    a.decodeN,
    a.decodeSum,
    a.decodeMin,
    a.decodeMax,
    a.prefillN,
    a.prefillSum,
    a.prefillMax,
    a.promptTokens,
    a.completionTokens,
    a.ctxN,
    a.ctxRatioSum,
    a.ctxRatioMax,
    a.truncated,
    encoded(a.histDecode),
    encoded(a.histPrefill),
    encoded(a.histLatency),
  ];
}

/** The columns of a stored request a rollup is made from (rollupRequestFrom reads them). */
export const ROLLUP_REQUEST_COLUMNS =
  'ts, model, backend, kind, status, latency_ms, decode_tps, prefill_tps, prompt_tokens, completion_tokens, ctx_used, ctx_limit, truncated';

/** A `requests` row as ROLLUP_REQUEST_COLUMNS selects it. */
export interface RollupRequestRow {
  ts: number;
  model: string | null;
  backend: string | null;
  kind: string;
  status: number;
  latency_ms: number;
  decode_tps: number | null;
  prefill_tps: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  ctx_used: number | null;
  ctx_limit: number | null;
  truncated: number | null;
}

export const rollupRequestFrom = (row: RollupRequestRow): RollupRequest => ({
  ts: row.ts,
  model: row.model,
  backend: row.backend as RollupRequest['backend'],
  kind: row.kind as RollupRequest['kind'],
  status: row.status,
  latencyMs: row.latency_ms,
  decodeTps: row.decode_tps,
  prefillTps: row.prefill_tps,
  promptTokens: row.prompt_tokens,
  completionTokens: row.completion_tokens,
  ctxUsed: row.ctx_used,
  ctxLimit: row.ctx_limit,
  truncated: row.truncated === null ? null : row.truncated === 1,
});
