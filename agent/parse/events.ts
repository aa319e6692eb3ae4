// What the line parsers produce. Each parser is a pure `(line) => event | null`.

/** A wall-clock time as printed, before a zone is known (GIN lines carry none). */
export interface LocalTime {
  /** `YYYY-MM-DDTHH:MM:SS[.fff]` */
  local: string;
}

export interface GinEvent {
  type: 'gin';
  time: LocalTime;
  status: number;
  latencyMs: number;
  client: string;
  method: string;
  path: string;
}

export interface ListeningEvent {
  type: 'listening';
  /** ISO time with offset when the line had one (slog), else local time, else null. */
  at: string | null;
  address: string;
  version: string | null;
}

/** Any slog/Go-log line that carries a zoned timestamp; lets the correlator learn the log's UTC offset. */
export interface ClockEvent {
  type: 'clock';
  at: string;
}

/** Facts about runners (model processes), the minimum needed to attribute requests to a backend. */
export type RunnerEvent =
  | { type: 'gpu_library'; at: string; library: string }
  | { type: 'runner_start'; at: string; engine: 'mlx' | 'llama.cpp'; model: string | null }
  | { type: 'mlx_device'; at: string; device: string }
  | { type: 'runner_stop'; at: string; engine: 'mlx' | 'llama.cpp' }
  | { type: 'using_mlx'; at: string; model: string | null }
  | { type: 'offloaded'; gpuLayers: number; totalLayers: number }
  | { type: 'llama_server_activity' };

export type LineEvent = GinEvent | ListeningEvent | ClockEvent | RunnerEvent;
