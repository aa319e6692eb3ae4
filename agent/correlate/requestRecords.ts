// One request per access-log line, with what the runner said about it and the incidents it shows.
import type { GinEvent } from '../parse/events.js';
import { epochMs } from '../parse/timestamps.js';
import { describeModel, raise, subject } from './incidents.js';
import type { CorrelatorOptions } from './options.js';
import type { CorrelatedRecord, NewRequest } from './records.js';
import { attribute, consumesEvidence, takeEvidence, type Attribution } from './requests.js';
import { emptyEvidence, type CorrelatorState, type Evidence } from './state.js';
import { pathWithoutQuery, requestKind } from './requestKind.js';
import { loadCtx, loggedKvPerCell, loggedLoadMemory } from './loads.js';
import { kvAllocatedBytes, kvFill, kvUsedBytes, kvUsedFromLog } from '../kv/kvUsed.js';
import type { LoadState } from './state.js';
import { emitLoad } from './loadLifecycle.js';

/** MLX peak memory at or above this share of Metal's recommended working set raises `mlx_working_set`. */
export const MLX_PEAK_ALERT_RATIO = 0.9;

const NONE: Attribution = { load: null, model: null, backend: null };

/** Evidence no request could take (stale, mixed, or the input ended) still shows its incidents. */
export function dropEvidence(st: CorrelatorState, ev: Evidence, out: CorrelatedRecord[]): void {
  const at = st.lastAt;
  if (ev.truncated === true && ev.truncationDetail) {
    const times = ev.truncations > 1 ? ` (${ev.truncations} times)` : '';
    raise(st, out, { kind: 'context_truncated', at, model: null, load: null, detail: `${ev.truncationDetail}${times}` });
  }
  if (ev.shift) raise(st, out, { kind: 'context_shift', at, model: null, load: null, detail: ev.shift });
}

// Requests of the same second share their time text (parseGin reuses it) and the log's zone rarely
// changes: the zoned time and its epoch ms are kept for the next line rather than built again.
const lastGin = { local: '', zone: null as string | null, at: '', ts: NaN };

function ginTime(local: string, zone: string | null): { at: string; ts: number } {
  if (local !== lastGin.local || zone !== lastGin.zone || lastGin.local === '') {
    lastGin.local = local;
    lastGin.zone = zone;
    lastGin.at = zone === null ? local : local + zone;
    lastGin.ts = epochMs(lastGin.at);
  }
  return lastGin;
}

/** Read-only stand-in for "no usable evidence": most access-log lines take none. */
const NO_EVIDENCE: Evidence = Object.freeze(emptyEvidence());

export function requestFromGin(
  st: CorrelatorState,
  gin: GinEvent,
  opts: CorrelatorOptions,
  expectsMlx: (model: string | null) => boolean,
  out: CorrelatedRecord[],
): void {
  const { at, ts } = ginTime(gin.time.local, st.zone);
  st.lastAt = at;
  if (Number.isFinite(ts)) st.lastRequestTs = ts;
  const path = pathWithoutQuery(gin.path);
  const kind = requestKind(path, gin.method);
  const consumes = kind === 'inference' && consumesEvidence(gin);
  let ev = NO_EVIDENCE;
  let usable = false;
  let who = NONE;
  if (consumes) {
    ({ ev, usable } = takeEvidence(st, ts - gin.latencyMs));
    if (!usable) dropEvidence(st, ev, out);
    who = attribute(st, usable ? ev : NO_EVIDENCE, gin.status >= 500 ? ts - gin.latencyMs - 2000 : null);
    // Eras without a `started in` line at INFO: a load that served a request came up. Only when the
    // runner's own lines show it working: a request another (unseen) runner served proves nothing.
    if (who.load && who.load.status === 'loading' && gin.status < 400 && usable && ev.engine !== null) {
      who.load.status = 'ready';
      emitLoad(st, who.load, out);
    }
  }
  const u = usable ? ev : NO_EVIDENCE;
  // The runner's own slot size first, then the load's context; a truncation line's limit is the
  // context in the Go-runner eras (and about half of it under llama-server, which prints slot sizes).
  const ctxLimit = u.ctxLimit ?? (who.load ? loadCtx(who.load, st.server) : null) ?? u.truncLimit;
  const stated = u.ctxUsed ?? (u.promptTokens !== null && u.completionTokens !== null ? u.promptTokens + u.completionTokens : null);
  // The tokens a truncation kept fill the window by construction: the request's usage, but the
  // truncation incident says it, not a second near-limit one.
  const ctxUsed = stated ?? u.keptTokens;
  // Before llama-server the prompt timing counts only the tokens not already cached; the slot's
  // cache at release minus what was generated is the whole prompt, as the API defines it today.
  const promptTokens =
    u.starts === 0 && u.ctxUsed !== null && u.completionTokens !== null ? u.ctxUsed - u.completionTokens : u.promptTokens;
  const kv = consumes ? requestKv(who, ctxUsed ?? promptTokens, ctxLimit, ts, opts) : NO_KV;
  const record: NewRequest = {
    key: st.nextKey++,
    at,
    ts,
    method: gin.method,
    path,
    status: gin.status,
    latencyMs: gin.latencyMs,
    client: gin.client,
    kind,
    model: who.model,
    backend: who.backend,
    promptTokens,
    completionTokens: u.completionTokens,
    prefillTps: u.prefillTps,
    decodeTps: u.decodeTps,
    ctxUsed,
    ctxLimit,
    truncated: u.truncated,
    peakMemoryBytes: u.peakBytes,
    modelMemoryBytes: who.load ? loggedLoadMemory(who.load) : null,
    kvBytes: kv.kvBytes,
    kvUsedBytes: kv.kvUsedBytes,
    kvFill: kv.kvFill,
    loadKey: who.load?.key ?? null,
  };
  out.push({ kind: 'request', record });
  if (!consumes) return;
  requestIncidents(st, u, who, stated ?? promptTokens, ctxLimit, kv, opts, at, out, record.key);
  if (gin.status < 400) mlxFallback(st, ev, usable, who, expectsMlx, at, out, record.key);
}

interface RequestKv {
  kvBytes: number | null;
  kvUsedBytes: number | null;
  kvFill: number | null;
}

const NO_KV: RequestKv = Object.freeze({ kvBytes: null, kvUsedBytes: null, kvFill: null });

/**
 * The load's KV cache and the part of it `tokens` of context fill. From the log: the allocation it
 * printed, and tokens × size ÷ cells for a plain cache. The live agent adds the model's geometry:
 * the part filled for any cache layout, and the allocation at the load's context when the log has none.
 */
function requestKv(who: Attribution, tokens: number | null, ctxLimit: number | null, atMs: number, opts: CorrelatorOptions): RequestKv {
  const load: LoadState | null = who.load;
  const logged = load ? (load.kvBuffers ?? load.kvDevices) : null;
  // Bytes are stored as integers: the record published must equal the row read back.
  let allocated = logged === null ? null : Math.round(logged);
  let used: number | null = null;
  if (load && tokens !== null) {
    const perCell = loggedKvPerCell(load);
    if (perCell) used = kvUsedFromLog(perCell.bytes, perCell.cells, tokens);
  }
  const facts = opts.kvModel?.(who.model ?? load?.model ?? null, load?.blob ?? null, atMs) ?? null;
  if (facts !== null) {
    if (used === null && tokens !== null) used = kvUsedBytes(facts.geometry, tokens, facts.cacheType);
    const ctx = ctxLimit ?? facts.ctx;
    const parallel = load?.parallel ?? facts.parallel;
    if (allocated === null && ctx !== null && parallel !== null)
      allocated = kvAllocatedBytes(facts.geometry, ctx, parallel, facts.cacheType);
  }
  if (allocated === null && used === null) return NO_KV;
  return { kvBytes: allocated, kvUsedBytes: used, kvFill: kvFill(used, allocated) };
}

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
/** A KV cache is often under a GiB: MiB then, so "0.5 of 0.6 GiB" reads as 567 of 640 MiB. */
const kvSize = (b: number): string => (b >= 2 ** 30 ? gib(b) : `${Math.round(b / 2 ** 20)} MiB`);

/** Context and memory incidents of one inference request; the model's description only when one is raised. */
function requestIncidents(
  st: CorrelatorState,
  u: Evidence,
  who: Attribution,
  // MLX keeps no output count; the prompt alone already fills that much of the window.
  used: number | null,
  ctxLimit: number | null,
  kv: RequestKv,
  opts: CorrelatorOptions,
  at: string,
  out: CorrelatedRecord[],
  requestKey: number,
): void {
  const threshold = Math.min(opts.contextAlertTokens, ctxLimit !== null ? opts.contextAlertRatio * ctxLimit : Infinity);
  const nearLimit = used !== null && used >= threshold;
  const ws = st.workingSetBytes;
  const peak = u.peakBytes;
  // On MLX the KV cache grows with the conversation; its peak memory against Metal's
  // working set is the memory side of the same alert.
  const peakNearLimit = !nearLimit && peak !== null && ws !== null && peak >= opts.contextAlertRatio * ws;
  // Past 90 % of the working set Metal starts evicting and MLX slows down, whatever the context.
  const peakAlert = peak !== null && ws !== null && peak >= MLX_PEAK_ALERT_RATIO * ws;
  // The KV cache itself nearing its allocation: covers an engine that logs memory but no token count (MLX).
  // Not beside a truncation: the tokens it kept fill the window by construction, and it is raised already.
  const kvNearLimit = u.truncated !== true && !nearLimit && !peakNearLimit && kv.kvFill !== null && kv.kvFill >= opts.contextAlertRatio;
  if (u.truncated !== true && !u.shift && !nearLimit && !peakNearLimit && !kvNearLimit && !peakAlert) return;

  const name = describeModel(who.load, who.model);
  const model = who.model;
  const load = who.load;
  if (u.truncated === true)
    raise(st, out, {
      at,
      model,
      load,
      requestKey,
      kind: 'context_truncated',
      detail: `${name}: ${u.truncationDetail ?? 'prompt truncated'}`,
    });
  if (u.shift) raise(st, out, { at, model, load, requestKey, kind: 'context_shift', detail: `${name}: ${u.shift}` });
  if (nearLimit) {
    raise(st, out, {
      at,
      model,
      load,
      requestKey,
      kind: 'context_near_limit',
      detail: `${name}: ${used} of ${ctxLimit ?? '?'} context tokens used`,
    });
  } else if (peakNearLimit) {
    raise(st, out, {
      at,
      model,
      load,
      requestKey,
      kind: 'context_near_limit',
      detail: `${name}: MLX peak memory ${gib(peak)} of Metal's ${gib(ws)} working set`,
    });
  } else if (kvNearLimit) {
    const detail = `${name}: KV cache ${Math.floor(kv.kvFill! * 100)}% full (${kvSize(kv.kvUsedBytes!)} of ${kvSize(kv.kvBytes!)} allocated)`;
    raise(st, out, { at, model, load, requestKey, kind: 'context_near_limit', detail });
  }
  if (peakAlert) {
    const pct = Math.round((100 * peak) / ws);
    raise(st, out, {
      at,
      model,
      load,
      requestKey,
      kind: 'mlx_working_set',
      detail: `${name}: MLX peak memory ${(peak / 2 ** 30).toFixed(1)} GiB is ${pct}% of Metal's ${(ws / 2 ** 30).toFixed(1)} GiB working set`,
    });
  }
}

/** Expected on MLX (docs/records.md#mlx-expectation) but served by another engine. */
function mlxFallback(
  st: CorrelatorState,
  ev: Evidence,
  usable: boolean,
  who: Attribution,
  expectsMlx: (model: string | null) => boolean,
  at: string,
  out: CorrelatedRecord[],
  requestKey: number,
): void {
  const byFlag = st.server?.mlxExpected === true;
  const byConfig = expectsMlx(who.model);
  if (!byFlag && !byConfig) return;
  // MLX's own per-request lines (cache, peak memory) prove MLX served it even when several MLX runners are loaded.
  const onMlx = (usable && (ev.usingMlx || ev.engine === 'mlx')) || who.load?.engine === 'mlx' || who.backend === 'mlx';
  if (onMlx) return;
  // Under the flag a missing `using mlx backend` line is the evidence; a configured model needs a known engine.
  if (!byFlag && who.backend === null) return;
  const once = `mlx_fallback:${subject(who.load, who.model)}`;
  // Raised once per run: the detail is not worth building for the requests after the first.
  if (st.raised.includes(once)) return;
  const served = who.load ? `${who.load.engine ?? 'another engine'}${who.backend ? `/${who.backend}` : ''}` : 'another engine';
  const reason = st.server?.mlxUnavailable
    ? 'the MLX library is not available'
    : who.load?.engine === 'llama.cpp'
      ? 'the model is a GGUF build served by llama.cpp'
      : byFlag
        ? 'no `using mlx backend` line for this request'
        : 'the engine is not MLX';
  raise(st, out, {
    kind: 'mlx_fallback',
    at,
    model: who.model,
    load: who.load,
    requestKey,
    once,
    detail: `${describeModel(who.load, who.model)} expected on MLX${byFlag ? ' (OLLAMA_USE_MLX)' : ''} but served by ${served}: ${reason}`,
  });
}
