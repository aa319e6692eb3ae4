// Records shared by the agent and the dashboard. Field names follow SPEC §6.1 so the
// JSON the API serves, the WebSocket pushes and `analyze --json` prints stay one vocabulary.
// Unknown facts are `null`, never 0 or a guess.

export type Backend = 'mlx' | 'metal' | 'cuda' | 'rocm' | 'vulkan' | 'cpu' | 'unknown';
export type RequestKind = 'inference' | 'other';

export interface RequestRecord {
  /** Row id in the store; stable across restarts. */
  id: number;
  /** End of the request (the access-log line's time), ISO-8601, with offset when known. */
  at: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  client: string;
  kind: RequestKind;
  model: string | null;
  backend: Backend | null;
  promptTokens: number | null;
  completionTokens: number | null;
  prefillTps: number | null;
  decodeTps: number | null;
  ctxUsed: number | null;
  ctxLimit: number | null;
  truncated: boolean | null;
}

export interface SourceStatus {
  path: string;
  /** `waiting`: the file does not exist (yet); `following`: tailing it; `error`: see `lastError`. */
  state: 'waiting' | 'following' | 'error';
  offset: number;
  size: number | null;
  lagBytes: number | null;
  linesRead: number;
  lastError: string | null;
}

export interface OllamaStatus {
  url: string;
  state: 'unknown' | 'reachable' | 'unreachable';
  /** Version reported by the API, else the last `Listening on … (version X)` seen in the log. */
  version: string | null;
  lastError: string | null;
  checkedAt: string | null;
}

export interface AgentStatus {
  agentVersion: string;
  ollama: OllamaStatus;
  sources: SourceStatus[];
  /** Total stored requests. */
  requestCount: number;
}
