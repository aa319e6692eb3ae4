// Mapping between the `requests` table and RequestRecord (field names as in docs/analyze-json.md).
import type { PressureLevel } from '../../shared/memory.js';
import type { Backend, RequestKind, RequestLiveMemory, RequestRecord } from '../../shared/records.js';
import type { NewRequest } from '../correlate/records.js';

export interface RequestRow {
  id: number;
  at: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  client: string;
  kind: string;
  model: string | null;
  backend: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  prefill_tps: number | null;
  decode_tps: number | null;
  ctx_used: number | null;
  ctx_limit: number | null;
  truncated: number | null;
  load_id: number | null;
  source: string;
  peak_memory_bytes: number | null;
  model_memory_bytes: number | null;
  kv_bytes: number | null;
  kv_used_bytes: number | null;
  kv_fill: number | null;
  memory_used_bytes: number | null;
  memory_pressure: string | null;
  swap_used_bytes: number | null;
  ollama_footprint_bytes: number | null;
}

export const REQUEST_COLUMNS =
  'id, at, method, path, status, latency_ms, client, kind, model, backend, prompt_tokens, completion_tokens, prefill_tps, decode_tps, ctx_used, ctx_limit, truncated, load_id, source, ' +
  'peak_memory_bytes, model_memory_bytes, kv_bytes, kv_used_bytes, kv_fill, memory_used_bytes, memory_pressure, swap_used_bytes, ollama_footprint_bytes';

export function rowToRequest(r: RequestRow): RequestRecord {
  return {
    id: r.id,
    at: r.at,
    method: r.method,
    path: r.path,
    status: r.status,
    latencyMs: r.latency_ms,
    client: r.client,
    kind: r.kind as RequestKind,
    model: r.model,
    backend: r.backend as Backend | null,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    prefillTps: r.prefill_tps,
    decodeTps: r.decode_tps,
    ctxUsed: r.ctx_used,
    ctxLimit: r.ctx_limit,
    truncated: r.truncated === null ? null : r.truncated === 1,
    loadId: r.load_id,
    source: r.source as RequestRecord['source'],
    peakMemoryBytes: r.peak_memory_bytes,
    modelMemoryBytes: r.model_memory_bytes,
    kvBytes: r.kv_bytes,
    kvUsedBytes: r.kv_used_bytes,
    kvFill: r.kv_fill,
    memoryUsedBytes: r.memory_used_bytes,
    memoryPressure: r.memory_pressure as PressureLevel | null,
    swapUsedBytes: r.swap_used_bytes,
    ollamaFootprintBytes: r.ollama_footprint_bytes,
  };
}

/** Inserts a request read from the log; its parameters are `requestParams`, in this order. */
export const INSERT_REQUEST_SQL = `INSERT INTO requests (source_id, key, load_id, at, ts, method, path, status, latency_ms, client, kind, model, backend,
     prompt_tokens, completion_tokens, prefill_tps, decode_tps, ctx_used, ctx_limit, truncated,
     peak_memory_bytes, model_memory_bytes, kv_bytes, kv_used_bytes, kv_fill, memory_used_bytes, memory_pressure, swap_used_bytes, ollama_footprint_bytes)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Nothing known beyond the log: what a request gets without a live agent's senses. */
export const NO_LIVE_MEMORY: RequestLiveMemory = Object.freeze({
  modelMemoryBytes: null,
  memoryUsedBytes: null,
  memoryPressure: null,
  swapUsedBytes: null,
  ollamaFootprintBytes: null,
});

export function requestParams(sourceId: number, loadId: number | null, r: NewRequest, m: RequestLiveMemory): unknown[] {
  return [
    sourceId,
    r.key,
    loadId,
    r.at,
    r.ts,
    r.method,
    r.path,
    r.status,
    r.latencyMs,
    r.client,
    r.kind,
    r.model,
    r.backend,
    r.promptTokens,
    r.completionTokens,
    r.prefillTps,
    r.decodeTps,
    r.ctxUsed,
    r.ctxLimit,
    r.truncated === null ? null : r.truncated ? 1 : 0,
    r.peakMemoryBytes,
    m.modelMemoryBytes ?? r.modelMemoryBytes,
    r.kvBytes,
    r.kvUsedBytes,
    r.kvFill,
    m.memoryUsedBytes,
    m.memoryPressure,
    m.swapUsedBytes,
    m.ollamaFootprintBytes,
  ];
}

/** The stored record of a request just inserted as row `id` (spelt out: a rest spread costs more per row). */
export function requestFromNew(id: number, loadId: number | null, r: NewRequest, m: RequestLiveMemory): RequestRecord {
  return {
    id,
    at: r.at,
    method: r.method,
    path: r.path,
    status: r.status,
    latencyMs: r.latencyMs,
    client: r.client,
    kind: r.kind,
    model: r.model,
    backend: r.backend,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    prefillTps: r.prefillTps,
    decodeTps: r.decodeTps,
    ctxUsed: r.ctxUsed,
    ctxLimit: r.ctxLimit,
    truncated: r.truncated,
    loadId,
    source: 'log',
    peakMemoryBytes: r.peakMemoryBytes,
    modelMemoryBytes: m.modelMemoryBytes ?? r.modelMemoryBytes,
    kvBytes: r.kvBytes,
    kvUsedBytes: r.kvUsedBytes,
    kvFill: r.kvFill,
    memoryUsedBytes: m.memoryUsedBytes,
    memoryPressure: m.memoryPressure,
    swapUsedBytes: m.swapUsedBytes,
    ollamaFootprintBytes: m.ollamaFootprintBytes,
  };
}
