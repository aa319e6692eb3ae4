// The context gauge of a model card and the context column of the request table: how full the
// newest request's window is, amber from the agent's \`context_near_limit\` threshold, red when that
// request was truncated. Pure; no window known means no meter, only the number.
import type { RequestRecord } from '../../../shared/records.js';
import { formatCount, UNKNOWN } from './format.js';

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
    limit === null
      ? `${formatCount(used)} tokens · window ${UNKNOWN}`
      : `${formatCount(used)} / ${formatCount(limit)} tokens · ${percent(used, limit)}%`;
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

/** "54%", "—". */
export function contextPercentText(row: Pick<RequestRecord, 'ctxUsed' | 'ctxLimit'>): string {
  if (row.ctxUsed === null || row.ctxLimit === null || !(row.ctxLimit > 0)) return UNKNOWN;
  return `${percent(row.ctxUsed, row.ctxLimit)}%`;
}
