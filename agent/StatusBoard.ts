// Collects the agent's current status from its parts and publishes it when it changes,
// at most every `minIntervalMs` (a backfill changes the offsets thousands of times a second).
import type { ChannelStatus } from '../shared/alerts.js';
import type { MachineInfo, ProbeStatus } from '../shared/memory.js';
import type { AgentSelfStats, AgentStatus, OllamaStatus, ProxyStatus, SourceStatus } from '../shared/status.js';
import type { Bus } from './bus.js';

export interface StatusParts {
  agentVersion: string;
  ollama: () => OllamaStatus;
  sources: () => SourceStatus[];
  requestCount: () => number;
  /** The version of the latest server start seen in the logs, used while the API has none. */
  loggedVersion: () => string | null;
  machine?: () => MachineInfo | null;
  probes?: () => ProbeStatus[];
  channels?: () => ChannelStatus[];
  /** The transparent proxy, when `--proxy` is on. */
  proxy?: () => ProxyStatus | null;
  /** The agent's own figures (read rate, parse errors, WebSocket clients). */
  self?: () => AgentSelfStats;
  contextAlertRatio?: number;
}

/**
 * Made before its parts, which are told to call changed(); show() hands it the parts once they all
 * exist (the board reads some of them, and some of them read the board).
 */
export class StatusBoard {
  private parts: StatusParts | null = null;
  /** A change reported before show(): published once shown. */
  private pending = false;
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private stopped = false;

  constructor(
    private readonly bus: Bus,
    private readonly minIntervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  show(parts: StatusParts): void {
    this.parts = parts;
    if (this.pending) this.changed();
  }

  current(): AgentStatus {
    const parts = this.parts;
    if (!parts) throw new Error('the status was read before its parts were shown');
    const ollama = parts.ollama();
    return {
      agentVersion: parts.agentVersion,
      ollama: ollama.version === null ? { ...ollama, version: parts.loggedVersion() } : ollama,
      sources: parts.sources(),
      requestCount: parts.requestCount(),
      machine: parts.machine?.() ?? null,
      probes: parts.probes?.() ?? [],
      channels: parts.channels?.() ?? [],
      ...(parts.proxy ? { proxy: parts.proxy() } : {}),
      ...(parts.self ? { self: parts.self() } : {}),
      ...(parts.contextAlertRatio !== undefined ? { contextAlertRatio: parts.contextAlertRatio } : {}),
    };
  }

  /** Something changed: publish soon, coalescing bursts. */
  changed(): void {
    // Parts still report while the agent shuts down; publishing then would read a closed database.
    if (this.timer || this.stopped) return;
    if (!this.parts) {
      this.pending = true;
      return;
    }
    const wait = Math.max(0, this.last + this.minIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = this.now();
      this.bus.publish({ type: 'status', status: this.current() });
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
