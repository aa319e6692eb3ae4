// Steps are planned without a clock and stamped when written. Each step's lines are back-dated
// from its emission time so a request's GIN line lands "now" and its earlier lines before it;
// stamps never go backwards even when a fast `speed` squeezes the steps together.
import type { Clock, LineFn } from './logLines.js';
import type { DemoState } from './state.js';

interface Entry {
  rel: number;
  line?: LineFn;
  effect?: (state: DemoState, at: Date) => void;
}

/** What a client sending this step's request through the proxy needs: its path, model and counters. */
export interface ProxiedRequest {
  path: string;
  model: string;
  promptTokens: number;
  evalCount: number;
  promptMs: number;
  evalMs: number;
  /** The access line's latency. */
  latencyMs: number;
}

export interface PlannedStep {
  /** Time since the previous step was written. */
  delayMs: number;
  /** Time covered by this step's own lines (the first line is stamped `span` before the last). */
  spanMs: number;
  /** A server (re)start: where Ollama's app would rotate `server.log`. */
  serverStart: boolean;
  entries: readonly Entry[];
  /** The step ends with an inference request a demo client may send through the proxy. */
  proxied?: ProxiedRequest;
}

/** Accumulates lines on a cursor that advances with simulated work; cut into steps with `begin`. */
export class Timeline {
  private done: PlannedStep[] = [];
  private closedMs = 0;
  private carryMs = 0;
  private current: { gap: number; cursor: number; serverStart: boolean; entries: Entry[]; proxied?: ProxiedRequest } | null = null;

  /** Opens a new step `gapMs` after the previous one ended. */
  begin(gapMs: number, opts: { serverStart?: boolean } = {}): this {
    this.close();
    this.current = { gap: Math.max(0, Math.round(gapMs)), cursor: 0, serverStart: opts.serverStart ?? false, entries: [] };
    return this;
  }

  advance(ms: number): this {
    this.open().cursor += Math.max(0, Math.round(ms));
    return this;
  }

  line(fn: LineFn): this {
    const cur = this.open();
    cur.entries.push({ rel: cur.cursor, line: fn });
    return this;
  }

  /** Marks the current step's request as one a demo client may send through the proxy. */
  proxied(request: ProxiedRequest): this {
    this.open().proxied = request;
    return this;
  }

  /** A change to what is loaded, applied when the step is written (the fake API follows the log). */
  effect(apply: (state: DemoState, at: Date) => void): this {
    const cur = this.open();
    cur.entries.push({ rel: cur.cursor, effect: apply });
    return this;
  }

  /** Simulated ms since the timeline began: request latencies are differences of this. */
  get elapsedMs(): number {
    const cur = this.current;
    return this.closedMs + (cur ? cur.gap + cur.cursor : 0);
  }

  /** Returns every finished step and resets. */
  flush(): PlannedStep[] {
    this.close();
    const out = this.done;
    this.done = [];
    return out;
  }

  private open(): NonNullable<Timeline['current']> {
    if (!this.current) this.begin(0);
    return this.current!;
  }

  private close(): void {
    const cur = this.current;
    this.current = null;
    if (!cur) return;
    this.closedMs += cur.gap + cur.cursor;
    // A step with no lines still took time: its delay moves to the next written step.
    if (cur.entries.length === 0) {
      this.carryMs += cur.gap + cur.cursor;
      return;
    }
    const carry = this.carryMs;
    this.carryMs = 0;
    this.done.push({
      delayMs: carry + cur.gap + cur.cursor,
      spanMs: cur.cursor,
      serverStart: cur.serverStart,
      entries: cur.entries,
      ...(cur.proxied ? { proxied: cur.proxied } : {}),
    });
  }
}

/** Stamps planned steps in order; it remembers the last stamp to keep the log monotonic. */
export class Renderer {
  private lastEnd: number;

  constructor(
    private readonly clock: Clock,
    private readonly state: DemoState | undefined,
    floor: Date,
    /** Stamps shrink with a sped-up writer, or they would run ahead of the wall clock (the writer may change its pace). */
    public timeScale = 1,
  ) {
    this.lastEnd = floor.getTime();
  }

  render(step: PlannedStep, emittedAt: Date): string[] {
    const span = step.spanMs * this.timeScale;
    const base = Math.max(this.lastEnd, emittedAt.getTime() - span);
    const lines: string[] = [];
    for (const e of step.entries) {
      const at = new Date(base + e.rel * this.timeScale);
      if (e.line) lines.push(e.line(at, this.clock));
      if (e.effect && this.state) e.effect(this.state, at);
    }
    this.lastEnd = base + span;
    return lines;
  }
}
