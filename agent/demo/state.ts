// What the simulated Ollama has loaded. The scenario mutates it as its lines are written and the
// fake API reads it, so /api/ps agrees with the log the agent is tailing at that moment.
import type { DemoModel } from './models.js';
import { planPressure, type PressureEpisode } from './pressure.js';

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
  /** The demo's time compression (`OLLAMA_LENS_DEMO_SPEED`): how fast the story is told. */
  speed: number;
  /** The memory-pressure episode the simulated Mac is in or last went through (the demo's memory probe reads it). */
  pressure: PressureEpisode | null;
}

export function createDemoState(speed = 1): DemoState {
  return { version: '0.33.0', loaded: [], keepAliveMs: 5 * 60_000, speed, pressure: null };
}

/**
 * A model too big for Metal's working set starts loading: the Mac goes through a pressure episode.
 * One already under way (a sped-up demo comes round again before it ends) runs its course.
 */
export function beginPressure(state: DemoState, at: Date): void {
  const t = at.getTime();
  if (state.pressure && t >= state.pressure.startMs && t < state.pressure.endMs) return;
  state.pressure = planPressure(t, state.speed);
}

export function markLoaded(
  state: DemoState,
  model: DemoModel,
  at: Date,
  contextLength: number,
  sizeBytes: number,
  vramBytes = sizeBytes,
): void {
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
