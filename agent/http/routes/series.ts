import { Hono } from 'hono';
import {
  METRIC_STATS,
  SERIES_GROUPS,
  SERIES_METRICS,
  SERIES_STATS,
  SERIES_STEPS,
  type SeriesGroup,
  type SeriesMetric,
  type SeriesResponse,
  type SeriesStat,
  type SeriesStep,
} from '../../../shared/series.js';
import { INCIDENT_KINDS } from '../../../shared/records.js';
import { HOUR, MINUTE } from '../../store/requestAgg.js';
import type { SeriesQuery } from '../../store/SeriesQuery.js';
import { ApiError } from '../errors.js';
import { ownValue, rejectUnknownParams, timeWindow } from '../query.js';

/** Windows up to a day read minute rollups; longer ones hour rollups. */
export function rollupSource(from: number, to: number): { source: 'minute' | 'hour'; bucketMs: number } {
  // `range=24h` ends at now + 1 ms (half-open window).
  return to - from <= 24 * HOUR + 1 ? { source: 'minute', bucketMs: MINUTE } : { source: 'hour', bucketMs: HOUR };
}

/** `step=auto` aims at no more than this many points. */
export const AUTO_POINTS = 300;
/** An explicit step may give at most this many. */
export const MAX_POINTS = 2000;

export function oneOf<T extends string>(raw: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ApiError(400, 'bad_request', `${name} must be one of ${allowed.join(', ')}, got "${raw.slice(0, 40)}"`);
  }
  return raw as T;
}

function nameParam(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length === 0 || raw.length > 200) throw new ApiError(400, 'bad_request', `${name} must be 1 to 200 characters`);
  return raw;
}

const STEP_NAMES = Object.keys(SERIES_STEPS) as SeriesStep[];

function pickStep(raw: string | undefined, span: number, bucketMs: number): SeriesStep {
  const step = oneOf<SeriesStep | 'auto'>(raw, 'step', ['auto', ...STEP_NAMES], 'auto');
  if (step === 'auto') {
    return STEP_NAMES.find((s) => SERIES_STEPS[s] >= bucketMs && span / SERIES_STEPS[s] <= AUTO_POINTS) ?? '1d';
  }
  const stepMs = ownValue(SERIES_STEPS, step)!;
  if (stepMs < bucketMs) {
    throw new ApiError(400, 'bad_request', `step must be at least 1h for windows longer than 24h (hour rollups), got "${step}"`);
  }
  if (span / stepMs > MAX_POINTS) {
    throw new ApiError(400, 'bad_request', `step ${step} gives more than ${MAX_POINTS} points over this window; use a coarser step`);
  }
  return step;
}

/**
 * Chart data from the rollups: `metric`, `stat` (default: avg for speeds, latency and context; sum
 * for counts), `range` (default 24h) or `from`/`to`, `step` (default auto: ≤ 300 points), `group`
 * (default backend), optional `model`/`backend` filters and `kind` (incidents).
 */
export function seriesRoute(query: SeriesQuery, now: () => number = Date.now): Hono {
  return new Hono().get('/', (c) => {
    const q = c.req.query();
    rejectUnknownParams(q, ['metric', 'stat', 'range', 'from', 'to', 'step', 'group', 'model', 'backend', 'kind']);
    const metric = oneOf<SeriesMetric>(q.metric, 'metric', SERIES_METRICS, 'decode_tps');
    const allowedStats = ownValue(METRIC_STATS, metric)!;
    const stat = oneOf<SeriesStat>(q.stat, 'stat', SERIES_STATS, allowedStats[0]!);
    if (!allowedStats.includes(stat)) {
      throw new ApiError(400, 'bad_request', `stat for metric ${metric} must be one of ${allowedStats.join(', ')}, got "${stat}"`);
    }
    const group = oneOf<SeriesGroup>(q.group, 'group', SERIES_GROUPS, 'backend');
    const { from, to } = timeWindow(q, now(), '24h');
    const { source, bucketMs } = rollupSource(from, to);
    const step = pickStep(q.step, to - from, bucketMs);
    const stepMs = ownValue(SERIES_STEPS, step)!;
    const model = nameParam(q.model, 'model');
    const backend = nameParam(q.backend, 'backend');
    if (metric === 'incidents' && backend !== undefined) throw new ApiError(400, 'bad_request', 'incidents have no backend; drop backend=');
    let kind: string | undefined;
    if (q.kind !== undefined) {
      if (metric !== 'incidents') throw new ApiError(400, 'bad_request', 'kind applies to metric=incidents only');
      kind = oneOf(q.kind, 'kind', INCIDENT_KINDS, INCIDENT_KINDS[0]!);
    }
    const series = query.series({ metric, stat, from, to, stepMs, bucketMs, group, model, backend, kind });
    const body: SeriesResponse = {
      metric,
      stat,
      step,
      stepMs,
      from: new Date(Math.floor(from / stepMs) * stepMs).toISOString(),
      to: new Date(to).toISOString(),
      source,
      series,
    };
    return c.json(body);
  });
}
