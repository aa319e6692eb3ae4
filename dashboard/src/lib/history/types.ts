// Shapes of the history API (`/api/series`, `/api/compare`, `/api/memory`, `/api/incidents`,
// `/api/loads`) as the dashboard reads them. Unknown numbers are `null`, never 0.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../../../shared/memory.js';

export type Metric = 'decode_tps' | 'prefill_tps' | 'latency_ms' | 'requests' | 'errors' | 'tokens' | 'ctx_ratio';
export type Group = 'none' | 'model' | 'backend' | 'model_backend';
export type Stat = 'avg' | 'p50' | 'p95' | 'max' | 'sum' | 'count';

/** `[epoch ms, value]`; `null` is a bucket with no data (a gap, not a zero). */
export type SeriesPoint = [number, number | null];

export interface Series {
  model: string | null;
  backend: string | null;
  points: SeriesPoint[];
}

export interface SeriesResponse {
  metric: Metric;
  stat: Stat;
  step: string;
  stepMs: number;
  from: string;
  to: string;
  source: string;
  series: Series[];
}

export interface CompareBackendStats {
  requests: number;
  decodeP50: number | null;
  decodeP95: number | null;
  prefillP50: number | null;
  latencyP50: number | null;
}

export interface CompareItem {
  model: string;
  backends: Record<string, CompareBackendStats>;
  /** MLX median decode tok/s ÷ Metal median decode tok/s; null when either is unknown. */
  decodeSpeedup: number | null;
}

export interface CompareResponse {
  from: string;
  to: string;
  items: CompareItem[];
}

export interface MemoryResponse {
  from: string;
  to: string;
  bucketMs: number;
  /** Oldest first. */
  items: MemorySample[];
  machine: MachineInfo | null;
  probes: ProbeStatus[];
}

export interface ListResponse<T> {
  /** Newest first. */
  items: T[];
}
