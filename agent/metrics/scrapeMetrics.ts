// The metrics `/metrics` reads afresh on each scrape (gauges of what is loaded, memory, alerts and
// Ollama's state, and the agent's own counters kept elsewhere): MetricsCollector's, registered on its
// registry. A value the agent does not know is absent, never 0.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AlertRecord } from '../../shared/alerts.js';
import type { MemorySample, PressureLevel } from '../../shared/memory.js';
import type { LoadedModel } from '../../shared/models.js';
import type { Backend, Engine } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';

/** What the scrape-time metrics read. */
export interface ScrapeSources {
  status: () => AgentStatus;
  /** What /api/ps lists now. */
  models: () => LoadedModel[];
  memory: () => MemorySample | null;
  firingAlerts: () => AlertRecord[];
  ws: () => { clients: number; dropped: number };
  agentVersion?: string;
}

/** How the collector names a model in a label and finds a load's engine and backend. */
export interface LabelLookups {
  model(name: string | null): string;
  load(id: number): { engine: Engine | null; backend: Backend | null } | null;
}

const PRESSURE_LEVEL: Record<PressureLevel, number> = { normal: 0, warn: 1, critical: 2 };

/** A gauge without labels that is absent, not 0, while its value is unknown (prom-client writes 0). */
class MaybeGauge extends Gauge {
  constructor(
    name: string,
    help: string,
    registers: Registry[],
    private readonly read: () => number | null,
  ) {
    super({ name, help, registers });
  }

  override async get(): Promise<Awaited<ReturnType<Gauge['get']>>> {
    const base = await super.get();
    const v = this.read();
    return { ...base, values: v === null ? [] : [{ labels: {}, value: v }] };
  }
}

/** Registers every scrape-time metric on `registers`. */
export function registerScrapeMetrics(registers: Registry[], d: ScrapeSources, labels: LabelLookups): void {
  // collect() runs with `this` bound to its gauge.
  new Gauge({
    name: 'ollama_lens_loaded_models',
    help: 'Models Ollama has loaded now (/api/ps).',
    registers,
    collect() {
      this.set(d.models().length);
    },
  });
  new Gauge({
    name: 'ollama_lens_loaded_model_info',
    help: 'One series per loaded model (value 1): its format (gguf|safetensors) and backend.',
    labelNames: ['model', 'format', 'backend'],
    registers,
    collect() {
      this.reset();
      for (const m of d.models()) {
        const load = m.loadId === null ? null : labels.load(m.loadId);
        this.set({ model: labels.model(m.name), format: m.format ?? 'unknown', backend: load?.backend ?? 'unknown' }, 1);
      }
    },
  });
  const memoryGauge = (name: string, help: string, pick: (s: MemorySample) => number | null): void => {
    new MaybeGauge(name, help, registers, () => {
      const s = d.memory();
      return s ? pick(s) : null;
    });
  };
  memoryGauge(
    'ollama_lens_memory_pressure_level',
    'Memory pressure of the machine: 0 normal, 1 warn, 2 critical (absent when unknown).',
    (s) => (s.pressure === null ? null : PRESSURE_LEVEL[s.pressure]),
  );
  memoryGauge(
    'ollama_lens_memory_used_bytes',
    'Memory in use (macOS: as Activity Monitor counts it; Linux: MemTotal − MemAvailable).',
    (s) => s.usedBytes,
  );
  memoryGauge('ollama_lens_memory_available_bytes', 'Memory that can still be had without swapping.', (s) => s.availableBytes);
  memoryGauge('ollama_lens_memory_total_bytes', 'Physical memory of the machine.', (s) => s.totalBytes);
  memoryGauge('ollama_lens_memory_swap_used_bytes', 'Swap in use.', (s) => s.swapUsedBytes);
  memoryGauge(
    'ollama_lens_ollama_footprint_bytes',
    "Memory of Ollama's processes (macOS footprint incl. Metal; Linux RSS).",
    (s) => s.ollamaFootprintBytes,
  );
  new Gauge({
    name: 'ollama_lens_alerts_firing',
    help: 'Alerts firing now, by kind and severity.',
    labelNames: ['kind', 'severity'],
    registers,
    collect() {
      this.reset();
      for (const a of d.firingAlerts()) this.inc({ kind: a.kind, severity: a.severity });
    },
  });
  new Gauge({
    name: 'ollama_lens_ollama_up',
    help: "1 when Ollama's API answered the last check, else 0.",
    registers,
    collect() {
      this.set(d.status().ollama.state === 'reachable' ? 1 : 0);
    },
  });

  // --- the agent itself (SelfStats) ---
  new Gauge({
    name: 'ollama_lens_source_lag_bytes',
    help: 'Bytes written to each log source and not read yet (absent when unknown).',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const s of d.status().sources) if (s.lagBytes !== null) this.set({ source: s.path }, s.lagBytes);
    },
  });
  new Counter({
    name: 'ollama_lens_log_lines_total',
    help: 'Log lines read from each source (counted from the resume point, so it carries on over restarts).',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const s of d.status().sources) this.inc({ source: s.path }, s.linesRead);
    },
  });
  new Counter({
    name: 'ollama_lens_unparsed_lines_total',
    help: 'Lines no parser rule recognised, per source, since the agent started (parse errors; never fatal).',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const s of d.status().sources) this.inc({ source: s.path }, s.unparsed);
    },
  });
  new Gauge({
    name: 'ollama_lens_websocket_clients',
    help: 'Dashboards connected over the WebSocket now.',
    registers,
    collect() {
      this.set(d.ws().clients);
    },
  });
  new Counter({
    name: 'ollama_lens_websocket_dropped_clients_total',
    help: 'WebSocket clients dropped for falling too far behind.',
    registers,
    collect() {
      this.reset();
      this.inc(d.ws().dropped);
    },
  });
  if (d.agentVersion !== undefined) {
    const version = d.agentVersion;
    new Gauge({
      name: 'ollama_lens_build_info',
      help: 'The agent version (value 1).',
      labelNames: ['version'],
      registers,
      collect() {
        this.set({ version }, 1);
      },
    });
  }
}
