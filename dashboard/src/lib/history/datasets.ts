// API data → chart series (plain objects; the chart component copies them into Chart.js datasets),
// with a colour, point style and dash pattern per series so colour is never the only signal.
import type { MemorySample, PressureLevel } from '../../../../shared/memory.js';
import type { IncidentRecord, RequestRecord } from '../../../../shared/records.js';
import { formatBackend, formatBytes, formatCount, UNKNOWN } from '../format.js';
import { median, values } from './summary.js';
import type { Group, SeriesPoint, SeriesResponse } from './types.js';

export type PointStyleName = 'circle' | 'rect' | 'triangle' | 'rectRot' | 'star' | 'crossRot' | 'rectRounded' | 'cross' | 'line';

export interface XY {
  x: number;
  y: number | null;
  /** Extra words for the tooltip (an incident's kind, a request's model). */
  note?: string;
}

export interface LineSeries {
  key: string;
  label: string;
  data: XY[];
  color: string;
  pointStyle: PointStyleName;
  /** Canvas line-dash pattern; [] is solid. */
  dash: number[];
  /** Which y axis: the left (`y`) or the right (`y2`). */
  axis: 'y' | 'y2';
  showLine: boolean;
  stepped: boolean;
  pointRadius: number;
}

export interface Theme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  palette: string[];
  backends: Record<string, string>;
  warn: string;
  error: string;
  ok: string;
  accent: string;
}

const FALLBACK: Theme = {
  text: '#1b1f24',
  muted: '#5b6470',
  grid: '#d9dde3',
  surface: '#ffffff',
  palette: ['#2563eb', '#6d28d9', '#0e7490', '#3f7d20', '#b91c1c', '#9d174d', '#8a5300', '#57534e'],
  backends: { mlx: '#6d28d9', metal: '#0e7490', cuda: '#3f7d20', rocm: '#b91c1c', vulkan: '#9d174d', cpu: '#57534e', other: '#4b5563' },
  warn: '#8a5300',
  error: '#b42318',
  ok: '#176c3a',
  accent: '#2563eb',
};

/** The theme from CSS custom properties (`get('--text')`), falling back to the light palette. */
export function readTheme(get: (name: string) => string): Theme {
  const v = (name: string, fallback: string): string => {
    const value = get(name).trim();
    return value === '' ? fallback : value;
  };
  const backends: Record<string, string> = {};
  for (const [name, colour] of Object.entries(FALLBACK.backends)) backends[name] = v(`--backend-${name}`, colour);
  const accent = v('--accent', FALLBACK.accent);
  return {
    text: v('--text', FALLBACK.text),
    muted: v('--text-muted', FALLBACK.muted),
    grid: v('--border', FALLBACK.grid),
    surface: v('--surface', FALLBACK.surface),
    palette: [
      accent,
      backends.mlx!,
      backends.metal!,
      backends.cuda!,
      backends.rocm!,
      backends.vulkan!,
      v('--warn', FALLBACK.warn),
      backends.cpu!,
    ],
    backends,
    warn: v('--warn', FALLBACK.warn),
    error: v('--error', FALLBACK.error),
    ok: v('--ok', FALLBACK.ok),
    accent,
  };
}

export const POINT_STYLES: readonly PointStyleName[] = [
  'circle',
  'rect',
  'triangle',
  'rectRot',
  'star',
  'crossRot',
  'rectRounded',
  'cross',
];
export const DASHES: readonly number[][] = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 5], [12, 6], [4, 2], [8, 2, 2, 2]];
export const BACKEND_ORDER = ['mlx', 'metal', 'cuda', 'rocm', 'vulkan', 'cpu', 'unknown'];

/** The n-th distinct look: point style and dash pattern both vary, so series differ without colour. */
export function styleAt(index: number): { pointStyle: PointStyleName; dash: number[] } {
  return { pointStyle: POINT_STYLES[index % POINT_STYLES.length]!, dash: [...DASHES[index % DASHES.length]!] };
}

function line(partial: Partial<LineSeries> & Pick<LineSeries, 'key' | 'label' | 'data' | 'color'>): LineSeries {
  return { pointStyle: 'circle', dash: [], axis: 'y', showLine: true, stepped: false, pointRadius: 2, ...partial };
}

function backendIndex(backend: string | null): number {
  const i = BACKEND_ORDER.indexOf(backend ?? 'unknown');
  return i === -1 ? BACKEND_ORDER.length : i;
}

export function seriesLabel(model: string | null, backend: string | null, group: Group, fallback: string): string {
  switch (group) {
    case 'backend':
      return backend === null ? 'unknown backend' : formatBackend(backend);
    case 'model':
      return model ?? 'unknown model';
    case 'model_backend':
      return `${model ?? 'unknown model'} · ${backend === null ? 'unknown' : formatBackend(backend)}`;
    default:
      return fallback;
  }
}

/**
 * The API leaves out empty step buckets. For speeds a missing bucket is a gap (null: the line
 * breaks); for counts it is a zero, so every bucket of [from, to) gets a value.
 */
export function fillGaps(
  points: readonly SeriesPoint[],
  stepMs: number,
  fill: null | 0,
  window?: { from: number; to: number },
): SeriesPoint[] {
  if (stepMs <= 0) return [...points];
  if (fill === 0) {
    const from = window !== undefined && Number.isFinite(window.from) ? window.from : points[0]?.[0];
    const to =
      window !== undefined && Number.isFinite(window.to) ? window.to : points.length === 0 ? undefined : points[points.length - 1]![0] + 1;
    if (from === undefined || to === undefined || !Number.isFinite(from) || !Number.isFinite(to) || (to - from) / stepMs > 5000)
      return [...points];
    const byX = new Map(points.map(([x, y]) => [x, y]));
    const out: SeriesPoint[] = [];
    for (let x = Math.floor(from / stepMs) * stepMs; x < to; x += stepMs) out.push([x, byX.get(x) ?? 0]);
    // Points off the step grid are kept as they are.
    for (const p of points) if (p[0] % stepMs !== 0) out.push(p);
    return out.sort((a, b) => a[0] - b[0]);
  }
  const out: SeriesPoint[] = [];
  points.forEach((p, i) => {
    const prev = points[i - 1];
    if (prev !== undefined && p[0] - prev[0] > stepMs * 1.5) out.push([prev[0] + stepMs, null]);
    out.push(p);
  });
  return out;
}

/**
 * `/api/series` → one line per series. By backend, each backend keeps its own colour and look
 * (MLX always the same); by model, series are sorted by name and styled by position.
 * `scale` transforms each value (e.g. a count per step → per minute).
 */
export function seriesLines(
  resp: SeriesResponse,
  group: Group,
  theme: Theme,
  {
    fallbackLabel = 'all',
    scale = (v: number) => v,
    fill = null,
  }: { fallbackLabel?: string; scale?: (v: number) => number; fill?: null | 0 } = {},
): LineSeries[] {
  const window = { from: Date.parse(resp.from), to: Date.parse(resp.to) };
  const list = [...resp.series];
  if (group === 'backend') list.sort((a, b) => backendIndex(a.backend) - backendIndex(b.backend));
  else list.sort((a, b) => (a.model ?? '\uffff').localeCompare(b.model ?? '\uffff') || backendIndex(a.backend) - backendIndex(b.backend));
  return list.map((s, i) => {
    const index = group === 'backend' ? backendIndex(s.backend) : i;
    const colour =
      group === 'backend' ? (theme.backends[s.backend ?? 'other'] ?? theme.backends.other!) : theme.palette[i % theme.palette.length]!;
    return line({
      key: `${s.model ?? ''}|${s.backend ?? ''}`,
      label: seriesLabel(s.model, s.backend, group, fallbackLabel),
      data: fillGaps(s.points, resp.stepMs, fill, window).map(([x, y]) => ({ x, y: y === null || !Number.isFinite(y) ? null : scale(y) })),
      color: colour,
      ...styleAt(index),
    });
  });
}

/** Requests per step (`stat=sum`) → requests per minute, with the total and the peak rate. */
export function requestRateLines(resp: SeriesResponse, theme: Theme): { lines: LineSeries[]; total: number; peak: number | null } {
  const minutes = resp.stepMs > 0 ? resp.stepMs / 60_000 : 1;
  let total = 0;
  for (const s of resp.series) for (const [, v] of s.points) if (v !== null && Number.isFinite(v)) total += v;
  const lines = seriesLines(resp, 'none', theme, { fallbackLabel: 'requests/min', scale: (v) => v / minutes, fill: 0 }).map((l) => ({
    ...l,
    color: theme.accent,
    stepped: true,
    pointRadius: 0,
  }));
  const all = lines.flatMap((l) => values(l.data));
  return { lines, total, peak: all.length === 0 ? null : Math.max(...all) };
}

const PRESSURE_LEVEL: Record<PressureLevel, number> = { normal: 0, warn: 1, critical: 2 };
export const PRESSURE_TICKS: Record<number, string> = { 0: 'normal', 1: 'warning', 2: 'critical', 3: 'incident' };
/** Incidents are drawn on the pressure axis, above "critical". */
export const INCIDENT_Y = 3;

function ms(at: string | null): number | null {
  if (at === null) return null;
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : null;
}

export function incidentNote(incident: Pick<IncidentRecord, 'kind' | 'model' | 'detail'>): string {
  return `${incident.kind}${incident.model === null ? '' : ` · ${incident.model}`}`;
}

/** Memory used, total, swap used (left axis, bytes), pressure level and incidents (right axis). */
export function memoryLines(samples: readonly MemorySample[], incidents: readonly IncidentRecord[], theme: Theme): LineSeries[] {
  const used: XY[] = [];
  const total: XY[] = [];
  const swap: XY[] = [];
  const pressure: XY[] = [];
  for (const s of samples) {
    const x = ms(s.at);
    if (x === null) continue;
    used.push({ x, y: s.usedBytes });
    total.push({ x, y: s.totalBytes });
    swap.push({ x, y: s.swapUsedBytes });
    pressure.push({ x, y: s.pressure === null ? null : PRESSURE_LEVEL[s.pressure] });
  }
  const marks: XY[] = [];
  for (const incident of incidents) {
    const x = ms(incident.at);
    if (x !== null) marks.push({ x, y: INCIDENT_Y, note: incidentNote(incident) });
  }
  marks.sort((a, b) => a.x - b.x);
  return [
    line({ key: 'used', label: 'memory used', data: used, color: theme.accent, ...styleAt(0), pointRadius: 0 }),
    line({ key: 'total', label: 'memory total', data: total, color: theme.muted, pointStyle: 'line', dash: [2, 3], pointRadius: 0 }),
    line({ key: 'swap', label: 'swap used', data: swap, color: theme.backends.vulkan!, ...styleAt(1), pointRadius: 0 }),
    line({
      key: 'pressure',
      label: 'pressure level',
      data: pressure,
      color: theme.warn,
      ...styleAt(3),
      axis: 'y2',
      stepped: true,
      pointRadius: 0,
    }),
    line({
      key: 'incidents',
      label: 'incidents',
      data: marks,
      color: theme.error,
      pointStyle: 'triangle',
      axis: 'y2',
      showLine: false,
      pointRadius: 6,
    }),
  ];
}

export function memorySummary(range: string, samples: readonly MemorySample[], incidents: readonly IncidentRecord[]): string {
  const known = samples.filter((s) => s.usedBytes !== null);
  const last = known.at(-1) ?? null;
  if (last === null) return `memory, ${range}: no samples${incidents.length > 0 ? `; ${incidentCount(incidents)}` : ''}`;
  const peak = Math.max(...known.map((s) => s.usedBytes!));
  const swap = samples.findLast((s) => s.swapUsedBytes !== null)?.swapUsedBytes ?? null;
  const pressure = samples.findLast((s) => s.pressure !== null)?.pressure ?? null;
  const worst = samples.reduce<PressureLevel | null>(
    (w, s) => (s.pressure !== null && (w === null || PRESSURE_LEVEL[s.pressure] > PRESSURE_LEVEL[w]) ? s.pressure : w),
    null,
  );
  const of = last.totalBytes === null ? '' : ` of ${formatBytes(last.totalBytes)}`;
  const pressureText =
    pressure === null ? 'pressure unknown' : `pressure ${pressure}${worst !== null && worst !== pressure ? ` (worst ${worst})` : ''}`;
  return `memory, ${range}: ${formatBytes(last.usedBytes)} used${of} (peak ${formatBytes(peak)}), swap ${formatBytes(swap)}, ${pressureText}; ${incidentCount(incidents)}`;
}

function incidentCount(incidents: readonly IncidentRecord[]): string {
  if (incidents.length === 0) return 'no incidents';
  const kinds = [...new Set(incidents.map((i) => i.kind))];
  return `${incidents.length} ${incidents.length === 1 ? 'incident' : 'incidents'} (${kinds.join(', ')})`;
}

export interface ContextPoints {
  lines: LineSeries[];
  /** Requests with a known context use in the window. */
  count: number;
}

/** Requests in [from, to) with a known context use: ctxUsed as points, the limit as dashes above them. */
export function contextLines(requests: readonly RequestRecord[], window: { from: number; to: number }, theme: Theme): ContextPoints {
  const used: XY[] = [];
  const limit: XY[] = [];
  for (const r of requests) {
    if (r.ctxUsed === null) continue;
    const x = ms(r.at);
    if (x === null || x < window.from || x >= window.to) continue;
    const model = r.model ?? 'unknown model';
    used.push({ x, y: r.ctxUsed, note: model });
    if (r.ctxLimit !== null) limit.push({ x, y: r.ctxLimit, note: model });
  }
  used.sort((a, b) => a.x - b.x);
  limit.sort((a, b) => a.x - b.x);
  return {
    count: used.length,
    lines: [
      line({
        key: 'used',
        label: 'context used (tokens)',
        data: used,
        color: theme.accent,
        pointStyle: 'circle',
        showLine: false,
        pointRadius: 3,
      }),
      line({ key: 'limit', label: 'context limit', data: limit, color: theme.error, pointStyle: 'line', showLine: false, pointRadius: 6 }),
    ],
  };
}

/** "context used per request, last 24 h: 120 requests, median 1,024 of 8,192 tokens, 3 at ≥ 90 % of the limit". */
export function contextSummary(range: string, requests: readonly RequestRecord[], window: { from: number; to: number }): string {
  const inWindow = requests.filter((r) => {
    const x = ms(r.at);
    return r.ctxUsed !== null && x !== null && x >= window.from && x < window.to;
  });
  const title = `context used per request, ${range}`;
  if (inWindow.length === 0) return `${title}: no requests with a known context`;
  const used = median(inWindow.map((r) => r.ctxUsed!));
  const limits = inWindow.filter((r) => r.ctxLimit !== null).map((r) => r.ctxLimit!);
  const limitMedian = median(limits);
  const near = inWindow.filter((r) => r.ctxLimit !== null && r.ctxLimit > 0 && r.ctxUsed! >= 0.9 * r.ctxLimit).length;
  const of = limitMedian === null ? '' : ` of ${formatCount(limitMedian)}`;
  return `${title}: ${formatCount(inWindow.length)} ${inWindow.length === 1 ? 'request' : 'requests'}, median ${formatCount(used)}${of} tokens, ${near} at ≥ 90 % of the limit`;
}

/** Number of drawn (non-null) points over all series. */
export function pointCount(lines: readonly LineSeries[]): number {
  return lines.reduce((n, l) => n + values(l.data).length, 0);
}

export interface DataTable {
  columns: string[];
  rows: string[][];
  /** Rows left out (the table keeps the newest). */
  omitted: number;
}

/** A textual equivalent: one row per time, one column per series (newest `maxRows` times). */
export function dataTable(
  lines: readonly LineSeries[],
  formatX: (ms: number) => string,
  formatY: (line: LineSeries, y: number) => string,
  maxRows = 120,
): DataTable {
  const xs = new Set<number>();
  const byLine = lines.map((l) => {
    const m = new Map<number, XY>();
    for (const p of l.data) {
      xs.add(p.x);
      m.set(p.x, p);
    }
    return m;
  });
  const sorted = [...xs].sort((a, b) => b - a);
  const kept = sorted.slice(0, maxRows);
  return {
    columns: ['time', ...lines.map((l) => l.label)],
    rows: kept.map((x) => [
      formatX(x),
      ...lines.map((l, i) => {
        const p = byLine[i]!.get(x);
        if (p === undefined || p.y === null) return UNKNOWN;
        return p.note !== undefined && l.key === 'incidents' ? p.note : formatY(l, p.y);
      }),
    ]),
    omitted: sorted.length - kept.length,
  };
}
