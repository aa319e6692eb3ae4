// The history range (a preset look-back or a custom window) and the API URLs it turns into.
import { formatDayTime } from '../format.js';
import type { Group, Metric, Stat } from './types.js';

export type Preset = '1h' | '24h' | '7d' | '30d';

export const PRESETS: readonly { value: Preset; label: string; ms: number }[] = [
  { value: '1h', label: '1 h', ms: 3_600_000 },
  { value: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { value: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { value: '30d', label: '30 d', ms: 30 * 86_400_000 },
];

export type RangeChoice = { kind: 'preset'; preset: Preset } | { kind: 'custom'; from: number; to: number };

const DEFAULT_PRESET: Preset = '24h';
export const DEFAULT_RANGE: RangeChoice = { kind: 'preset', preset: DEFAULT_PRESET };

/**
 * The range the history opens on: the default (24 h), or when that holds no request, the shortest
 * longer preset that holds the newest one, so a first look shows data instead of an empty day.
 */
export function openingRange(newestMs: number | null, now: number): RangeChoice {
  if (newestMs === null) return DEFAULT_RANGE;
  const from = PRESETS.findIndex((p) => p.value === DEFAULT_PRESET);
  const preset = PRESETS.slice(from).find((p) => newestMs > now - p.ms) ?? PRESETS[PRESETS.length - 1]!;
  return { kind: 'preset', preset: preset.value };
}

/** The API's own limit on a window. */
export const MAX_SPAN_MS = 400 * 86_400_000;

function presetMs(preset: Preset): number {
  return PRESETS.find((p) => p.value === preset)?.ms ?? 3_600_000;
}

/** The window as epoch ms, [from, to). */
export function rangeWindow(choice: RangeChoice, now: number): { from: number; to: number } {
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  return { from: now - presetMs(choice.preset), to: now + 1 };
}

/** `range=24h`, or `from`/`to` as ISO-8601 for a custom window. */
export function rangeQuery(choice: RangeChoice): Record<string, string> {
  if (choice.kind === 'preset') return { range: choice.preset };
  return { from: new Date(choice.from).toISOString(), to: new Date(choice.to).toISOString() };
}

/** Whether live WebSocket data may be appended (the 1 h view ends now and is short). */
export function isLiveRange(choice: RangeChoice): boolean {
  return choice.kind === 'preset' && choice.preset === '1h';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Words for the range, for headings and summaries: "last 24 h", "26 Nov 10:00 – 27 Nov 12:00". */
export function rangeLabel(choice: RangeChoice): string {
  if (choice.kind === 'preset') return `last ${PRESETS.find((p) => p.value === choice.preset)?.label ?? choice.preset}`;
  return `${formatDayTime(choice.from)} – ${formatDayTime(choice.to)}`;
}

export function sameRange(a: RangeChoice, b: RangeChoice): boolean {
  if (a.kind === 'preset' && b.kind === 'preset') return a.preset === b.preset;
  if (a.kind === 'custom' && b.kind === 'custom') return a.from === b.from && a.to === b.to;
  return false;
}

export function buildUrl(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

export function seriesUrl(metric: Metric, choice: RangeChoice, group: Group, stat: Stat): string {
  return buildUrl('/api/series', { metric, ...rangeQuery(choice), step: 'auto', group, stat });
}

export function compareUrl(choice: RangeChoice): string {
  return buildUrl('/api/compare', rangeQuery(choice));
}

export function memoryUrl(choice: RangeChoice, points = 720): string {
  return buildUrl('/api/memory', { ...rangeQuery(choice), points });
}

/**
 * `/api/incidents` or `/api/loads` for the window. `windowed: false` is the fallback for an agent
 * whose list routes do not take `from`/`to` yet (the caller then filters client-side).
 */
export function listUrl(kind: 'incidents' | 'loads', choice: RangeChoice, now: number, limit = 200, windowed = true): string {
  if (!windowed) return buildUrl(`/api/${kind}`, { limit });
  const { from, to } = rangeWindow(choice, now);
  return buildUrl(`/api/${kind}`, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit });
}

/** The requests behind the context chart: the newest 500 (the API pages newest first). */
export const CONTEXT_REQUEST_LIMIT = 500;
export function requestsUrl(limit = CONTEXT_REQUEST_LIMIT): string {
  return buildUrl('/api/requests', { limit });
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local input's value) in local time → epoch ms, or null. */
export function parseDateTimeLocal(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (m === null) return null;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(y, mo - 1, d, h, mi, s);
  // Reject rollovers such as 2025-02-31.
  if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime();
}

/** Epoch ms → a datetime-local input's value (local time, minutes). */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export type CustomResult = { ok: true; choice: RangeChoice } | { ok: false; error: string };

/** Validate the two datetime-local inputs of the custom range. */
export function customRange(fromText: string, toText: string, now: number): CustomResult {
  const from = parseDateTimeLocal(fromText);
  if (from === null) return { ok: false, error: 'Enter a start date and time.' };
  const to = toText.trim() === '' ? now : parseDateTimeLocal(toText);
  if (to === null) return { ok: false, error: 'Enter an end date and time.' };
  if (to <= from) return { ok: false, error: 'The end must be after the start.' };
  if (from > now) return { ok: false, error: 'The start is in the future.' };
  if (to - from > MAX_SPAN_MS) return { ok: false, error: 'A range may span at most 400 days.' };
  return { ok: true, choice: { kind: 'custom', from, to } };
}
