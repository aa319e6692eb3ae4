import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeOllamaApp, startFakeOllama, type FakeOllama } from '../../../agent/demo/fakeOllama.js';
import { LLAMA_8B, MODELS, QWEN_MLX, type DemoModel } from '../../../agent/demo/models.js';
import { createDemoState, markLoaded, touch, unload, type DemoState } from '../../../agent/demo/state.js';
import type { ShowInfo } from '../../../agent/ollama/apiTypes.js';
import { OllamaApiError } from '../../../agent/ollama/OllamaApi.js';
import { OllamaApiPoller, RETRY_AFTER_MS } from '../../../agent/ollama/OllamaApiPoller.js';
import type { LoadedModel } from '../../../shared/models.js';
import { jsonBody, urlOf } from '../../helpers/fetchInput.js';
import type { OllamaStatus } from '../../../shared/status.js';

const T0 = new Date('2026-11-26T07:00:00.000Z');

let api: FakeOllama | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await api?.close();
  api = undefined;
});

/** Wraps a fetch and records `METHOD /path [model] [verbose]` for each request. */
function recorder(base: typeof fetch = fetch) {
  const calls: string[] = [];
  const f: typeof fetch = async (input, init) => {
    let call = `${init?.method ?? 'GET'} ${new URL(urlOf(input)).pathname}`;
    if (init?.body) {
      const b = jsonBody(init) as { model: string; verbose?: boolean };
      call += ` ${b.model}${b.verbose ? ' verbose' : ''}`;
    }
    calls.push(call);
    return base(input, init);
  };
  return { calls, fetch: f, count: (prefix: string) => calls.filter((c) => c.startsWith(prefix)).length };
}

/** The fake Ollama's app called in-process: no sockets, so fake timers can drive it. */
function appFetch(state: DemoState): typeof fetch {
  const app = createFakeOllamaApp(state, 60);
  return async (input, init) => app.fetch(new Request(input, init));
}

/** What undici throws for a refused connection. */
const refused = (): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function sink() {
  const statuses: OllamaStatus[] = [];
  const models: LoadedModel[][] = [];
  const shows: ShowInfo[] = [];
  return {
    statuses,
    models,
    shows,
    hooks: {
      onStatus: (s: OllamaStatus) => statuses.push(s),
      onModels: (m: LoadedModel[]) => models.push(m),
      onShow: (i: ShowInfo) => shows.push(i),
    },
  };
}

describe('OllamaApiPoller against the fake Ollama', () => {
  it('describes each loaded model once and emits the list only when it changes', async () => {
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, T0, 8192, 6_000_000_000);
    markLoaded(state, QWEN_MLX, new Date(T0.getTime() + 1000), 262144, 22_000_000_000, 20_000_000_000);
    api = await startFakeOllama({ state, offsetMinutes: 60 });
    const rec = recorder();
    const out = sink();
    const poller = new OllamaApiPoller({ url: api.url, fetch: rec.fetch, now: () => T0, ...out.hooks });

    const st = await poller.poll();
    expect(st).toEqual({ url: api.url, state: 'reachable', version: '0.33.0', lastError: null, checkedAt: T0.toISOString() });
    expect(rec.calls).toEqual([
      'GET /api/version',
      'GET /api/ps',
      'POST /api/show qwen3.5:35b-a3b',
      'POST /api/show llama3.1:8b',
      'GET /api/tags',
    ]);
    expect(out.statuses).toHaveLength(1);
    expect(out.models).toHaveLength(1);
    const [qwen, llama] = out.models[0]!;
    expect(llama).toEqual({
      name: 'llama3.1:8b',
      digest: LLAMA_8B.digest,
      blob: `sha256-${LLAMA_8B.blob}`,
      format: 'gguf',
      family: 'llama',
      architecture: 'llama',
      parameterSize: '8.0B',
      quantization: 'Q4_K_M',
      sizeBytes: 6_000_000_000,
      vramBytes: 6_000_000_000,
      contextLength: 8192,
      expiresAt: '2026-11-26T08:05:00.000+01:00',
      loadId: null,
      kv: null,
    });
    expect(qwen).toMatchObject({
      name: 'qwen3.5:35b-a3b',
      format: 'safetensors',
      architecture: 'qwen35moe',
      blob: `sha256-${QWEN_MLX.blob}`,
      vramBytes: 20_000_000_000,
    });
    expect(poller.models()).toBe(out.models[0]);

    // onShow: one per model, with what the agent needs to map a log's blob path to a name.
    expect(out.shows.map((s) => [s.name, s.blob, s.digest])).toEqual([
      ['qwen3.5:35b-a3b', `sha256-${QWEN_MLX.blob}`, QWEN_MLX.digest],
      ['llama3.1:8b', `sha256-${LLAMA_8B.blob}`, LLAMA_8B.digest],
    ]);
    expect(out.shows[1]!.geometry).toMatchObject({
      kvLayers: 32,
      kvHeadsFull: 256,
      keyLength: 128,
      contextTrain: 131072,
      needsVerbose: false,
    });
    // Like the real GGUF, the fake's qwen35moe carries full_attention_interval and the ssm.* keys (62.81 MiB of state per sequence).
    expect(out.shows[0]!.geometry).toMatchObject({ kvLayers: 10, recurrentLayers: 30, recurrentBytesPerSeq: 65_863_680 });
    expect([...poller.described().keys()].sort()).toEqual(['llama3.1:8b', 'qwen3.5:35b-a3b']);

    // Local models, and which are MLX builds.
    expect(poller.tags().map((t) => t.name)).toEqual(MODELS.map((m) => m.name));
    expect(
      poller
        .tags()
        .filter((t) => t.details.format === 'safetensors')
        .map((t) => t.name),
    ).toEqual(['qwen3.5:35b-a3b', 'qwen3-next:80b-a3b-mxfp8']);

    // Nothing changed: no show, no tags, no events.
    await poller.poll();
    expect(rec.calls.slice(5)).toEqual(['GET /api/version', 'GET /api/ps']);
    expect(out.models).toHaveLength(1);
    expect(out.shows).toHaveLength(2);
    expect(out.statuses).toHaveLength(1);

    // A request resets llama's keep-alive: expires_at (and Ollama's order) change → one emit.
    touch(state, LLAMA_8B.name, new Date(T0.getTime() + 60_000));
    await poller.poll();
    expect(out.models).toHaveLength(2);
    expect(out.models[1]!.map((m) => [m.name, m.expiresAt])).toEqual([
      ['llama3.1:8b', '2026-11-26T08:06:00.000+01:00'],
      ['qwen3.5:35b-a3b', '2026-11-26T08:05:01.000+01:00'],
    ]);

    unload(state, QWEN_MLX.name);
    await poller.poll();
    expect(out.models.at(-1)!.map((m) => m.name)).toEqual(['llama3.1:8b']);
    expect(out.models).toHaveLength(3);
    expect(rec.count('POST /api/show')).toBe(2);
  });

  it('retries a failed /api/show at most once a minute, and tags when a loaded model is missing from them', async () => {
    // Loaded, but unknown to /api/show and /api/tags (e.g. deleted after loading).
    const ghost: DemoModel = { ...LLAMA_8B, name: 'ghost:1b', digest: 'f'.repeat(64) };
    const state = createDemoState();
    markLoaded(state, ghost, T0, 4096, 1_000_000_000);
    api = await startFakeOllama({ state });
    const rec = recorder();
    const out = sink();
    let now = T0.getTime();
    const poller = new OllamaApiPoller({ url: api.url, fetch: rec.fetch, now: () => new Date(now), ...out.hooks });

    await poller.poll();
    expect(rec.count('POST /api/show')).toBe(1);
    expect(out.shows).toEqual([]);
    expect(out.models[0]).toEqual([
      expect.objectContaining({ name: 'ghost:1b', blob: null, architecture: null, format: 'gguf', contextLength: 4096 }),
    ]);
    expect(poller.status().lastError).toBeNull(); // a model that cannot be described is not a server error

    now += RETRY_AFTER_MS / 2;
    await poller.poll();
    expect(rec.count('POST /api/show')).toBe(1);
    expect(rec.count('GET /api/tags')).toBe(1);

    now += RETRY_AFTER_MS / 2;
    await poller.poll();
    expect(rec.count('POST /api/show')).toBe(2);
    expect(rec.count('GET /api/tags')).toBe(2);
    expect(out.models).toHaveLength(1);
  });

  it('describes an alias of the same digest from the cache', async () => {
    const alias: DemoModel = { ...LLAMA_8B, name: 'llama3.1:latest' }; // the fake cannot show this name
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, T0, 8192, 6_000_000_000);
    markLoaded(state, alias, T0, 8192, 6_000_000_000);
    api = await startFakeOllama({ state });
    const rec = recorder();
    const poller = new OllamaApiPoller({ url: api.url, fetch: rec.fetch });
    await poller.poll();
    expect(rec.count('POST /api/show')).toBe(1);
    expect(poller.models().map((m) => [m.name, m.blob])).toEqual([
      ['llama3.1:8b', `sha256-${LLAMA_8B.blob}`],
      ['llama3.1:latest', `sha256-${LLAMA_8B.blob}`],
    ]);
    expect(poller.described().get('llama3.1:latest')?.architecture).toBe('llama');
  });

  it('describes a local model on demand, once', async () => {
    api = await startFakeOllama({ state: createDemoState() });
    const rec = recorder();
    const out = sink();
    const poller = new OllamaApiPoller({ url: api.url, fetch: rec.fetch, ...out.hooks });
    await poller.poll();
    const info = await poller.describe(QWEN_MLX.name);
    expect(info).toMatchObject({
      name: QWEN_MLX.name,
      digest: QWEN_MLX.digest,
      format: 'safetensors',
      architecture: 'qwen35moe',
      capabilities: ['completion', 'tools'],
    });
    expect(await poller.describe(QWEN_MLX.name)).toBe(info);
    expect(rec.count('POST /api/show')).toBe(1);
    expect(out.shows).toEqual([info]);
    await expect(poller.describe('nope:1b')).rejects.toThrow(OllamaApiError);
  });
});

describe('OllamaApiPoller: verbose /api/show', () => {
  /** Blanks per-layer arrays as non-verbose Ollama does: head_count_kv is a per-layer array here. */
  function blanking(state: DemoState, verboseStatus = 200): ReturnType<typeof recorder> {
    const base = appFetch(state);
    return recorder(async (input, init) => {
      const res = await base(input, init);
      if (!urlOf(input).endsWith('/api/show')) return res;
      const verbose = (jsonBody(init) as { verbose?: boolean }).verbose === true;
      if (verbose && verboseStatus !== 200) return new Response('{"error":"boom"}', { status: verboseStatus });
      const body = (await res.json()) as { model_info: Record<string, unknown> };
      body.model_info['llama.attention.head_count_kv'] = verbose ? Array(32).fill(8) : [];
      return Response.json(body);
    });
  }

  it('asks again with verbose when head_count_kv came back blanked', async () => {
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, T0, 8192, 6_000_000_000);
    const rec = blanking(state);
    const out = sink();
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', fetch: rec.fetch, ...out.hooks });
    await poller.poll();
    expect(rec.calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /api/show llama3.1:8b', 'POST /api/show llama3.1:8b verbose']);
    expect(out.shows).toHaveLength(1);
    expect(out.shows[0]).toMatchObject({ verbose: true, blob: `sha256-${LLAMA_8B.blob}` });
    expect(out.shows[0]!.geometry).toMatchObject({ needsVerbose: false, kvHeadsFull: 256 });
    await poller.poll();
    expect(rec.count('POST /api/show')).toBe(2);
  });

  it('keeps the non-verbose facts when the verbose call fails', async () => {
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, T0, 8192, 6_000_000_000);
    const out = sink();
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', fetch: blanking(state, 500).fetch, ...out.hooks });
    await poller.poll();
    expect(out.shows[0]).toMatchObject({ verbose: false, architecture: 'llama', blob: `sha256-${LLAMA_8B.blob}` });
    expect(out.shows[0]!.geometry).toMatchObject({ needsVerbose: true, kvLayers: null });
    expect(poller.models()[0]!.blob).toBe(`sha256-${LLAMA_8B.blob}`);
  });
});

describe('OllamaApiPoller: Ollama down', () => {
  it('reports a closed port as unreachable, once, without console output', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const url = `http://127.0.0.1:${await closedPort()}`;
    const out = sink();
    const poller = new OllamaApiPoller({ url, ...out.hooks });
    expect(poller.status().state).toBe('unknown');
    await poller.poll();
    await poller.poll();
    expect(poller.status()).toMatchObject({ url, state: 'unreachable', version: null, lastError: 'ECONNREFUSED' });
    expect(out.statuses).toHaveLength(1);
    expect(out.models).toEqual([]); // nothing was loaded, so nothing changed
    expect(poller.models()).toEqual([]);
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it('clears the models while down (saying unreachable, not "nothing loaded"), and reads tags again once per reconnection', async () => {
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, T0, 8192, 6_000_000_000);
    let down = false;
    const base = appFetch(state);
    const rec = recorder(async (input, init) => {
      if (down) throw refused();
      return base(input, init);
    });
    const out = sink();
    let unreachable = 0;
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', fetch: rec.fetch, ...out.hooks, onUnreachable: () => unreachable++ });

    await poller.poll();
    await poller.poll();
    expect(rec.count('GET /api/tags')).toBe(1);

    down = true;
    await poller.poll();
    await poller.poll();
    expect(poller.status()).toMatchObject({ state: 'unreachable', version: '0.33.0', lastError: 'ECONNREFUSED' });
    expect(poller.models()).toEqual([]);
    expect(out.models.map((m) => m.length)).toEqual([1]);
    expect(unreachable).toBe(1);

    down = false;
    await poller.poll();
    expect(rec.count('GET /api/tags')).toBe(2);
    expect(rec.count('POST /api/show')).toBe(1); // still described from the cache
    expect(out.models.map((m) => m.length)).toEqual([1, 1]);
    expect(out.statuses.map((s) => s.state)).toEqual(['reachable', 'unreachable', 'reachable']);
  });

  it('stays reachable, with the reason, when /api/ps is missing (Ollama before 0.1.33)', async () => {
    const state = createDemoState();
    const base = appFetch(state);
    const old: typeof fetch = async (input, init) =>
      urlOf(input).endsWith('/api/ps') ? new Response('404 page not found', { status: 404 }) : base(input, init);
    const out = sink();
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', fetch: old, ...out.hooks });
    await poller.poll();
    await poller.poll();
    expect(poller.status()).toMatchObject({ state: 'reachable', version: '0.33.0', lastError: 'HTTP 404 from /api/ps' });
    expect(out.statuses).toHaveLength(1);
    expect(poller.tags()).toHaveLength(MODELS.length);
  });
});

describe('OllamaApiPoller: timing', () => {
  it('backs off exponentially up to maxBackoffMs, then returns to intervalMs', async () => {
    vi.useFakeTimers();
    const state = createDemoState();
    let down = true;
    const base = appFetch(state);
    const rec = recorder(async (input, init) => {
      if (down) throw refused();
      return base(input, init);
    });
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', intervalMs: 1000, maxBackoffMs: 5000, fetch: rec.fetch });
    const versions = () => rec.count('GET /api/version');
    const t0 = Date.now(); // faked along with the timers
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(versions()).toBe(1);
    // Failures 1, 2, 3, 4, 5 → waits of 1000, 2000, 4000, 5000 (capped), 5000: checks at 1000, 3000, 7000, 12000, 17000.
    for (const [at, n] of [
      [999, 1],
      [1000, 2],
      [2999, 2],
      [3000, 3],
      [6999, 3],
      [7000, 4],
      [11_999, 4],
      [12_000, 5],
      [16_999, 5],
      [17_000, 6],
    ] as const) {
      await vi.advanceTimersByTimeAsync(t0 + at - Date.now());
      expect(versions(), `at ${at} ms`).toBe(n);
    }
    down = false;
    await vi.advanceTimersByTimeAsync(5000); // 22000: answers
    expect(versions()).toBe(7);
    expect(poller.status().state).toBe('reachable');
    await vi.advanceTimersByTimeAsync(1000); // back to the normal interval
    expect(versions()).toBe(8);

    poller.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(versions()).toBe(8);
  });

  it('schedules nothing when only poll() is used', async () => {
    vi.useFakeTimers();
    const poller = new OllamaApiPoller({ url: 'http://ollama.test', fetch: appFetch(createDemoState()) });
    await poller.poll();
    expect(vi.getTimerCount()).toBe(0);
  });
});
