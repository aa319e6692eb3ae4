// `ollama-lens demo`: a simulated Ollama (log writer + HTTP API) sharing one view of what is loaded.
import { startFakeOllama } from './fakeOllama.js';
import { startSimulator } from './simulator.js';
import { createDemoState, type DemoState } from './state.js';

export interface DemoOptions {
  /** Where server.log (and its rotations) go; created if missing. */
  dir: string;
  speed?: number;
  seed?: number;
  /** Port of the fake Ollama API; 0 (default) picks a free one. */
  port?: number;
  rotateEvery?: number;
}

export interface Demo {
  logPath: string;
  ollamaUrl: string;
  /** What the simulated Ollama has loaded and the simulated Mac's pressure episode (for the demo's memory probe). */
  state: DemoState;
  stop(): Promise<void>;
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const speed = opts.speed ?? 1;
  const state = createDemoState(speed);
  const ollama = await startFakeOllama({ port: opts.port ?? 0, state });
  let simulator: ReturnType<typeof startSimulator>;
  try {
    simulator = startSimulator({ dir: opts.dir, speed, seed: opts.seed ?? 1, state, rotateEvery: opts.rotateEvery });
  } catch (err) {
    await ollama.close();
    throw err;
  }
  return {
    logPath: simulator.logPath,
    ollamaUrl: ollama.url,
    state,
    async stop() {
      await simulator.stop();
      await ollama.close();
    },
  };
}

