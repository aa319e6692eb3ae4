// The context chart: per request, the context used against the model's limit, to spot requests
// that come close to it (and get truncated).
import type { RequestRecord } from '../../../../shared/records.js';
import { formatCount } from '../format.js';
import { chartX, line, type LineSeries, type XY } from './lineSeries.js';
import { median } from './summary.js';
import type { Theme } from './theme.js';

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
    const x = chartX(r.at);
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
    const x = chartX(r.at);
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
