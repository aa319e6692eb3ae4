// The history section's words about its data: medians, the visible summaries of each chart and the
// compare table's speed-up verdict. Pure.
import { formatBackend, formatCount, formatRate, UNKNOWN } from '../format.js';

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The non-null y values of a dataset. */
export function values(data: readonly { y: number | null }[]): number[] {
  const out: number[] = [];
  for (const p of data) if (p.y !== null && Number.isFinite(p.y)) out.push(p.y);
  return out;
}

export interface SummarySeries {
  label: string;
  data: readonly { y: number | null }[];
}

/**
 * "decode tok/s by backend, last 24 h: MLX median 82, Metal 41" — each series' median over the
 * window, the busiest first is not implied: series keep their legend order.
 */
export function medianSummary(title: string, range: string, series: readonly SummarySeries[], format = formatRate): string {
  const parts: string[] = [];
  for (const s of series) {
    const m = median(values(s.data));
    if (m !== null) parts.push(`${s.label}${parts.length === 0 ? ' median' : ''} ${format(m)}`);
  }
  return `${title}, ${range}: ${parts.length === 0 ? 'no data' : parts.join(', ')}`;
}

/** "requests per minute, last 1 h: 240 requests, peak 12/min". */
export function rateSummary(title: string, range: string, total: number, peakPerMinute: number | null): string {
  if (total === 0) return `${title}, ${range}: no requests`;
  return `${title}, ${range}: ${formatCount(total)} ${total === 1 ? 'request' : 'requests'}, peak ${formatRate(peakPerMinute)}/min`;
}

/**
 * The compare table's verdict. `ratio` is MLX ÷ Metal median decode tok/s: "MLX 1.9× faster",
 * "Metal 1.3× faster", "about the same" within ±5 %, "—" when unknown.
 */
export function speedupText(ratio: number | null | undefined, fast = 'mlx', slow = 'metal'): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio) || ratio <= 0) return UNKNOWN;
  if (Math.abs(ratio - 1) < 0.05) return 'about the same';
  const [winner, factor] = ratio > 1 ? [fast, ratio] : [slow, 1 / ratio];
  return `${formatBackend(winner)} ${factor.toFixed(1)}× faster`;
}
