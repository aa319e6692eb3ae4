// The agent in-process with its real SQLite, HTTP server and WebSocket, a real stand-in Ollama HTTP
// server, and a memory probe replaced by recorded answers: the loaded models, their KV sizing, the
// blob → name mapping and the memory samples must reach the API and the socket.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeOllama } from '../../agent/demo/fakeOllama.js';
import { blobPath, LLAMA_8B, QWEN_MLX } from '../../agent/demo/models.js';
import { unload } from '../../agent/demo/state.js';
import type { MachineInfo, MemorySample } from '../../shared/memory.js';
import type { ServerMessage } from '../../shared/messages.js';
import type { LoadedModel } from '../../shared/models.js';
import type { LoadRecord, RequestRecord } from '../../shared/records.js';
import { RECORDED_MACHINE, recordedProbe, useAgentWithOllama } from '../helpers/agentWithOllama.js';
import { until } from '../helpers/until.js';

const GiB = 2 ** 30;
const start = useAgentWithOllama();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const T = (hms: string) => `time=2025-09-06T${hms}.000+02:00`;
const LOG = [
  `${T('11:38:00')} level=INFO source=routes.go:1205 msg="Listening on 127.0.0.1:11434 (version 0.7.0)"`,
  `${T('11:38:12')} level=INFO source=server.go:431 msg="starting llama server" cmd="/opt/homebrew/bin/ollama runner --model ${blobPath(LLAMA_8B)} --ctx-size 8192 --batch-size 512 --n-gpu-layers 33 --threads 6 --parallel 1 --port 52335"`,
  'load_tensors: offloaded 33/33 layers to GPU',
  'llama_kv_cache_init:      Metal KV buffer size =  1024.00 MiB',
  `${T('11:38:14')} level=INFO source=server.go:630 msg="llama runner started in 2.00 seconds"`,
  '[GIN] 2025/09/06 - 11:38:20 | 200 |  3.000123s |       127.0.0.1 | POST     "/api/chat"',
];

/** The log above, with the llama load and an MLX model loaded; the probe says `top` is not there. */
const startBoth = () =>
  start({
    lines: LOG,
    loaded: [
      [LLAMA_8B, 8192, 6 * GiB],
      [QWEN_MLX, 32768, 24 * GiB],
    ],
    probe: recordedProbe([{ name: 'top', available: false, detail: 'not available here: top exited with 1' }]),
  });

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('Ollama API and memory, end to end', () => {
  it('merges /api/ps into the log loads, names a blob-only load, sizes its KV cache and pushes it all', async () => {
    const { agent, state } = await startBoth();
    const ws = new WebSocket(agent.url.replace('http', 'ws') + '/ws');
    const messages: ServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse((d as Buffer).toString()) as ServerMessage)); // a Buffer: ws's default binaryType
    cleanup.push(async () => ws.close());

    const models = await until(async () => {
      const body = await get<{ items: LoadedModel[] }>(`${agent.url}/api/models`);
      return body.items.length === 2 && body.items.every((m) => m.loadId !== null && m.kv?.freeBytes != null) && body.items;
    });
    const llama = models.find((m) => m.name === 'llama3.1:8b')!;
    // 32 layers × 8 KV heads × 128 × 2 (K, V) × 2 bytes = 128 KiB per token; 8192 tokens = the 1 GiB the log reports.
    expect(llama.kv).toMatchObject({
      cacheType: 'f16',
      bytesPerToken: 131072,
      ctx: 8192,
      parallel: 1,
      estimatedBytes: GiB,
      loggedBytes: GiB,
      disagreement: 0,
    });
    // Free for KV: the smaller of RAM available (20 GiB) and the GPU budget left (48 − 6 − 24 = 18 GiB).
    expect(llama.kv).toMatchObject({ freeBytes: 18 * GiB, moreTokens: (18 * GiB) / 131072 });
    expect(llama.blob).toBe(`sha256-${LLAMA_8B.blob}`);

    const loads = (await get<{ items: LoadRecord[] }>(`${agent.url}/api/loads`)).items;
    expect(loads).toHaveLength(2);
    const logged = loads.find((l) => l.id === llama.loadId)!;
    // The log named only the blob; /api/show's modelfile named the model.
    expect(logged).toMatchObject({
      model: 'llama3.1:8b',
      blob: `sha256-${LLAMA_8B.blob}`,
      seenBy: 'both',
      kvBytes: GiB,
      sizeBytes: 6 * GiB,
      vramBytes: 6 * GiB,
    });
    const qwen = loads.find((l) => l.model === 'qwen3.5:35b-a3b')!;
    expect(qwen).toMatchObject({ seenBy: 'api', engine: 'mlx', backend: 'mlx', ctx: 32768, outcome: 'ready', unloadedAt: null });
    const [request] = (await get<{ items: RequestRecord[] }>(`${agent.url}/api/requests`)).items;
    expect(request).toMatchObject({ path: '/api/chat', model: 'llama3.1:8b', loadId: logged.id });

    // The socket carried the memory samples, the models and the renamed load.
    await until(() => messages.some((m) => m.type === 'memory') && messages.some((m) => m.type === 'models'));
    expect(messages.some((m) => m.type === 'load' && m.load.id === logged.id && m.load.model === 'llama3.1:8b')).toBe(true);

    // Unloaded in Ollama: the load says when.
    unload(state, QWEN_MLX.name);
    const gone = await until(async () => {
      const l = (await get<{ items: LoadRecord[] }>(`${agent.url}/api/loads`)).items.find((x) => x.id === qwen.id)!;
      return l.unloadedAt !== null && l;
    });
    expect(gone.outcome).toBe('stopped');
    expect((await get<{ items: LoadRecord[] }>(`${agent.url}/api/loads`)).items).toHaveLength(2);
  });

  it('stores memory samples, serves them by range and says which probes are unavailable', async () => {
    const { agent } = await startBoth();
    const body = await until(async () => {
      const b = await get<{ items: MemorySample[]; machine: MachineInfo | null; probes: unknown[] }>(`${agent.url}/api/memory?range=15m`);
      return b.items.length >= 2 && b.machine !== null && b;
    });
    expect(body.items[0]).toMatchObject({ pressure: 'warn', pressureValue: 31, availableBytes: 20 * GiB, swapUsedBytes: 512 * 2 ** 20 });
    expect(Date.parse(body.items[1]!.at)).toBeGreaterThan(Date.parse(body.items[0]!.at)); // oldest first
    expect(body.machine).toEqual(RECORDED_MACHINE);
    expect(body.probes).toEqual([{ name: 'top', available: false, detail: 'not available here: top exited with 1' }]);
    const health = await get<{ ok: boolean }>(`${agent.url}/api/health`);
    expect(health.ok).toBe(true);

    for (const [query, message] of [
      ['range=2h', 'range must be one of'],
      ['range=1h&from=2026-01-01T00:00:00Z', 'not both'],
      ['from=yesterday', 'from must be an ISO-8601 time'],
      ['points=3', 'points must be between 10 and 5000'],
      ['step=5', 'unknown query parameter "step"'],
    ] as const) {
      const res = await fetch(`${agent.url}/api/memory?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
    }
  });

  it('shows Ollama going down as a state, and recovers without storing its loads twice', async () => {
    const { agent, ollama, state } = await startBoth();
    const before = await until(async () => {
      const items = (await get<{ items: LoadedModel[] }>(`${agent.url}/api/models`)).items;
      return items.length === 2 && items.every((m) => m.loadId !== null) && items;
    });
    await ollama.close();
    const health = await until(async () => {
      const h = await get<{ ollama: { state: string; lastError: string | null } }>(`${agent.url}/api/health`);
      return h.ollama.state === 'unreachable' && h;
    });
    expect(health.ollama.lastError).toMatch(/ECONNREFUSED|refused/);
    expect((await get<{ items: LoadedModel[] }>(`${agent.url}/api/models`)).items).toEqual([]);

    // Back on the same port with the same models: they are the same loads as before.
    const again = await startFakeOllama({ state, port: Number(new URL(ollama.url).port) });
    cleanup.push(() => again.close());
    const after = await until(async () => {
      const items = (await get<{ items: LoadedModel[] }>(`${agent.url}/api/models`)).items;
      return items.length === 2 && items.every((m) => m.loadId !== null) && items;
    }, 90_000);
    expect(after.map((m) => m.loadId).sort()).toEqual(before.map((m) => m.loadId).sort());
    const loads = (await get<{ items: LoadRecord[] }>(`${agent.url}/api/loads`)).items;
    expect(loads).toHaveLength(2);
    expect(loads.every((l) => l.unloadedAt === null)).toBe(true);
  }, 120_000);
});
