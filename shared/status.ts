// What the agent says about itself and the parts it watches: the status strip, /api/health and the
// WebSocket's status message. Unknown facts are `null`, never 0 or a guess.
import type { ChannelStatus } from './alerts.js';
import type { MachineInfo, ProbeStatus } from './memory.js';

export interface SourceStatus {
  /** The file followed, or `journal:UNIT` for a systemd journal source. */
  path: string;
  /** `dev:ino` of the file being read (or the journal cursor's unit), null before the first read. */
  identity: string | null;
  /** `waiting`: the file does not exist (yet); `following`: tailing it; `error`: see `lastError`. */
  state: 'waiting' | 'following' | 'error';
  offset: number;
  size: number | null;
  lagBytes: number | null;
  linesRead: number;
  /** Lines no parser rule recognised (counted, never fatal; `analyze` shows samples). */
  unparsed: number;
  /** Lines longer than 1 MiB, stored cut at that length. */
  linesCut: number;
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

/** The transparent proxy (`--proxy LISTEN=UPSTREAM`) and the Ollama behind it. */
export interface ProxyStatus {
  listen: string;
  upstream: string;
  /** `listening` once bound; `error` when it could not bind (see lastError). */
  state: 'starting' | 'listening' | 'error';
  /** Whether the last attempt to reach Ollama behind the proxy worked. */
  upstreamState: 'unknown' | 'reachable' | 'unreachable';
  lastError: string | null;
  lastErrorAt: string | null;
  /** Requests forwarded since the start. */
  forwarded: number;
  /** Requests answered 502 because Ollama could not be reached. */
  upstreamErrors: number;
  /** Faults while recording (never while forwarding): a throw in the scanner, a failed write. */
  recordErrors: number;
  /** Requests merged into the log's row of the same request / stored as proxy-only rows. */
  merged: number;
  proxyOnly: number;
}

/** The agent's own health, in /api/health's `self` and /metrics. */
export interface AgentSelfStats {
  /** Log lines read per second over the last minute; null until a second has been seen. */
  linesPerSecond: number | null;
  /** Lines no parser rule recognised, over all sources (the sum of their `unparsed`). */
  parseErrors: number;
  /** Bytes written to the sources and not read yet, summed; null when no source knows. */
  lagBytes: number | null;
  wsClients: number;
  /** WebSocket clients dropped for falling too far behind, since the agent started. */
  droppedWsClients: number;
}

export interface AgentStatus {
  agentVersion: string;
  ollama: OllamaStatus;
  sources: SourceStatus[];
  /** Total stored requests. */
  requestCount: number;
  /** The machine's hardware, read once at start; null until then. */
  machine: MachineInfo | null;
  /** Each memory probe and whether it works here. */
  probes: ProbeStatus[];
  /** Alert notification channels (webhooks, ntfy, macOS) and how they are doing. */
  channels: ChannelStatus[];
  /** The transparent proxy, when `--proxy` is on. */
  proxy?: ProxyStatus | null;
  /** The agent's own figures: read rate, parse errors, lag, WebSocket clients. */
  self?: AgentSelfStats;
  /** `--context-alert-ratio`: a request whose context or KV cache fill reaches it is flagged (dashboards colour at it). */
  contextAlertRatio?: number;
}
