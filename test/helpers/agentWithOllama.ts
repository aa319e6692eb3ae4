// The agent in-process, as `ollama-lens` runs it (its SQLite file, HTTP server and WebSocket), tailing
// a log the test writes, beside a stand-in Ollama that lists the models the test loads (/api/ps,
// /api/show), with a memory probe that answers recorded figures: how the end-to-end tests of the API,
// memory per request and /metrics start the agent. Both are stopped after each test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { parseConfig } from '../../agent/config/parseConfig.js';
import { startFakeOllama, type FakeOllama } from '../../agent/demo/fakeOllama.js';
import type { DemoModel } from '../../agent/demo/models.js';
import { createDemoState, markLoaded, type DemoState } from '../../agent/demo/state.js';
import { runAgent } from '../../agent/main.js';
import type { MemoryProbe } from '../../agent/probes/MemoryProbe.js';
import type { RunningAgent } from '../../agent/runningAgent.js';
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import { machine } from '../dashboard/fixtures.js';
import { MIGRATIONS_DIR, useTmpDir } from './tmp.js';

const GiB = 2 ** 30;

/** The machine the recorded probe describes: a 64 GB M3 Max. */
export const RECORDED_MACHINE: MachineInfo = machine();

/** Every sample the recorded probe answers, but its time: 44 of 64 GiB used, pressure warn, Ollama 30 GiB. */
export const RECORDED_SAMPLE = {
  totalBytes: 64 * GiB,
  usedBytes: 44 * GiB,
  availableBytes: 20 * GiB,
  wiredBytes: 10 * GiB,
  compressedBytes: GiB,
  swapUsedBytes: 512 * 2 ** 20,
  swapTotalBytes: GiB,
  swapoutsDelta: null,
  pressure: 'warn',
  pressureValue: 31,
  pressureSource: 'macos',
  ollamaFootprintBytes: 30 * GiB,
  ollamaProcesses: 3,
  gpuUsedBytes: null,
  gpuTotalBytes: null,
} as const satisfies Omit<MemorySample, 'at'>;

/** A memory probe that answers RECORDED_MACHINE and RECORDED_SAMPLE, and says `statuses` of its probes. */
export function recordedProbe(statuses: ProbeStatus[] = []): MemoryProbe {
  return {
    machine: async () => RECORDED_MACHINE,
    sample: async (now: Date): Promise<MemorySample> => ({ at: now.toISOString(), ...RECORDED_SAMPLE }),
    statuses: () => statuses,
  };
}

export interface AgentWithOllamaOptions {
  /** The log as the agent finds it when it starts. */
  lines: string[];
  /** Models the stand-in Ollama lists as loaded now: the model, its context and its size in bytes. */
  loaded?: [model: DemoModel, contextLength: number, sizeBytes: number][];
  /** More command-line flags (`--token …`). */
  args?: string[];
  probe?: MemoryProbe;
  /** How long a load the log starts waits for /api/ps to list it (the agent's default is longer). */
  apiLoadGraceMs?: number;
}

export interface AgentWithOllama {
  agent: RunningAgent;
  /** Its close() may be called by the test, and again after it. */
  ollama: FakeOllama;
  /** What the stand-in Ollama serves; a test changes it to load or unload models. */
  state: DemoState;
  log: string;
}

/**
 * Registers the stop of every agent and stand-in Ollama started through the function it returns (call
 * it at a test file's top level, like useTmpDir).
 */
export function useAgentWithOllama(): (o: AgentWithOllamaOptions) => Promise<AgentWithOllama> {
  const tmp = useTmpDir();
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return async (o) => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, o.lines.join('\n') + '\n');
    const state = createDemoState();
    const now = new Date();
    for (const [model, ctx, bytes] of o.loaded ?? []) markLoaded(state, model, now, ctx, bytes);
    const ollama = await startFakeOllama({ state });
    let closed = false;
    const close = ollama.close.bind(ollama);
    ollama.close = async () => {
      if (!closed) await close();
      closed = true;
    };
    stops.push(() => ollama.close());
    const args = ['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--ollama', ollama.url];
    const { config } = parseConfig([...args, '--memory-interval', '0.5', '--ollama-interval', '0.5', ...(o.args ?? [])], {});
    const agent = await runAgent(
      config,
      { migrationsDir: MIGRATIONS_DIR, dashboardDir: join(dir, 'none') },
      { memoryProbe: o.probe ?? recordedProbe(), apiLoadGraceMs: o.apiLoadGraceMs ?? 300 },
    );
    stops.push(() => agent.stop());
    return { agent, ollama, state, log };
  };
}
