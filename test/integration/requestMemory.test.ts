// Memory per request, end to end: the real agent (SQLite file, HTTP server, WebSocket) tails a log
// written from the formats, a stand-in Ollama serves /api/ps and /api/show, and the memory probe
// answers recorded figures. A backfilled request gets no machine figures; live ones get the sample
// nearest their end, their load's /api/ps size and their KV cache fill; the socket and /api/requests
// carry the same values.
import { appendFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { blobPath, LLAMA_8B, QWEN_MLX } from '../../agent/demo/models.js';
import type { LoadedModel } from '../../shared/models.js';
import type { ServerMessage } from '../../shared/messages.js';
import type { IncidentRecord, LoadRecord, RequestRecord } from '../../shared/records.js';
import { useAgentWithOllama } from '../helpers/agentWithOllama.js';
import { until } from '../helpers/until.js';

const start = useAgentWithOllama();
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A slog time and the same moment as gin prints it (the log's zone is UTC here). */
const slogAt = (ms: number): string => `time=${new Date(ms).toISOString()}`;
const ginAt = (ms: number): string => {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} - ${iso.slice(11, 19)}`;
};
const gin = (ms: number, latency: string): string =>
  `[GIN] ${ginAt(ms)} | 200 | ${latency.padStart(13)} |       127.0.0.1 | POST     "/api/chat"`;

const llamaLoad = (ms: number): string[] => [
  `${slogAt(ms)} level=INFO source=server.go:109 msg="using llama-server for model" model=${blobPath(LLAMA_8B)}`,
  `${slogAt(ms)} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/Applications/Ollama.app/Contents/Resources/llama-server --model ${blobPath(LLAMA_8B)} --port 52409 -c 8192 -np 1"`,
  'load_tensors: offloaded 33/33 layers to GPU',
  'llama_kv_cache:       MTL0 KV buffer size =  1024.00 MiB',
  'llama_kv_cache: size = 1024.00 MiB (  8192 cells,  32 layers,  1/1 seqs), K (f16):  512.00 MiB, V (f16):  512.00 MiB',
  'slot   load_model: id  0 | task -1 | new slot, n_ctx = 8192',
  `${slogAt(ms + 2000)} level=INFO source=llama_server.go:1362 msg="llama-server started in 2.00 seconds"`,
];

const llamaRequest = (ms: number, task: number, prompt: number, gen: number): string[] => [
  `slot update_slots: id  0 | task ${task} | new prompt, n_ctx_slot = 8192, n_keep = 0, task.n_tokens = ${prompt}`,
  `slot print_timing: id  0 | task ${task} | prompt eval time =     766.00 ms / ${prompt} tokens (    0.50 ms per token,  2000.00 tokens per second)`,
  `slot print_timing: id  0 | task ${task} |        eval time =    1790.21 ms /    ${gen} tokens (   60.31 ms per token,    16.58 tokens per second)`,
  `slot      release: id  0 | task ${task} | stop processing: n_tokens = ${prompt + gen}, truncated = 0`,
  gin(ms, '2.6s'),
];

const mlxLoad = (ms: number): string[] => [
  `${slogAt(ms)} level=INFO source=client.go:391 msg="starting mlx runner subprocess" model=${QWEN_MLX.name} port=54164`,
  `${slogAt(ms + 300)} level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu`,
  `${slogAt(ms + 2000)} level=INFO source=client.go:106 msg="mlx runner is ready" port=54164`,
];

const mlxRequest = (ms: number, prompt: number, peak: string): string[] => [
  `${slogAt(ms - 900)} level=INFO source=prefix_cache.go:125 msg="cache miss" total=${prompt} matched=0 cached=0 left=${prompt}`,
  `${slogAt(ms)} level=INFO source=pipeline.go:91 msg="peak memory" size="${peak}"`,
  gin(ms, '1.2s'),
];

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('memory per request, from log lines and memory samples to stored fields', () => {
  it("stores and serves each request's memory; a backfilled one gets no machine figures; the socket carries the same values", async () => {
    const t0 = Date.now();
    const hourAgo = t0 - 3_600_000;
    // Already in the log when the agent starts: a request an hour old (a backfill), then a fresh MLX runner.
    const { agent, log } = await start({
      lines: [
        `${slogAt(hourAgo)} level=INFO source=routes.go:1951 msg="server config" env="map[OLLAMA_NUM_PARALLEL:1]"`,
        `${slogAt(hourAgo)} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
        ...llamaLoad(hourAgo),
        ...llamaRequest(hourAgo + 10_000, 0, 1500, 100),
        ...mlxLoad(t0 - 5000),
      ],
      loaded: [
        [LLAMA_8B, 8192, 6 * GiB],
        [QWEN_MLX, 32_768, 24 * GiB],
      ],
      apiLoadGraceMs: 60_000,
    });

    const ws = new WebSocket(agent.url.replace('http', 'ws') + '/ws');
    const messages: ServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse((d as Buffer).toString()) as ServerMessage)); // a Buffer: ws's default binaryType
    cleanup.push(async () => ws.close());
    await until(() => messages.some((m) => m.type === 'hello'));

    // The API has described both models and listed both loads with their sizes; samples are coming in.
    await until(async () => {
      const models = (await get<{ items: LoadedModel[] }>(`${agent.url}/api/models`)).items;
      return models.length === 2 && models.every((m) => m.loadId !== null && m.kv?.bytesPerToken != null);
    });
    const loads = await until(async () => {
      const items = (await get<{ items: LoadRecord[] }>(`${agent.url}/api/loads`)).items;
      return items.length === 2 && items.every((l) => l.seenBy === 'both' && l.sizeBytes !== null) && items;
    });
    await until(() => messages.some((m) => m.type === 'memory'));

    const now = Date.now();
    appendFileSync(log, [...mlxRequest(now, 28_000, '27.40 GiB'), ...llamaRequest(now + 100, 1, 6100, 900)].join('\n') + '\n');
    const page = await until(async () => {
      const items = (await get<{ items: RequestRecord[] }>(`${agent.url}/api/requests`)).items;
      return items.length === 3 && items;
    });
    const [llama, mlx, backfilled] = page;

    // Backfill: the log's own figures, no machine sample (none within two intervals of an hour ago).
    expect(backfilled).toMatchObject({
      backend: 'metal',
      ctxUsed: 1600,
      kvBytes: GiB,
      kvUsedBytes: 1600 * 128 * 1024,
      kvFill: 0.1953,
      peakMemoryBytes: null,
      memoryUsedBytes: null,
      memoryPressure: null,
      swapUsedBytes: null,
      ollamaFootprintBytes: null,
    });

    const machine = { memoryUsedBytes: 44 * GiB, memoryPressure: 'warn', swapUsedBytes: 512 * MiB, ollamaFootprintBytes: 30 * GiB };
    // MLX: peak memory from the log; KV from the model's geometry (20 KiB per token, 32,768 tokens listed by /api/ps).
    const mlxLoadId = loads.find((l) => l.model === QWEN_MLX.name)!.id;
    expect(mlx).toMatchObject({
      backend: 'mlx',
      loadId: mlxLoadId,
      peakMemoryBytes: Math.round(27.4 * GiB),
      modelMemoryBytes: 24 * GiB,
      kvUsedBytes: 28_000 * 20 * 1024,
      kvBytes: 32_768 * 20 * 1024,
      kvFill: 0.8545,
      ...machine,
    });
    // llama.cpp: KV from the log (size ÷ cells × tokens); 7,000 of 8,192 is past the token rule too, which names the tokens.
    expect(llama).toMatchObject({
      backend: 'metal',
      ctxUsed: 7000,
      kvBytes: GiB,
      kvUsedBytes: 7000 * 128 * 1024,
      kvFill: 0.8545,
      modelMemoryBytes: 6 * GiB,
      ...machine,
    });

    // The KV fill flags the MLX request, which logs no token count.
    const incidents = await until(async () => {
      const items = (await get<{ items: IncidentRecord[] }>(`${agent.url}/api/incidents`)).items.filter(
        (i) => i.kind === 'context_near_limit',
      );
      return items.length === 2 && items;
    });
    expect(incidents.find((i) => i.requestId === mlx!.id)?.detail).toMatch(/KV cache 85% full/);
    expect(incidents.find((i) => i.requestId === llama!.id)?.detail).toMatch(/7000 of 8192 context tokens/);

    // Old lines read late (a backfill of an earlier run): the geometry still gives the part its context
    // filled, but neither today's /api/ps context (its load may have had another) nor today's memory sample.
    appendFileSync(log, mlxRequest(hourAgo + 60_000, 28_000, '27.40 GiB').join('\n') + '\n');
    const late = await until(async () => {
      const [newest] = (await get<{ items: RequestRecord[] }>(`${agent.url}/api/requests?limit=1`)).items;
      return newest !== undefined && newest.id > llama!.id && newest;
    });
    expect(late).toMatchObject({
      backend: 'mlx',
      peakMemoryBytes: Math.round(27.4 * GiB),
      kvUsedBytes: 28_000 * 20 * 1024,
      kvBytes: null,
      kvFill: null,
      memoryUsedBytes: null,
      memoryPressure: null,
      swapUsedBytes: null,
      ollamaFootprintBytes: null,
    });

    // The socket pushed exactly what the API serves.
    const pushed = await until(() => {
      const rs = messages.flatMap((m) => (m.type === 'request' ? [m] : []));
      return rs.length >= 2 && rs;
    });
    for (const row of [mlx!, llama!]) {
      const { type: _type, seq: _seq, ...record } = pushed.filter((m) => m.id === row.id).at(-1)!;
      expect(record).toEqual(row);
    }
  }, 60_000);
});
