// `/metrics` end to end: the agent in-process with a stand-in Ollama and a recorded memory probe tails
// a llama-server log; the exposition is parsed with a Prometheus text-format parser and its values
// checked. Also: the token guards /metrics like every route, /api/health's `self`, and the Grafana
// dashboard only queries metrics the registry really exports.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { blobPath, LLAMA_8B } from '../../agent/demo/models.js';
import { Bus } from '../../agent/bus.js';
import { MetricsCollector } from '../../agent/metrics/MetricsCollector.js';
import type { AgentSelfStats } from '../../shared/status.js';
import { useAgentWithOllama } from '../helpers/agentWithOllama.js';
import { until } from '../helpers/until.js';

const GiB = 2 ** 30;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const T = (hms: string): string => `time=2026-08-23T${hms}.000-07:00`;
const GIN = (hms: string, latency: string, path = '/api/chat', status = 200, method = 'POST'): string =>
  `[GIN] 2026/08/23 - ${hms} | ${status} | ${latency.padStart(13)} |       127.0.0.1 | ${method.padEnd(8)} "${path}"`;
const BLOB = blobPath(LLAMA_8B);

const LOAD = [
  `${T('13:28:31')} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
  `${T('13:28:31')} level=INFO source=types.go:32 msg="inference compute" id=0 filter_id="" library=Metal compute=0.0 name=MTL0 description="Apple M3 Max" libdirs="" driver=0.0 pci_id="" type=iGPU total="96.0 GiB" available="96.0 GiB"`,
  `${T('13:30:09')} level=INFO source=server.go:109 msg="using llama-server for model" model=${BLOB}`,
  `${T('13:30:09')} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/Applications/Ollama.app/Contents/Resources/llama-server --model ${BLOB} --port 52409 --host 127.0.0.1 -c 8192 -np 1 --log-verbosity 4"`,
  'load_tensors: offloaded 33/33 layers to GPU',
  'llama_kv_cache:       MTL0 KV buffer size =   896.00 MiB',
  'slot   load_model: id  0 | task -1 | new slot, n_ctx = 8192',
  `${T('13:30:09')} level=INFO source=llama_server.go:1362 msg="llama-server started in 3.87 seconds"`,
  `${T('13:30:09')} level=INFO source=images.go:354 msg="template selection" model=registry.ollama.ai/library/llama3.1:8b selected=go_template`,
];

/** One llama-server request: 2000 tok/s prefill, `tps` tok/s decode. */
const request = (task: number, prompt: number, gen: number, tps = '16.58'): string[] => [
  `slot launch_slot_: id  0 | task ${task} | processing task, is_child = 0`,
  `slot   operator(): id  0 | task ${task} | new prompt, n_ctx_slot = 8192, n_keep = 4, task.n_tokens = ${prompt}`,
  `slot print_timing: id  0 | task ${task} | prompt eval time =     252.01 ms /  ${prompt} tokens (    0.50 ms per token,  2000.00 tokens per second)`,
  `slot print_timing: id  0 | task ${task} |        eval time =    5729.20 ms /    ${gen} tokens (   60.31 ms per token,    ${tps} tokens per second)`,
  `slot print_timing: id  0 | task ${task} |       total time =    5981.21 ms /   ${prompt + gen} tokens`,
  `slot      release: id  0 | task ${task} | stop processing: n_tokens = ${prompt + gen}, truncated = 0`,
  'srv  update_slots: all slots are idle',
];

const startAgent = useAgentWithOllama();
/** The agent on `lines`, with the llama model loaded (its /api/ps context and size). */
const start = (lines: string[], args: string[] = []) => startAgent({ lines, loaded: [[LLAMA_8B, 8192, 6 * GiB]], args });

interface Sample {
  labels?: Record<string, string>;
  value?: string;
}
interface Family {
  name: string;
  type: string;
  help: string;
  metrics: Sample[];
}
interface Scrape {
  /** Families as typed by `# TYPE` (histograms with labels are not usable from this pass, see below). */
  families: Map<string, Family>;
  /** Every sample line as its own, untyped, series: `x_bucket`, `x_sum`, `x_count` keep their labels. */
  samples: Map<string, Sample[]>;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const families = parsePrometheusTextFormat(text) as Family[];
  // parse-prometheus-text-format folds a histogram's series into one (buckets of the last, sum and
  // count only without labels); with the TYPE lines out, it returns each sample with its labels.
  const untyped = parsePrometheusTextFormat(text.replace(/^# TYPE .*\n/gm, '')) as Family[];
  // (prom-client writes a histogram series by series, so one name comes back as several runs.)
  const samples = new Map<string, Sample[]>();
  for (const f of untyped) samples.set(f.name, [...(samples.get(f.name) ?? []), ...f.metrics]);
  return { families: new Map(families.map((f) => [f.name, f])), samples };
}

const series = (m: Scrape, name: string): Sample[] => m.families.get(name)?.metrics ?? [];
const matches = (s: Sample, labels: Record<string, string | undefined>): boolean =>
  Object.entries(labels).every(([k, v]) => s.labels?.[k] === v);
const one = (m: Scrape, name: string, labels: Record<string, string | undefined> = {}): Sample | undefined =>
  series(m, name).find((s) => matches(s, labels));

/** The one histogram series with these labels (others may be absent, `undefined` meaning absent). */
function histogram(
  m: Scrape,
  name: string,
  labels: Record<string, string | undefined>,
): { count: number; sum: number; buckets: Record<string, number> } | undefined {
  const count = (m.samples.get(`${name}_count`) ?? []).filter((s) => matches(s, labels));
  if (count.length === 0) return undefined;
  expect(count, `one ${name} series for ${JSON.stringify(labels)}`).toHaveLength(1);
  const key = JSON.stringify(count[0]!.labels ?? {});
  const same = (s: Sample): boolean => {
    const { le: _le, ...rest } = s.labels ?? {};
    return JSON.stringify(rest) === key;
  };
  const sum = (m.samples.get(`${name}_sum`) ?? []).find(same)!;
  const buckets = Object.fromEntries((m.samples.get(`${name}_bucket`) ?? []).filter(same).map((s) => [s.labels!.le!, Number(s.value)]));
  expect(buckets['+Inf']).toBe(Number(count[0]!.value));
  return { count: Number(count[0]!.value), sum: Number(sum.value), buckets };
}

describe('/metrics', () => {
  it('exports requests, tokens, tok/s and context histograms, models, memory, incidents and self-metrics', async () => {
    const lines = [
      ...LOAD,
      ...request(0, 1532, 96),
      GIN('13:30:16', '6.2s'),
      // 7000 + 100 of 8192: context_near_limit.
      ...request(1, 7000, 100, '41.00'),
      GIN('13:30:30', '6s'),
      GIN('13:30:31', '1.5ms', '/api/tags', 200, 'GET'),
      GIN('13:30:32', '12ms', '/api/chat', 500),
      'this line matches no parser rule at all 12345',
    ];
    const { agent } = await start(lines);
    const ws = new WebSocket(agent.url.replace('http', 'ws') + '/ws');
    cleanup.push(async () => ws.close());
    await new Promise((r) => ws.once('open', r));

    const m = await until(async () => {
      const m = await scrape(agent.url);
      const ready =
        series(m, 'ollama_lens_requests_total').length > 0 &&
        one(m, 'ollama_lens_memory_used_bytes') &&
        one(m, 'ollama_lens_loaded_model_info', { backend: 'metal' }) &&
        one(m, 'ollama_lens_ollama_up')?.value === '1' &&
        one(m, 'ollama_lens_websocket_clients')?.value === '1';
      return ready && m;
    });

    // Requests by model, backend, kind and status class.
    const requests: Record<string, string | undefined>[] = series(m, 'ollama_lens_requests_total').map((s) => ({
      ...s.labels,
      value: s.value,
    }));
    expect(requests).toEqual(
      expect.arrayContaining([
        { model: 'llama3.1:8b', backend: 'metal', kind: 'inference', status_class: '2xx', value: '2' },
        { model: 'unknown', backend: 'unknown', kind: 'other', status_class: '2xx', value: '1' },
      ]),
    );
    expect(requests.find((r) => r.status_class === '5xx')).toMatchObject({ kind: 'inference', value: '1' });
    expect(requests.reduce((n, r) => n + Number(r.value), 0)).toBe(4);
    expect(m.families.get('ollama_lens_requests_total')!.type).toBe('COUNTER');

    // OTel GenAI: token usage by type, request duration (with error_type on the 500), time per output token.
    const genAi = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'ollama', gen_ai_request_model: 'llama3.1:8b' };
    const input = histogram(m, 'gen_ai_client_token_usage', { ...genAi, gen_ai_token_type: 'input' })!;
    expect(input).toMatchObject({ count: 2, sum: 1532 + 7000 });
    expect(input.buckets).toMatchObject({ '1024': 0, '4096': 1, '16384': 2 });
    expect(histogram(m, 'gen_ai_client_token_usage', { ...genAi, gen_ai_token_type: 'output' })).toMatchObject({ count: 2, sum: 196 });
    expect(m.families.get('gen_ai_client_token_usage')!.type).toBe('HISTOGRAM');
    const ok = histogram(m, 'gen_ai_server_request_duration_seconds', { ...genAi, error_type: undefined })!;
    expect(ok).toMatchObject({ count: 2, sum: 12.2 });
    expect(ok.buckets).toMatchObject({ '5.12': 0, '10.24': 2 });
    expect(histogram(m, 'gen_ai_server_request_duration_seconds', { ...genAi, error_type: '500' })).toMatchObject({ count: 1, sum: 0.012 });
    const tpot = histogram(m, 'gen_ai_server_time_per_output_token_seconds', genAi)!;
    expect(tpot.count).toBe(2);
    expect(tpot.sum).toBeCloseTo(1 / 16.58 + 1 / 41, 6);
    expect(tpot.buckets).toMatchObject({ '0.025': 1, '0.05': 1, '0.075': 2 });

    // ollama-lens histograms, labelled by model, backend and engine.
    const lens = { model: 'llama3.1:8b', backend: 'metal', engine: 'llama.cpp' };
    const decode = histogram(m, 'ollama_lens_decode_tokens_per_second', lens)!;
    expect(decode.count).toBe(2);
    expect(decode.sum).toBeCloseTo(16.58 + 41, 9);
    expect(decode.buckets).toMatchObject({ '15': 0, '20': 1, '40': 1, '50': 2 });
    expect(histogram(m, 'ollama_lens_prefill_tokens_per_second', lens)).toMatchObject({ count: 2, sum: 4000 });
    const ctx = histogram(m, 'ollama_lens_context_used_ratio', { model: 'llama3.1:8b', backend: 'metal' })!;
    expect(ctx.count).toBe(2);
    // 1628/8192 ≈ 0.199 and 7100/8192 ≈ 0.867.
    expect(ctx.buckets).toMatchObject({ '0.1': 0, '0.25': 1, '0.85': 1, '0.9': 2 });

    // Incidents, loaded models, memory, Ollama up.
    expect(one(m, 'ollama_lens_incidents_total', { kind: 'context_near_limit', model: 'llama3.1:8b' })?.value).toBe('1');
    expect(one(m, 'ollama_lens_loaded_models')?.value).toBe('1');
    expect(series(m, 'ollama_lens_loaded_model_info').map((s) => ({ ...s.labels, value: s.value }))).toEqual([
      { model: 'llama3.1:8b', format: 'gguf', backend: 'metal', value: '1' },
    ]);
    expect(one(m, 'ollama_lens_memory_pressure_level')?.value).toBe('1');
    expect(Number(one(m, 'ollama_lens_memory_used_bytes')?.value)).toBe(44 * GiB);
    expect(Number(one(m, 'ollama_lens_memory_available_bytes')?.value)).toBe(20 * GiB);
    expect(Number(one(m, 'ollama_lens_memory_swap_used_bytes')?.value)).toBe(512 * 2 ** 20);

    // The agent itself: lines read, parse errors, lag, WebSocket clients; process metrics from prom-client.
    const src = { source: expect.stringMatching(/server\.log$/) as unknown as string };
    expect(series(m, 'ollama_lens_log_lines_total')).toEqual([{ labels: src, value: String(lines.length) }]);
    expect(series(m, 'ollama_lens_unparsed_lines_total')).toEqual([{ labels: src, value: '1' }]);
    expect(series(m, 'ollama_lens_source_lag_bytes')).toEqual([{ labels: src, value: '0' }]);
    expect(one(m, 'ollama_lens_websocket_dropped_clients_total')?.value).toBe('0');
    expect(Number(one(m, 'process_resident_memory_bytes')?.value)).toBeGreaterThan(0);
    expect(m.families.has('process_cpu_seconds_total')).toBe(true);

    // /api/health carries the same self-metrics.
    const health = (await (await fetch(`${agent.url}/api/health`)).json()) as { self: AgentSelfStats };
    expect(health.self).toMatchObject({ parseErrors: 1, lagBytes: 0, wsClients: 1, droppedWsClients: 0 });
    expect(health.self.linesPerSecond === null || health.self.linesPerSecond >= 0).toBe(true);
  });

  it('counts lines appended while it runs', async () => {
    const { agent, log } = await start([...LOAD, ...request(0, 100, 10), GIN('13:30:16', '1s')]);
    const count = async (): Promise<number> =>
      series(await scrape(agent.url), 'ollama_lens_requests_total').reduce((n, s) => n + Number(s.value), 0);
    await until(async () => (await count()) === 1);
    appendFileSync(log, [...request(1, 200, 20), GIN('13:31:00', '2s'), GIN('13:31:01', '2s', '/api/generate', 404)].join('\n') + '\n');
    await until(async () => (await count()) === 3);
    const m = await scrape(agent.url);
    expect(histogram(m, 'gen_ai_client_token_usage', { gen_ai_token_type: 'input', gen_ai_operation_name: 'chat' })).toMatchObject({
      count: 2,
      sum: 300,
    });
    // The 404 on /api/generate: a text_completion with no tokens, its error type the status.
    expect(
      histogram(m, 'gen_ai_server_request_duration_seconds', { gen_ai_operation_name: 'text_completion', error_type: '404' }),
    ).toMatchObject({ count: 1, sum: 2 });
    expect(histogram(m, 'gen_ai_client_token_usage', { gen_ai_operation_name: 'text_completion' })).toBeUndefined();
    expect(Number(one(m, 'ollama_lens_log_lines_total')?.value)).toBe(LOAD.length + 7 + 1 + 7 + 2);
  });

  it('sits behind the access guard: with --token a scrape needs the bearer token', async () => {
    const token = 'f00dcafe0123456789abcdef';
    const { agent } = await start(LOAD, ['--token', token]);
    expect((await fetch(`${agent.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${agent.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    const m = await scrape(agent.url, { authorization: `Bearer ${token}` });
    expect(m.families.has('ollama_lens_requests_total')).toBe(true);
  });
});

describe('docs/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/grafana-dashboard.json'), 'utf8')) as {
    schemaVersion: number;
    templating: { list: { name: string; type: string }[] };
    panels: { title: string; type: string; datasource?: { uid?: string }; targets?: { expr: string }[] }[];
  };

  it('is a Grafana dashboard with a Prometheus datasource input and an instance variable', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(expect.arrayContaining(['instance']));
    expect(JSON.stringify(dashboard)).toContain('${DS_PROMETHEUS}');
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const want of [
      'decode',
      'requests',
      'context',
      'memory pressure',
      'loaded models',
      'incidents',
      'lag',
      'kv cache fill',
      'peak memory',
    ])
      expect(titles).toContain(want);
  });

  it('every panel query names only metrics the registry exports', () => {
    const exported = new Set(
      new MetricsCollector({
        bus: new Bus(),
        status: () => {
          throw new Error('not scraped');
        },
        models: () => [],
        memory: () => null,
        firingAlerts: () => [],
        ws: () => ({ clients: 0, dropped: 0 }),
        agentVersion: 'test',
      }).names(),
    );
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(queries.length).toBeGreaterThanOrEqual(7);
    const used = new Set<string>();
    for (const expr of queries) {
      expect(expr).toContain('instance=~"$instance"');
      // Every metric is selected by instance, so each name is the one before a `{`.
      for (const [, name] of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)) used.add(name!.replace(/_(bucket|sum|count)$/, ''));
    }
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(exported, name).toContain(name);
  });
});
