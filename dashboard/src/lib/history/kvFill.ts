// "KV cache fill per request": each request's KV fill (used ÷ allocated) over time, one series per
// model (point style and dash vary, so colour is never the only signal), and the alert ratio as a
// dashed line across the window. Requests whose fill is unknown are left out, never drawn as 0.
import type { RequestRecord } from '../../../../shared/records.js';
import { styleAt, type LineSeries, type XY } from './lineSeries.js';
import type { Theme } from './theme.js';
import { median } from './summary.js';

export interface KvFillPoints {
  lines: LineSeries[];
  /** Requests with a known KV fill in the window. */
  count: number;
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

function inWindow(r: RequestRecord, window: { from: number; to: number }): number | null {
  if (r.kvFill === null) return null;
  const x = Date.parse(r.at);
  return Number.isFinite(x) && x >= window.from && x < window.to ? x : null;
}

export function kvFillLines(
  requests: readonly RequestRecord[],
  window: { from: number; to: number },
  theme: Theme,
  ratio: number,
): KvFillPoints {
  const byModel = new Map<string, XY[]>();
  let count = 0;
  for (const r of requests) {
    const x = inWindow(r, window);
    if (x === null) continue;
    const model = r.model ?? 'unknown model';
    let points = byModel.get(model);
    if (points === undefined) byModel.set(model, (points = []));
    points.push({ x, y: r.kvFill, note: model });
    count++;
  }
  const models = [...byModel.keys()].sort();
  const lines: LineSeries[] = models.map((model, i) => ({
    key: `kv:${model}`,
    label: model,
    data: byModel.get(model)!.sort((a, b) => a.x - b.x),
    color: theme.palette[i % theme.palette.length]!,
    ...styleAt(i),
    axis: 'y',
    showLine: false,
    stepped: false,
    pointRadius: 3,
  }));
  if (count > 0) {
    lines.push({
      key: 'kv:ratio',
      label: `alert ratio (${pct(ratio)})`,
      data: [
        { x: window.from, y: ratio },
        { x: window.to, y: ratio },
      ],
      color: theme.error,
      pointStyle: 'line',
      dash: [6, 4],
      axis: 'y',
      showLine: true,
      stepped: false,
      pointRadius: 0,
    });
  }
  return { lines, count };
}

/** "KV cache fill per request, last hour: 12 requests, median 40%, 2 at ≥ 85% (the alert ratio)". */
export function kvFillSummary(
  range: string,
  requests: readonly RequestRecord[],
  window: { from: number; to: number },
  ratio: number,
): string {
  const fills = requests.filter((r) => inWindow(r, window) !== null).map((r) => r.kvFill!);
  const title = `KV cache fill per request, ${range}`;
  if (fills.length === 0) return `${title}: no requests with a known KV cache fill`;
  const over = fills.filter((f) => f >= ratio).length;
  return `${title}: ${fills.length} ${fills.length === 1 ? 'request' : 'requests'}, median ${pct(median(fills)!)}, ${over} at ≥ ${pct(ratio)} (the alert ratio)`;
}
