import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../agent/demo/fakeOllama.js';
import { LLAMA_8B, QWEN_MLX } from '../../agent/demo/models.js';
import { createDemoState, markLoaded } from '../../agent/demo/state.js';

let api: FakeOllama | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('fake Ollama API', () => {
  it('answers /api/version and / on a random port', async () => {
    api = await startFakeOllama({ state: createDemoState() });
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.url).not.toMatch(/:11434$/);
    const version = await fetch(`${api.url}/api/version`);
    expect(version.status).toBe(200);
    expect(await version.json()).toEqual({ version: '0.33.0' });
    expect(await (await fetch(`${api.url}/`)).text()).toBe('Ollama is running');
  });

  it('reports what the scenario has loaded in /api/ps', async () => {
    const state = createDemoState();
    api = await startFakeOllama({ state, offsetMinutes: 60 });
    expect(await (await fetch(`${api.url}/api/ps`)).json()).toEqual({ models: [] });
    const at = new Date('2026-11-26T07:00:00.000Z');
    markLoaded(state, QWEN_MLX, at, 262144, 22_000_000_000);
    markLoaded(state, LLAMA_8B, new Date(at.getTime() + 1000), 8192, 6_000_000_000);
    const body = (await (await fetch(`${api.url}/api/ps`)).json()) as {
      models: {
        name: string;
        model: string;
        size: number;
        size_vram: number;
        context_length: number;
        digest: string;
        expires_at: string;
        details: Record<string, string>;
      }[];
    };
    expect(body.models.map((m) => m.name)).toEqual(['llama3.1:8b', 'qwen3.5:35b-a3b']);
    const [llama, qwen] = body.models;
    expect(llama).toMatchObject({ model: 'llama3.1:8b', size: 6_000_000_000, size_vram: 6_000_000_000, context_length: 8192 });
    expect(llama!.details).toMatchObject({ format: 'gguf', family: 'llama', parameter_size: '8.0B', quantization_level: 'Q4_K_M' });
    expect(qwen!.details.format).toBe('safetensors');
    expect(qwen!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(qwen!.expires_at).toBe('2026-11-26T08:05:00.000+01:00');
  });

  it('serves /api/tags, /api/show and a JSON 404', async () => {
    api = await startFakeOllama({ state: createDemoState() });
    const tags = (await (await fetch(`${api.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((m) => m.name)).toContain('llama3.3:70b');

    const show = await fetch(`${api.url}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'llama3.1:8b' }) });
    const info = (await show.json()) as { model_info: Record<string, unknown>; modelfile: string };
    expect(info.model_info['general.architecture']).toBe('llama');
    expect(info.model_info['llama.block_count']).toBe(32);
    expect(info.model_info['llama.attention.head_count_kv']).toBe(8);
    expect(info.modelfile).toContain(`FROM /Users/demo/.ollama/models/blobs/sha256-${LLAMA_8B.blob}`);

    const missing = await fetch(`${api.url}/api/show`, { method: 'POST', body: JSON.stringify({ model: 'nope' }) });
    expect(missing.status).toBe(404);
    const other = await fetch(`${api.url}/api/nothing`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'not found' });
  });

  it('rejects a port already in use', async () => {
    api = await startFakeOllama({ state: createDemoState() });
    const port = Number(new URL(api.url).port);
    await expect(startFakeOllama({ state: createDemoState(), port })).rejects.toThrow(/EADDRINUSE/);
  });
});
