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

export class StatusBoard {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private stopped = false;

  constructor(
    private readonly parts: StatusParts,
    private readonly bus: Bus,
    private readonly minIntervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  current(): AgentStatus {
    const ollama = this.parts.ollama();
    return {
      agentVersion: this.parts.agentVersion,
      ollama: ollama.version === null ? { ...ollama, version: this.parts.loggedVersion() } : ollama,
      sources: this.parts.sources(),
      requestCount: this.parts.requestCount(),
      machine: this.parts.machine?.() ?? null,
      probes: this.parts.probes?.() ?? [],
      channels: this.parts.channels?.() ?? [],
      ...(this.parts.proxy ? { proxy: this.parts.proxy() } : {}),
      ...(this.parts.self ? { self: this.parts.self() } : {}),
      ...(this.parts.contextAlertRatio !== undefined ? { contextAlertRatio: this.parts.contextAlertRatio } : {}),
    };
  }

  /** Something changed: publish soon, coalescing bursts. */
  changed(): void {
    // Parts still report while the agent shuts down; publishing then would read a closed database.
    if (this.timer || this.stopped) return;
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
