// What a link to the dashboard carries: the history range, the request filters, the request page
// (`before=`, the API's cursor) and an opened request. Pure: `parseView` never throws, anything
// it does not understand falls back to the default, and `viewSearch(parseView(s))` is canonical.
import { DEFAULT_RANGE, PRESETS, sameRange, type Preset, type RangeChoice } from './history/range.js';
import { ALL, type StatusClassFilter } from './requestFilter.js';

export interface View {
  range: RangeChoice;
  model: string;
  backend: string;
  status: StatusClassFilter;
  /** The request page: rows with an id below this; null for the newest (live) page. */
  before: number | null;
  /** The request whose detail is open; null when none. */
  request: number | null;
}

export const DEFAULT_VIEW: View = Object.freeze({
  range: DEFAULT_RANGE,
  model: ALL,
  backend: ALL,
  status: ALL,
  before: null,
  request: null,
});

const STATUSES: readonly StatusClassFilter[] = ['2xx', '4xx', '5xx'];
/** Longer values are not a model or backend name: ignored rather than carried into the page. */
const MAX_NAME = 200;

function positiveId(raw: string | null): number | null {
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

function time(raw: string | null): number | null {
  if (raw === null || raw === '') return null;
  const ms = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

function name(raw: string | null): string {
  return raw === null || raw.length > MAX_NAME ? ALL : raw;
}

function parseRange(q: URLSearchParams): RangeChoice {
  const preset = q.get('range');
  if (preset !== null && PRESETS.some((p) => p.value === preset)) return { kind: 'preset', preset: preset as Preset };
  const from = time(q.get('from'));
  const to = time(q.get('to'));
  if (from !== null && to !== null && to > from) return { kind: 'custom', from, to };
  return DEFAULT_RANGE;
}

export function parseView(search: string): View {
  const q = new URLSearchParams(search);
  const status = q.get('status');
  return {
    range: parseRange(q),
    model: name(q.get('model')),
    backend: name(q.get('backend')),
    status: STATUSES.includes(status as StatusClassFilter) ? (status as StatusClassFilter) : ALL,
    before: positiveId(q.get('before')),
    request: positiveId(q.get('request')),
  };
}

/** `?range=7d&model=qwen3%3A8b&request=42`, or `''` for the default view; defaults are left out. */
export function viewSearch(view: View): string {
  const q = new URLSearchParams();
  if (!sameRange(view.range, DEFAULT_RANGE)) {
    if (view.range.kind === 'preset') q.set('range', view.range.preset);
    else {
      q.set('from', new Date(view.range.from).toISOString());
      q.set('to', new Date(view.range.to).toISOString());
    }
  }
  if (view.model !== ALL) q.set('model', view.model);
  if (view.backend !== ALL) q.set('backend', view.backend);
  if (view.status !== ALL) q.set('status', view.status);
  if (view.before !== null) q.set('before', String(view.before));
  if (view.request !== null) q.set('request', String(view.request));
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}
