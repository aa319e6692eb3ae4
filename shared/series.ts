// History API shapes: GET /api/series (chart data from the minute/hour rollups) and GET /api/compare
// (per model, each backend's speeds side by side: "is MLX faster than Metal for this model?").

/**
 * decode_tps / prefill_tps: tok/s the runner reported; latency_ms: access-log latency of inference
 * requests; ctx_ratio: ctxUsed ÷ ctxLimit (0..1+); requests: every access-log line; inference:
 * inference requests; errors: status ≥ 400; tokens: prompt + completion tokens; truncated: requests whose
 * prompt was truncated; incidents: incidents (by model only, never by backend).
 */
export const SERIES_METRICS = [
  'decode_tps',
  'prefill_tps',
  'latency_ms',
  'ctx_ratio',
  'requests',
  'inference',
  'errors',
  'tokens',
  'truncated',
  'incidents',
] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** avg/max/p50/p95 of the values in a step; count = how many values; sum = their total. */
export const SERIES_STATS = ['avg', 'p50', 'p95', 'max', 'sum', 'count'] as const;
export type SeriesStat = (typeof SERIES_STATS)[number];

/** The stats each metric supports; the first is its default. */
export const METRIC_STATS: Readonly<Record<SeriesMetric, readonly SeriesStat[]>> = {
  decode_tps: ['avg', 'p50', 'p95', 'max', 'count'],
  prefill_tps: ['avg', 'p50', 'p95', 'max', 'count'],
  latency_ms: ['avg', 'p50', 'p95', 'max', 'sum', 'count'],
  ctx_ratio: ['avg', 'max', 'count'],
  requests: ['sum', 'count'],
  inference: ['sum', 'count'],
  errors: ['sum', 'count'],
  tokens: ['sum'],
  truncated: ['sum', 'count'],
  incidents: ['sum', 'count'],
};

/** Step buckets are aligned to multiples of the step since the epoch (UTC). */
export const SERIES_STEPS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '1d': 86_400_000,
} as const satisfies Record<string, number>;
export type SeriesStep = keyof typeof SERIES_STEPS;

export const SERIES_GROUPS = ['none', 'model', 'backend', 'model_backend'] as const;
export type SeriesGroup = (typeof SERIES_GROUPS)[number];

/** [bucket start, epoch ms; value]. */
export type SeriesPoint = [number, number | null];

export interface Series {
  /** null when not grouped by model, or the model is unknown. */
  model: string | null;
  /** null when not grouped by backend, or the backend is unknown. */
  backend: string | null;
  /** Oldest first; one per step bucket that has data (gaps are absent). */
  points: SeriesPoint[];
}

export interface SeriesResponse {
  metric: SeriesMetric;
  stat: SeriesStat;
  step: SeriesStep;
  stepMs: number;
  /** ISO-8601: the window, its start aligned down to the step. */
  from: string;
  to: string;
  /** Which rollup answered: minute rollups for windows up to 24 h, else hour rollups. */
  source: 'minute' | 'hour';
  series: Series[];
}

export interface CompareBackend {
  /** Inference requests. */
  requests: number;
  decodeP50: number | null;
  decodeP95: number | null;
  prefillP50: number | null;
  latencyP50: number | null;
}

export interface CompareItem {
  model: string;
  /** By backend (`mlx`, `metal`, `cpu`, …; `unknown` when the log did not say). */
  backends: Record<string, CompareBackend>;
  /** mlx decodeP50 ÷ metal decodeP50 when both exist, else null. */
  decodeSpeedup: number | null;
}

export interface CompareResponse {
  from: string;
  to: string;
  source: 'minute' | 'hour';
  /** Most inference requests first. */
  items: CompareItem[];
}
