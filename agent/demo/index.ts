// `ollama-lens demo`: a simulated Ollama (log writer + HTTP API) sharing one view of what is loaded.
// Its past (rotated logs of the last days) is written first, for the agent to backfill; the live
// log starts on `go()`, once the agent has read that past.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemorySample } from '../../shared/memory.js';
import { startFakeOllama } from './fakeOllama.js';
import { pastFileOrder, planPast } from './past.js';
import { ProxyBridge } from './proxyClient.js';
import { opening } from './sessions/opening.js';
import { startSimulator, type Simulator } from './simulator.js';
import { createDemoState, type DemoState } from './state.js';

/** The first minute is told this much faster than the rest (every story within about 45 s). */
export const INTRO_SPEED_UP = 8;

export interface DemoOptions {
  /** Where server.log (and its rotations) go; created if missing. */
  dir: string;
  speed?: number;
  seed?: number;
  /** Port of the fake Ollama API; 0 (default) picks a free one. */
  port?: number;
  rotateEvery?: number;
  /** Days of simulated past written before the live log (0: none). */
  pastDays?: number;
  /** Begin with every story told fast (default true). */
  intro?: boolean;
  now?: () => Date;
}

export interface Demo {
  logPath: string;
  ollamaUrl: string;
  /** What the simulated Ollama has loaded and the simulated Mac's pressure episode (for the demo's memory probe). */
  state: DemoState;
  /** The simulated Mac's memory over the past (the demo stores them: no probe ran then). */
  pastSamples: MemorySample[];
  /** Bytes of past log written. */
  pastBytes: number;
  /** Starts the live log; with the agent's proxy URL, part of the MLX traffic goes through it. */
  go(proxyUrl?: string): void;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const speed = opts.speed ?? 1;
  const now = opts.now ?? (() => new Date());
  const state = createDemoState(speed);
  mkdirSync(opts.dir, { recursive: true });
  let pastSamples: MemorySample[] = [];
  let pastBytes = 0;
  if ((opts.pastDays ?? 0) > 0) {
    const past = planPast({ now: now(), days: opts.pastDays, seed: opts.seed });
    for (const name of pastFileOrder(past.files)) {
      const text = past.files.get(name)!.join('\n') + '\n';
      pastBytes += Buffer.byteLength(text);
      writeFileSync(join(opts.dir, name), text);
    }
    pastSamples = past.samples;
  }
  const bridge = new ProxyBridge();
  const ollama = await startFakeOllama({ port: opts.port ?? 0, state, bridge });
  let simulator: Simulator | null = null;
  return {
    logPath: join(opts.dir, 'server.log'),
    ollamaUrl: ollama.url,
    state,
    pastSamples,
    pastBytes,
    go(proxyUrl) {
      simulator ??= startSimulator({
        dir: opts.dir,
        speed,
        seed: opts.seed ?? 1,
        state,
        rotateEvery: opts.rotateEvery,
        now,
        proxy: proxyUrl === undefined ? undefined : { url: proxyUrl, bridge },
        intro: opts.intro === false ? undefined : { session: opening, speedUp: INTRO_SPEED_UP },
      });
    },
    async stop() {
      await simulator?.stop();
      await ollama.close();
    },
  };
}
