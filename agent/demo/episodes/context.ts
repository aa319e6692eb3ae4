// What the scenario remembers while it plans: which runners the simulated server has, their
// llama-server task counters and conversation sizes. Planning state only; the fake API's view
// (DemoState) changes when the lines are written.
import { gin, slog, type Attrs, type Level } from '../logLines.js';
import type { DemoModel } from '../models.js';
import type { Rng } from '../rng.js';
import { Timeline } from '../timeline.js';

export interface Runner {
  model: DemoModel;
  engine: 'mlx' | 'llama-server';
  port: number;
  pid: number;
  /** Context per sequence. */
  ctx: number;
  /** Next llama-server task id. */
  task: number;
  /** Tokens held in the slot / prefix cache after the last request (0 = fresh runner). */
  cachedTokens: number;
  /** Bytes the runner occupies (for /api/ps). */
  sizeBytes: number;
  /** Of which on the GPU (`size_vram`). */
  vramBytes: number;
  /** Throughput relative to the model's figures on the GPU (CPU layers, a CPU device, paging). */
  speed: { prefill: number; decode: number };
}

export interface Conversation {
  promptTokens: number;
  genTokens: number;
}

export interface Ctx {
  rng: Rng;
  tl: Timeline;
  runners: Map<string, Runner>;
  /** Physical memory of the simulated Mac. */
  memBytes: number;
}

/** Physical memory of the simulated Mac (an M3 Max with 96 GB). */
export const MEMORY_BYTES = 96 * 1024 ** 3;

/** Metal's `recommendedMaxWorkingSetSize` on the simulated 96 GB M3 Max (75% of memory). */
export const WORKING_SET_BYTES = 72 * 1024 ** 3;

export function createCtx(rng: Rng): Ctx {
  return { rng, tl: new Timeline(), runners: new Map(), memBytes: MEMORY_BYTES };
}

/** The idle time between two things a human would notice. */
export function gap(ctx: Ctx, min = 600, max = 2400): number {
  return ctx.rng.int(min, max);
}

export function log(ctx: Ctx, level: Level, source: string, msg: string, attrs: Attrs = []): void {
  ctx.tl.line(slog(level, source, msg, attrs));
}

/** Gin's latency is measured from the request's arrival (`startMs` on the timeline) to now. */
export function access(ctx: Ctx, status: number, startMs: number, method: string, path: string, client = '127.0.0.1'): void {
  const ns = Math.max(0, ctx.tl.elapsedMs - startMs) * 1e6 + ctx.rng.int(0, 999_999);
  ctx.tl.line(gin(status, ns, client, method, path));
}

export function ephemeralPort(rng: Rng): number {
  return rng.int(49152, 65535);
}

export function clientAddress(rng: Rng): string {
  return rng.chance(0.15) ? '::1' : '127.0.0.1';
}

export function usedBytes(ctx: Ctx): number {
  let used = 0;
  for (const r of ctx.runners.values()) used += r.sizeBytes;
  return used;
}
