// `/api/series` data → chart series (plain objects; the chart component copies them into Chart.js datasets),
// with a colour, point style and dash pattern per series so colour is never the only signal.
import { formatBackend } from '../format.js';
import { BACKEND_ORDER, line, styleAt, type LineSeries } from './lineSeries.js';
import { values } from './summary.js';
import type { Theme } from './theme.js';
import type { Group, SeriesPoint, SeriesResponse } from './types.js';

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

/** Number of drawn (non-null) points over all series. */
export function pointCount(lines: readonly LineSeries[]): number {
  return lines.reduce((n, l) => n + values(l.data).length, 0);
}
