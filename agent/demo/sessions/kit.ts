// What the session plans share: the step type they yield, a fresh conversation, background
// chatter, and the pause before a server (re)start.
import type { Conversation, Ctx } from '../episodes/context.js';
import { noise } from '../episodes/server.js';
import type { PlannedStep } from '../timeline.js';

export type Plan = Generator<PlannedStep, void, undefined>;

export interface SessionInfo {
  /** The demo's first server start begins at once; later ones after the app's restart pause. */
  first: boolean;
  /** What `Listening on … (version …)` and /api/version report in this session. */
  version: string;
}

export interface Session {
  run(ctx: Ctx, info: SessionInfo): Plan;
  /** The session begins with an app update: the version moves on. */
  update?: boolean;
}

/** Context per sequence the demo's clients ask llama-server models for (`num_ctx`). */
export const NUM_CTX = 8192;

export const newConversation = (): Conversation => ({ promptTokens: 0, genTokens: 0 });

export function* maybeNoise(ctx: Ctx, p: number): Plan {
  if (ctx.rng.chance(p)) {
    noise(ctx);
    yield* ctx.tl.flush();
  }
}

export function restartGap(ctx: Ctx, info: SessionInfo, min = 4000, max = 9000): number {
  return info.first ? 0 : ctx.rng.int(min, max);
}
