// What the simulated Ollama has loaded. The scenario mutates it as its lines are written and the
// fake API reads it, so /api/ps agrees with the log the agent is tailing at that moment.
import type { DemoModel } from './models.js';

export interface LoadedModel {
  model: DemoModel;
  loadedAt: Date;
  expiresAt: Date;
  /** Context per sequence the runner was started with. */
  contextLength: number;
  /** Bytes in use (weights + KV + compute). */
  sizeBytes: number;
  /** The part of it on the GPU (`size_vram`): less than `sizeBytes` when layers stayed on the CPU. */
  vramBytes: number;
}

export interface DemoState {
  version: string;
  loaded: LoadedModel[];
  /** Ollama's default `OLLAMA_KEEP_ALIVE`. */
  keepAliveMs: number;
}

export function createDemoState(): DemoState {
  return { version: '0.33.0', loaded: [], keepAliveMs: 5 * 60_000 };
}

export function markLoaded(state: DemoState, model: DemoModel, at: Date, contextLength: number, sizeBytes: number, vramBytes = sizeBytes): void {
  unload(state, model.name);
  state.loaded.push({ model, loadedAt: at, expiresAt: new Date(at.getTime() + state.keepAliveMs), contextLength, sizeBytes, vramBytes });
}

/** Each request pushes the keep-alive deadline out, as Ollama's scheduler does. */
export function touch(state: DemoState, name: string, at: Date): void {
  const m = state.loaded.find((l) => l.model.name === name);
  if (m) m.expiresAt = new Date(at.getTime() + state.keepAliveMs);
}

export function unload(state: DemoState, name: string): void {
  state.loaded = state.loaded.filter((l) => l.model.name !== name);
}

export function unloadAll(state: DemoState): void {
  state.loaded = [];
}
