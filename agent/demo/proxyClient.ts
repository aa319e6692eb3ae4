// The demo's proxied traffic: some MLX chat turns are sent by a client through the agent's proxy to
// the simulated Ollama, which holds the response until the simulator has written that request's log
// lines, then answers with the exact counters. The proxy merges the two into one row (`source: both`)
// with tokens MLX never logs. The request is opened the access line's latency before the line is
// written, so the proxy measures the same latency and end time the log shows.
import type { ProxiedRequest } from './timeline.js';

export interface Counters {
  promptTokens: number;
  evalCount: number;
  promptMs: number;
  evalMs: number;
}

/** Requests the fake Ollama holds, by id, until the simulator releases them. */
export class ProxyBridge {
  private readonly held = new Map<string, (c: Counters | null) => void>();
  private readonly early = new Map<string, Counters | null>();

  /** The fake Ollama's side: resolves when the log lines are written (null: give up). */
  wait(id: string): Promise<Counters | null> {
    if (this.early.has(id)) {
      const c = this.early.get(id)!;
      this.early.delete(id);
      return Promise.resolve(c);
    }
    return new Promise((resolve) => this.held.set(id, resolve));
  }

  release(id: string, c: Counters | null): void {
    const r = this.held.get(id);
    if (r) {
      this.held.delete(id);
      r(c);
    } else this.early.set(id, c);
  }

  releaseAll(): void {
    for (const id of [...this.held.keys()]) this.release(id, null);
    this.early.clear();
  }
}

/** Sends the request through the proxy; errors (the demo stopping) are the client's own business. */
export function sendThroughProxy(proxyUrl: string, id: string, req: ProxiedRequest): Promise<void> {
  const body = { model: req.model, messages: [{ role: 'user', content: 'demo' }], stream: false, demo_request: id };
  return fetch(`${proxyUrl}${req.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then((r) => r.arrayBuffer())
    .then(
      () => undefined,
      () => undefined,
    );
}

/** The final answer Ollama gives for `path` with these counters (native API or OpenAI-compatible). */
export function finalBody(path: string, model: string, c: Counters, at: Date): unknown {
  const ns = (ms: number): number => Math.round(ms * 1e6);
  if (path.startsWith('/v1/')) {
    return {
      id: `chatcmpl-${at.getTime() % 1000}`,
      object: 'chat.completion',
      created: Math.floor(at.getTime() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: c.promptTokens, completion_tokens: c.evalCount, total_tokens: c.promptTokens + c.evalCount },
    };
  }
  return {
    model,
    created_at: at.toISOString(),
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: ns(c.promptMs + c.evalMs),
    load_duration: 0,
    prompt_eval_count: c.promptTokens,
    prompt_eval_duration: ns(c.promptMs),
    eval_count: c.evalCount,
    eval_duration: ns(c.evalMs),
  };
}
