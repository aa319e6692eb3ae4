// Shapes of the history API (`/api/series`, `/api/compare`, `/api/memory`, `/api/incidents`,
// `/api/loads`) as the dashboard reads them. Unknown numbers are `null`, never 0.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../../../shared/memory.js';

// The series and compare shapes are the agent's own (shared/series.ts), under the names this code uses.
export type {
  CompareItem,
  CompareResponse,
  Series,
  SeriesPoint,
  SeriesResponse,
  SeriesGroup as Group,
  SeriesMetric as Metric,
  SeriesStat as Stat,
  CompareBackend as CompareBackendStats,
} from '../../../../shared/series.js';

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
