// Fetching the history: every call resolves (never rejects) to data, "not available yet" (404: an
// agent without the route) or an error in words. Free of Svelte; the fetch is injected for tests.
import type { MemorySample } from '../../../../shared/memory.js';
import type { IncidentRecord, LoadRecord, RequestRecord } from '../../../../shared/records.js';
import type { FetchLike } from '../ackAlert.js';
import { compareUrl, listUrl, memoryUrl, rangeWindow, requestsUrl, seriesUrl, type RangeChoice } from './range.js';
import { inWindow } from './timeline.js';
import type { CompareResponse, Group, MemoryResponse, Metric, Series, SeriesResponse, Stat } from './types.js';
import { SERIES_METRICS, SERIES_STATS, SERIES_STEPS, type SeriesStep } from '../../../../shared/series.js';

export type { FetchLike };

export type Loaded<T> =
  { state: 'ok'; data: T } | { state: 'unavailable'; message: string } | { state: 'error'; message: string; status?: number };

export const NOT_AVAILABLE = 'history not available yet';

const globalFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function errorText(body: unknown): string | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  const message = body.error.message;
  return typeof message === 'string' && message !== '' ? message : null;
}

export async function getJson<T>(
  url: string,
  parse: (body: unknown) => T | null,
  fetch: FetchLike = globalFetch,
  signal?: AbortSignal,
): Promise<Loaded<T>> {
  let response: Response;
  try {
    response = await fetch(url, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (signal?.aborted) return { state: 'error', message: 'cancelled' };
    return { state: 'error', message: `could not reach the agent (${error instanceof Error ? error.message : String(error)})` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.status === 404) return { state: 'unavailable', message: NOT_AVAILABLE };
  if (!response.ok) {
    return { state: 'error', status: response.status, message: errorText(body) ?? `the agent answered HTTP ${response.status}` };
  }
  const data = parse(body);
  return data === null ? { state: 'error', message: 'the agent sent an answer this dashboard does not understand' } : { state: 'ok', data };
}

function parseSeriesList(v: unknown): Series[] | null {
  if (!Array.isArray(v)) return null;
  const out: Series[] = [];
  for (const s of v) {
    if (!isObject(s) || !Array.isArray(s.points)) return null;
    const points: [number, number | null][] = [];
    for (const p of s.points) {
      if (!Array.isArray(p)) continue;
      const x = num(p[0]);
      if (x !== null) points.push([x, num(p[1])]);
    }
    out.push({ model: str(s.model), backend: str(s.backend), points });
  }
  return out;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | null {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

export function parseSeries(body: unknown): SeriesResponse | null {
  if (!isObject(body)) return null;
  const series = parseSeriesList(body.series);
  if (series === null) return null;
  // A body that does not say what it measured is not trusted rather than filled with a guess.
  const metric = oneOf(body.metric, SERIES_METRICS);
  const stat = oneOf(body.stat, SERIES_STATS);
  const step = oneOf(body.step, Object.keys(SERIES_STEPS) as SeriesStep[]);
  const source = oneOf(body.source, ['minute', 'hour'] as const);
  const stepMs = num(body.stepMs);
  const from = str(body.from);
  const to = str(body.to);
  if (!metric || !stat || !step || !source || stepMs === null || from === null || to === null) return null;
  return { metric, stat, step, stepMs, from, to, source, series };
}

export function parseCompare(body: unknown): CompareResponse | null {
  if (!isObject(body) || !Array.isArray(body.items)) return null;
  const items: CompareResponse['items'] = [];
  for (const item of body.items) {
    if (!isObject(item) || typeof item.model !== 'string' || !isObject(item.backends)) continue;
    const backends: CompareResponse['items'][number]['backends'] = {};
    for (const [name, s] of Object.entries(item.backends)) {
      const requests = isObject(s) ? num(s.requests) : null;
      // Without its request count a backend's figures cannot be weighed: left out, not counted as 0.
      if (!isObject(s) || requests === null) continue;
      backends[name] = {
        requests,
        decodeP50: num(s.decodeP50),
        decodeP95: num(s.decodeP95),
        prefillP50: num(s.prefillP50),
        latencyP50: num(s.latencyP50),
      };
    }
    items.push({ model: item.model, backends, decodeSpeedup: num(item.decodeSpeedup) });
  }
  const source = oneOf(body.source, ['minute', 'hour'] as const);
  const from = str(body.from);
  const to = str(body.to);
  if (!source || from === null || to === null) return null;
  return { from, to, source, items };
}

export function parseMemory(body: unknown): MemoryResponse | null {
  if (!isObject(body) || !Array.isArray(body.items)) return null;
  return {
    from: str(body.from) ?? '',
    to: str(body.to) ?? '',
    bucketMs: num(body.bucketMs) ?? 0,
    items: body.items.filter((s): s is MemorySample => isObject(s) && typeof s.at === 'string'),
    machine: isObject(body.machine) ? (body.machine as unknown as MemoryResponse['machine']) : null,
    probes: Array.isArray(body.probes) ? (body.probes as MemoryResponse['probes']) : [],
  };
}

export function parseItems<T extends { id: number }>(body: unknown): T[] | null {
  if (!isObject(body) || !Array.isArray(body.items)) return null;
  return body.items.filter((i): i is T => isObject(i) && typeof i.id === 'number');
}

/**
 * `/api/incidents` or `/api/loads` in the window. Asks with `from`/`to`; an agent that does not
 * take them yet answers 400, and then the newest items are fetched and filtered here.
 */
export async function fetchWindowList<T extends { id: number; at: string | null }>(
  kind: 'incidents' | 'loads',
  choice: RangeChoice,
  now: number,
  fetch: FetchLike = globalFetch,
  signal?: AbortSignal,
  limit = 500,
): Promise<Loaded<T[]>> {
  let result = await getJson(listUrl(kind, choice, now, limit), parseItems<T>, fetch, signal);
  if (result.state === 'error' && result.status === 400)
    result = await getJson(listUrl(kind, choice, now, limit, false), parseItems<T>, fetch, signal);
  if (result.state !== 'ok') return result;
  return { state: 'ok', data: inWindow(result.data, rangeWindow(choice, now)) };
}

export interface HistoryData {
  choice: RangeChoice;
  window: { from: number; to: number };
  fetchedAt: number;
  decodeByBackend: Loaded<SeriesResponse>;
  prefillByBackend: Loaded<SeriesResponse>;
  decodeByModel: Loaded<SeriesResponse>;
  requestRate: Loaded<SeriesResponse>;
  compare: Loaded<CompareResponse>;
  memory: Loaded<MemoryResponse>;
  incidents: Loaded<IncidentRecord[]>;
  loads: Loaded<LoadRecord[]>;
  /** The newest requests, for the context chart (filtered to the window when drawn). */
  recent: Loaded<RequestRecord[]>;
}

/** The series the charts draw: [metric, group, stat]. */
export const CHART_QUERIES = {
  decodeByBackend: ['decode_tps', 'backend', 'p50'],
  prefillByBackend: ['prefill_tps', 'backend', 'p50'],
  decodeByModel: ['decode_tps', 'model', 'p50'],
  requestRate: ['requests', 'none', 'sum'],
} as const satisfies Record<string, readonly [Metric, Group, Stat]>;

/** Everything the history section shows for `choice`, fetched in parallel. */
export async function loadHistory(
  choice: RangeChoice,
  now: number,
  fetch: FetchLike = globalFetch,
  signal?: AbortSignal,
): Promise<HistoryData> {
  const series = (key: keyof typeof CHART_QUERIES) => {
    const [metric, group, stat] = CHART_QUERIES[key];
    return getJson(seriesUrl(metric, choice, group, stat), parseSeries, fetch, signal);
  };
  const [decodeByBackend, prefillByBackend, decodeByModel, requestRate, compare, memory, incidents, loads, recent] = await Promise.all([
    series('decodeByBackend'),
    series('prefillByBackend'),
    series('decodeByModel'),
    series('requestRate'),
    getJson(compareUrl(choice), parseCompare, fetch, signal),
    getJson(memoryUrl(choice), parseMemory, fetch, signal),
    fetchWindowList<IncidentRecord>('incidents', choice, now, fetch, signal),
    fetchWindowList<LoadRecord>('loads', choice, now, fetch, signal),
    getJson(requestsUrl(), parseItems<RequestRecord>, fetch, signal),
  ]);
  return {
    choice,
    window: rangeWindow(choice, now),
    fetchedAt: now,
    decodeByBackend,
    prefillByBackend,
    decodeByModel,
    requestRate,
    compare,
    memory,
    incidents,
    loads,
    recent,
  };
}
