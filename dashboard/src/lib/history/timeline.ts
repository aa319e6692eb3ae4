// Model loads and incidents in the range, newest first, as words for the compact timelines.
import { formatBackend, formatDayTime, UNKNOWN } from '../format.js';
import type { IncidentRecord, LoadRecord } from '../../../../shared/records.js';

export function atMs(at: string | null): number | null {
  if (at === null) return null;
  const t = Date.parse(at);
  return Number.isFinite(t) ? t : null;
}

/** Items whose `at` falls in [from, to), newest first (items without a time are left out). */
export function inWindow<T extends { at: string | null }>(items: readonly T[], window: { from: number; to: number }): T[] {
  return items
    .map((item) => ({ item, t: atMs(item.at) }))
    .filter((e): e is { item: T; t: number } => e.t !== null && e.t >= window.from && e.t < window.to)
    .sort((a, b) => b.t - a.t)
    .map((e) => e.item);
}

export interface LoadRow {
  id: number;
  at: string;
  time: string;
  model: string;
  engine: string;
  outcome: string;
  tone: 'ok' | 'error' | 'neutral';
  error: string | null;
}

export function loadRows(loads: readonly LoadRecord[], window: { from: number; to: number }): LoadRow[] {
  return inWindow(loads, window).map((l) => ({
    id: l.id,
    at: l.at ?? '',
    time: formatDayTime(atMs(l.at)!),
    model: l.model ?? l.displayName ?? UNKNOWN,
    engine: `${l.engine ?? UNKNOWN} / ${formatBackend(l.backend)}${l.device === null ? '' : ` (${l.device})`}`,
    outcome: l.outcome ?? 'unknown',
    tone: l.outcome === 'failed' ? 'error' : l.outcome === 'ready' ? 'ok' : 'neutral',
    error: l.error,
  }));
}

export interface IncidentRow {
  id: number;
  at: string;
  time: string;
  kind: string;
  model: string;
  detail: string;
}

/** `mlx_fallback` → "MLX fallback". */
export function incidentKindText(kind: string): string {
  const words = kind.split('_').map((w) => (w === 'mlx' || w === 'oom' || w === 'gpu' || w === 'cpu' ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function incidentRows(incidents: readonly IncidentRecord[], window: { from: number; to: number }): IncidentRow[] {
  return inWindow(incidents, window).map((i) => ({
    id: i.id,
    at: i.at ?? '',
    time: formatDayTime(atMs(i.at)!),
    kind: incidentKindText(i.kind),
    model: i.model ?? UNKNOWN,
    detail: i.detail,
  }));
}
