import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../../agent/demo/fakeOllama.js';
import { LLAMA_8B, MODELS, QWEN_MLX } from '../../../agent/demo/models.js';
import { createDemoState, markLoaded } from '../../../agent/demo/state.js';
import { jsonBody, urlOf } from '../../helpers/fetchInput.js';
import { OllamaApi, OllamaApiError } from '../../../agent/ollama/OllamaApi.js';

let api: FakeOllama | undefined;
let raw: Server | undefined;
const held: Socket[] = [];
afterEach(async () => {
  await api?.close();
  api = undefined;
  // Sockets the silent server holds would keep close() waiting.
  for (const s of held.splice(0)) s.destroy();
  if (raw) await new Promise<void>((r) => raw!.close(() => r()));
  raw = undefined;
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<OllamaApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OllamaApiError);
    return err as OllamaApiError;
  }
  throw new Error('expected a rejection');
}

const respond =
  (body: string, status = 200): typeof fetch =>
  async () =>
    new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('OllamaApi against the fake Ollama', () => {
  it('reads version, ps, tags and show', async () => {
    const state = createDemoState();
    markLoaded(state, LLAMA_8B, new Date('2026-11-26T07:00:00Z'), 8192, 6_000_000_000, 5_000_000_000);
    api = await startFakeOllama({ state });
    const client = new OllamaApi({ url: `${api.url}/` }); // a trailing slash is tolerated

    expect(await client.version()).toEqual({ version: '0.33.0' });
    const ps = await client.ps();
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({
      name: 'llama3.1:8b',
      digest: LLAMA_8B.digest,
      sizeBytes: 6_000_000_000,
      vramBytes: 5_000_000_000,
      contextLength: 8192,
    });
    const tags = await client.tags();
    expect(tags.map((t) => t.name)).toEqual(MODELS.map((m) => m.name));
    expect(tags.find((t) => t.name === QWEN_MLX.name)?.details.format).toBe('safetensors');
    const show = await client.show('llama3.1:8b');
    expect(show.modelInfo?.['general.architecture']).toBe('llama');
    expect(show.modelfile).toContain(`sha256-${LLAMA_8B.blob}`);
  });

  it('reports a 404 with Ollama’s own error text', async () => {
    api = await startFakeOllama({ state: createDemoState() });
    const err = await rejection(new OllamaApi({ url: api.url }).show('nope:1b'));
    expect(err.message).toBe('HTTP 404 from /api/show');
    expect(err).toMatchObject({
      reason: 'HTTP 404 from /api/show',
      endpoint: '/api/show',
      status: 404,
      detail: "model 'nope:1b' not found",
    });
  });
});

describe('OllamaApi requests', () => {
  it('POSTs /api/show with both `model` and the old `name`, and `verbose` only when asked', async () => {
    const seen: Array<{ url: string; method: string | undefined; body: unknown }> = [];
    const f: typeof fetch = async (url, init) => {
      seen.push({ url: urlOf(url), method: init?.method, body: jsonBody(init) });
      return new Response('{"model_info":{}}');
    };
    const client = new OllamaApi({ url: 'http://127.0.0.1:11434', fetch: f });
    await client.show('qwen3:30b-a3b');
    await client.show('qwen3:30b-a3b', { verbose: true });
    expect(seen).toEqual([
      { url: 'http://127.0.0.1:11434/api/show', method: 'POST', body: { model: 'qwen3:30b-a3b', name: 'qwen3:30b-a3b' } },
      { url: 'http://127.0.0.1:11434/api/show', method: 'POST', body: { model: 'qwen3:30b-a3b', name: 'qwen3:30b-a3b', verbose: true } },
    ]);
  });
});

describe('OllamaApi errors', () => {
  it('ECONNREFUSED from a closed port', async () => {
    const port = await closedPort();
    const err = await rejection(new OllamaApi({ url: `http://127.0.0.1:${port}` }).version());
    expect(err.reason).toBe('ECONNREFUSED');
    expect(err.endpoint).toBe('/api/version');
  });

  it('timed out when the server accepts but never answers', async () => {
    raw = createServer((socket) => void held.push(socket)); // hold the socket, answer nothing
    await new Promise<void>((r) => raw!.listen(0, '127.0.0.1', r));
    const port = (raw.address() as { port: number }).port;
    const started = Date.now();
    const err = await rejection(new OllamaApi({ url: `http://127.0.0.1:${port}`, timeoutMs: 150 }).ps());
    expect(err.reason).toBe('timed out');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['a body of the wrong shape', '{"models": 3}'],
    ['an HTML page', '<html><body>Not Ollama</body></html>'],
    ['an error object with a 200', '{"error":"something"}'],
  ])('unexpected JSON from /api/ps: %s', async (_name, body) => {
    const err = await rejection(new OllamaApi({ url: 'http://x', fetch: respond(body) }).ps());
    expect(err.reason).toBe('unexpected JSON from /api/ps');
  });

  it('HTTP 500 from /api/tags with a non-JSON body', async () => {
    const err = await rejection(new OllamaApi({ url: 'http://x', fetch: respond('boom', 500) }).tags());
    expect(err).toMatchObject({ reason: 'HTTP 500 from /api/tags', status: 500, detail: 'boom' });
  });

  it('a fetch that fails without a cause keeps its message', async () => {
    const f: typeof fetch = async () => {
      throw new TypeError('Invalid URL');
    };
    expect((await rejection(new OllamaApi({ url: 'nope', fetch: f }).version())).reason).toBe('Invalid URL');
  });
});
