// The two senses besides the logs: the machine's memory (MemorySense) and Ollama's API (OllamaSense),
// made together because each reads the other; and the request memory they feed through the bus.
import { SNAPSHOT_LOADS } from '../../shared/messages.js';
import type { Bus } from '../bus.js';
import { createMemoryProbe } from '../probes/createMemoryProbe.js';
import type { MemoryProbe } from '../probes/MemoryProbe.js';
import type { OpenStore } from '../store/openStore.js';
import { MemorySense } from './MemorySense.js';
import { OllamaSense } from './OllamaSense.js';
import type { RequestMemory } from './RequestMemory.js';

export interface SensesConfig {
  /** Ollama's URL. */
  ollama: string;
  /** Seconds between polls. */
  ollamaInterval: number;
  memoryInterval: number;
}

export interface SensesOptions {
  stored: OpenStore;
  bus: Bus;
  requestMemory: RequestMemory;
  now: () => Date;
  /** Every log read to its end: what the log does not show by now, it does not show. */
  logCaughtUp: () => boolean;
  onStatusChange: () => void;
  /** The platform's probe unless a test gives one. */
  memoryProbe?: MemoryProbe;
  /** How long a model /api/ps lists may wait for its log load before it gets one of its own. */
  apiLoadGraceMs?: number;
}

export interface Senses {
  memory: MemorySense;
  ollama: OllamaSense;
}

export function createSenses(config: SensesConfig, o: SensesOptions): Senses {
  const { stored, bus, requestMemory, now } = o;
  // What is stored already, then what happens from now on (the first listener on the bus).
  for (const load of stored.store.loads(SNAPSHOT_LOADS)) requestMemory.noteLoad(load);
  for (const sample of stored.samples.latest(8).reverse()) requestMemory.noteSample(sample);
  bus.subscribe((msg) => {
    if (msg.type === 'memory') requestMemory.noteSample(msg.sample);
    else if (msg.type === 'load') requestMemory.noteLoad(msg.load);
  });
  const memory = new MemorySense({
    probe: o.memoryProbe ?? createMemoryProbe({ platform: process.platform, arch: process.arch }),
    store: stored.samples,
    bus,
    intervalMs: config.memoryInterval * 1000,
    now,
    guarded: stored.guard,
    onStatusChange: o.onStatusChange,
  });
  const ollama = new OllamaSense({
    url: config.ollama,
    intervalMs: config.ollamaInterval * 1000,
    bus,
    loads: stored.apiLoads,
    names: stored.names,
    serverConfig: () => stored.store.latestServerConfig(),
    logCaughtUp: o.logCaughtUp,
    memory: () => memory.latest(),
    machine: () => memory.machine(),
    now,
    guarded: stored.guard,
    onStatusChange: o.onStatusChange,
    apiLoadGraceMs: o.apiLoadGraceMs,
  });
  // Free memory moved: the KV room of each loaded model is computed again.
  memory.afterSample(() => stored.guard('KV room not updated', () => ollama.refresh()));
  return { memory, ollama };
}
