// Pure logic for the Live view: the status strip's lag and MLX eligibility, the model cards
// (backend, GPU layers, context gauge, speeds) and the request-feed filters. No Svelte here, so
// vitest can import it directly. Unknown values are UNKNOWN ("—"), never 0.
import { formatBackend, formatBytes, UNKNOWN } from '../../../shared/format.js';
import type { MachineInfo } from '../../../shared/memory.js';
import type { LoadedModel } from '../../../shared/models.js';
import type { Backend, LoadRecord, RequestRecord } from '../../../shared/records.js';
import type { StatusView } from './labels.js';
import { formatBytesShort } from './memoryLabels.js';
import { formatCount } from './modelLabels.js';

const GiB = 1024 ** 3;

// ---------------------------------------------------------------- status strip

/** Below this many bytes still to read, the agent counts as caught up with the log. */
export const CAUGHT_UP_BYTES = 64 * 1024;

/** "caught up", "12.0 MiB behind", "lag unknown". */
export function lagText(lagBytes: number | null): string {
  if (lagBytes === null || !Number.isFinite(lagBytes)) return 'lag unknown';
  if (lagBytes < CAUGHT_UP_BYTES) return 'caught up';
  return `${formatBytes(lagBytes)} behind`;
}

/** Ollama's MLX engine needs Apple Silicon and at least this much memory. */
export const MLX_MIN_MEMORY_BYTES = 32 * GiB;

export interface Eligibility {
  /** null when the machine is not known yet. */
  eligible: boolean | null;
  view: StatusView;
}

const MLX_RULE = "Ollama's MLX engine runs on Apple Silicon Macs with at least 32 GiB of memory.";

/** "MLX eligible", or why not: "MLX: not Apple Silicon", "MLX: under 32 GiB". */
export function mlxEligibility(machine: MachineInfo | null): Eligibility {
  if (machine === null) {
    return { eligible: null, view: { tone: 'neutral', icon: '?', text: 'MLX: unknown', title: `Machine not read yet. ${MLX_RULE}` } };
  }
  if (!machine.appleSilicon) {
    return { eligible: false, view: { tone: 'neutral', icon: '✕', text: 'MLX: not Apple Silicon', title: MLX_RULE } };
  }
  if (machine.memoryBytes === null) {
    return { eligible: null, view: { tone: 'neutral', icon: '?', text: 'MLX: memory unknown', title: MLX_RULE } };
  }
  if (machine.memoryBytes < MLX_MIN_MEMORY_BYTES) {
    return {
      eligible: false,
      view: { tone: 'neutral', icon: '✕', text: 'MLX: under 32 GiB', title: `${formatBytesShort(machine.memoryBytes)} of memory. ${MLX_RULE}` },
    };
  }
  return { eligible: true, view: { tone: 'ok', icon: '✓', text: 'MLX eligible', title: MLX_RULE } };
}

// ---------------------------------------------------------------- model cards

/**
 * The backend a loaded model runs on: its load record's, else what its format implies
 * (safetensors → MLX); null when neither is known.
 */
export function modelBackend(model: Pick<LoadedModel, 'format'>, load: Pick<LoadRecord, 'backend'> | null | undefined): Backend | null {
  if (load?.backend != null) return load.backend;
  return model.format?.toLowerCase() === 'safetensors' ? 'mlx' : null;
}

/** "33/33", "31/33", "—" when the load did not say. */
export function gpuLayersText(load: Pick<LoadRecord, 'gpuLayers' | 'totalLayers'> | null | undefined): string {
  const gpu = load?.gpuLayers ?? null;
  const total = load?.totalLayers ?? null;
  if (gpu === null) return UNKNOWN;
  return `${gpu}/${total ?? UNKNOWN}`;
}

/** KV cache size: the estimate, else what the log allocated. */
export function kvCacheBytes(model: Pick<LoadedModel, 'kv'>, load: Pick<LoadRecord, 'kvBytes'> | null | undefined): number | null {
  return model.kv?.estimatedBytes ?? load?.kvBytes ?? null;
}

/** "54.3 tok/s", "865 tok/s", "—". */
export function tpsText(tps: number | null): string {
  if (tps === null || !Number.isFinite(tps)) return UNKNOWN;
  return `${tps < 100 ? tps.toFixed(1) : Math.round(tps)} tok/s`;
}

/** "free memory fits ≈ 185,196 more KV tokens", "—": free memory, not room left in the context window. */
export function kvRoomText(moreTokens: number | null): string {
  if (moreTokens === null || !Number.isFinite(moreTokens)) return UNKNOWN;
  const n = Math.max(0, Math.round(moreTokens));
  return `free memory fits ≈ ${formatCount(n)} more KV ${n === 1 ? 'token' : 'tokens'}`;
}

/** What the newest requests say about one model. */
export interface ModelActivity {
  /** The newest request with a known `ctxUsed`. */
  context: RequestRecord | null;
  /** The newest known prefill and decode speeds (possibly from different requests). */
  prefillTps: number | null;
  decodeTps: number | null;
}

/**
 * One pass over `rows` (newest first, as the request store keeps them): per model, the newest
 * request with context figures and the newest prefill/decode speeds.
 */
export function activityByModel(rows: readonly RequestRecord[]): ReadonlyMap<string, ModelActivity> {
  const out = new Map<string, ModelActivity>();
  for (const row of rows) {
    if (row.model === null) continue;
    let a = out.get(row.model);
    if (a === undefined) {
      a = { context: null, prefillTps: null, decodeTps: null };
      out.set(row.model, a);
    }
    if (a.context === null && row.ctxUsed !== null) a.context = row;
    if (a.prefillTps === null && row.prefillTps !== null) a.prefillTps = row.prefillTps;
    if (a.decodeTps === null && row.decodeTps !== null) a.decodeTps = row.decodeTps;
  }
  return out;
}

export const NO_ACTIVITY: ModelActivity = Object.freeze({ context: null, prefillTps: null, decodeTps: null });

/** `context_near_limit`'s defaults in the agent: min(tokens, ratio × window). */
export const CONTEXT_ALERT_TOKENS = 90_000;
export const CONTEXT_ALERT_RATIO = 0.85;

/** Tokens at which the agent's `context_near_limit` fires for this window (unknown window: the token figure). */
export function contextAlertThreshold(limit: number | null): number {
  return Math.min(CONTEXT_ALERT_TOKENS, limit !== null && limit > 0 ? CONTEXT_ALERT_RATIO * limit : Infinity);
}

export type GaugeLevel = 'ok' | 'warn' | 'critical';

export interface ContextGauge {
  used: number;
  /** The window; null when not known (no meter then, only the number). */
  limit: number | null;
  /** used / limit, clamped to 0…1; null without a window. */
  fraction: number | null;
  level: GaugeLevel;
  /** "71,234 / 131,072 tokens · 54%". */
  label: string;
  /** Spelled out next to the colour: "near limit", "truncated"; null when fine. */
  levelWord: string | null;
  /** The meter's aria-valuetext: label plus the level word. */
  valueText: string;
}

/** Whole percent, never showing 100% for a window that is not full nor 0% for one that is used. */
function percent(used: number, limit: number): number {
  const p = Math.round((used / limit) * 100);
  if (used >= limit) return p;
  return Math.max(used > 0 ? 1 : 0, Math.min(99, p));
}

/**
 * The context gauge for a model from its newest request with context figures: the window is the
 * request's `ctxLimit`, else `windowTokens` (the model's context length). Amber from the alert
 * threshold, red when that request was truncated. null when there is no such request.
 */
export function contextGauge(
  request: Pick<RequestRecord, 'ctxUsed' | 'ctxLimit' | 'truncated'> | null,
  windowTokens: number | null,
): ContextGauge | null {
  if (request === null || request.ctxUsed === null || !Number.isFinite(request.ctxUsed)) return null;
  const used = Math.max(0, request.ctxUsed);
  const rawLimit = request.ctxLimit ?? windowTokens;
  const limit = rawLimit !== null && rawLimit > 0 ? rawLimit : null;
  const level: GaugeLevel = request.truncated === true ? 'critical' : used >= contextAlertThreshold(limit) ? 'warn' : 'ok';
  const levelWord = level === 'critical' ? 'truncated' : level === 'warn' ? 'near limit' : null;
  const label =
    limit === null ? `${formatCount(used)} tokens · window ${UNKNOWN}` : `${formatCount(used)} / ${formatCount(limit)} tokens · ${percent(used, limit)}%`;
  return {
    used,
    limit,
    fraction: limit === null ? null : Math.min(1, used / limit),
    level,
    label,
    levelWord,
    valueText: levelWord === null ? label : `${label}, ${levelWord}`,
  };
}

/**
 * The gauge's heading: the window its bar measures against (the newest request's), and the loaded
 * runner's when that differs, so "window 131,072" never sits above "/ 8,192 tokens".
 */
export function gaugeWindowText(gauge: Pick<ContextGauge, 'limit'> | null, runnerWindow: string): string {
  if (gauge === null || gauge.limit === null || formatCount(gauge.limit) === runnerWindow) return `window ${runnerWindow}`;
  return `window ${formatCount(gauge.limit)} · runner ${runnerWindow}`;
}

// ---------------------------------------------------------------- request feed

/** "54%", "—". */
export function contextPercentText(row: Pick<RequestRecord, 'ctxUsed' | 'ctxLimit'>): string {
  if (row.ctxUsed === null || row.ctxLimit === null || !(row.ctxLimit > 0)) return UNKNOWN;
  return `${percent(row.ctxUsed, row.ctxLimit)}%`;
}

export type StatusClassFilter = '' | '2xx' | '4xx' | '5xx';

/** `''` shows everything; `NONE` selects rows where the field is unknown. */
export interface RequestFilter {
  model: string;
  backend: string;
  status: StatusClassFilter;
}

export const ALL = '';
/** The value of the "—" option (no model / backend known). Not a valid Ollama model name. */
export const NONE = '(unknown)';

export const NO_FILTER: RequestFilter = Object.freeze({ model: ALL, backend: ALL, status: ALL });

export function isFiltered(filter: RequestFilter): boolean {
  return filter.model !== ALL || filter.backend !== ALL || filter.status !== ALL;
}

function matches(value: string | null, wanted: string): boolean {
  return wanted === ALL || (wanted === NONE ? value === null : value === wanted);
}

function statusMatches(status: number, wanted: StatusClassFilter): boolean {
  if (wanted === ALL) return true;
  const base = Number(wanted[0]) * 100;
  return status >= base && status < base + 100;
}

/** The rows the filter keeps, in order; `rows` itself when nothing is filtered. */
export function filterRequests(rows: readonly RequestRecord[], filter: RequestFilter): readonly RequestRecord[] {
  if (!isFiltered(filter)) return rows;
  return rows.filter((r) => matches(r.model, filter.model) && matches(r.backend, filter.backend) && statusMatches(r.status, filter.status));
}

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * The options of the model or backend <select>: "All", then the values present in `rows`
 * (sorted), then "—" when some rows do not know it. The current selection is always kept, so
 * a value that scrolled out of the list does not silently reset the filter.
 */
export function filterOptions(rows: readonly RequestRecord[], field: 'model' | 'backend', selected: string = ALL): FilterOption[] {
  const values = new Set<string>();
  let unknown = false;
  for (const row of rows) {
    const v = row[field];
    if (v === null) unknown = true;
    else values.add(v);
  }
  if (selected !== ALL && selected !== NONE) values.add(selected);
  if (selected === NONE) unknown = true;
  const label = field === 'backend' ? (v: string) => formatBackend(v) : (v: string) => v;
  const options: FilterOption[] = [{ value: ALL, label: field === 'model' ? 'All models' : 'All backends' }];
  for (const v of [...values].sort((a, b) => a.localeCompare(b))) options.push({ value: v, label: label(v) });
  if (unknown) options.push({ value: NONE, label: `${UNKNOWN} (unknown)` });
  return options;
}

export const STATUS_OPTIONS: readonly FilterOption[] = [
  { value: ALL, label: 'All statuses' },
  { value: '2xx', label: '2xx success' },
  { value: '4xx', label: '4xx client error' },
  { value: '5xx', label: '5xx server error' },
];

/** "Showing 12 of 200 requests" when filtered. */
export function filterSummaryText(shown: number, kept: number): string {
  return `Showing ${formatCount(shown)} of ${formatCount(kept)} ${kept === 1 ? 'request' : 'requests'}`;
}
