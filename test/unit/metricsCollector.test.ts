// The collector on a bus of its own: a republished request row adds only what it did not have, model
// labels stay bounded, incidents count once per record, and the self-metrics' rate over a minute.
import { describe, expect, it } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { MetricsCollector, operationName } from '../../agent/metrics/MetricsCollector.js';
import { SelfStats } from '../../agent/metrics/SelfStats.js';
import type { RequestRecord } from '../../shared/records.js';
import type { AgentStatus, SourceStatus } from '../../shared/status.js';

const request = (over: Partial<RequestRecord> = {}): RequestRecord => ({
  id: 1,
  at: '2026-08-23T13:30:16-07:00',
  method: 'POST',
  path: '/api/chat',
  status: 200,
  latencyMs: 2000,
  client: '127.0.0.1',
  kind: 'inference',
  model: 'llama3.1:8b',
  backend: 'metal',
  promptTokens: null,
  completionTokens: null,
  prefillTps: null,
  decodeTps: null,
  ctxUsed: null,
  ctxLimit: null,
  truncated: null,
  loadId: 7,
  source: 'log',
  peakMemoryBytes: null,
  kvBytes: null,
  kvUsedBytes: null,
  kvFill: null,
  modelMemoryBytes: null,
  memoryUsedBytes: null,
  memoryPressure: null,
  swapUsedBytes: null,
  ollamaFootprintBytes: null,
  ...over,
});

const source = (over: Partial<SourceStatus> = {}): SourceStatus => ({
  path: '/var/log/ollama.log',
  identity: '1:2',
  state: 'following',
  offset: 0,
  size: 0,
  lagBytes: 0,
  linesRead: 0,
  unparsed: 0,
  linesCut: 0,
  lastError: null,
  ...over,
});

function collector(maxModels?: number): { bus: Bus; metrics: MetricsCollector } {
  const bus = new Bus();
  const status = {
    ollama: { state: 'unreachable' },
    sources: [source({ linesRead: 10, unparsed: 2, lagBytes: null })],
  } as unknown as AgentStatus;
  const metrics = new MetricsCollector({
    bus,
    status: () => status,
    models: () => [],
    memory: () => null,
    firingAlerts: () => [],
    ws: () => ({ clients: 0, dropped: 3 }),
    loadById: (id) => (id === 7 ? ({ id: 7, engine: 'llama.cpp', backend: 'metal' } as never) : null),
    defaultMetrics: false,
    maxModels,
  });
  metrics.start();
  return { bus, metrics };
}

const value = async (
  m: MetricsCollector,
  name: string,
): Promise<{ labels: Record<string, string | number>; value: number; metricName?: string }[]> =>
  (await m.registry.getSingleMetric(name)!.get()).values as never;

describe('MetricsCollector', () => {
  it('counts a republished request once and adds only the figures it gained (proxy merge, rename)', async () => {
    const { bus, metrics } = collector();
    bus.publish({ type: 'request', ...request() });
    bus.publish({
      type: 'request',
      ...request({ promptTokens: 100, completionTokens: 10, decodeTps: 20, prefillTps: 500, ctxUsed: 110, ctxLimit: 1100, source: 'both' }),
    });
    bus.publish({
      type: 'request',
      ...request({ promptTokens: 100, completionTokens: 10, decodeTps: 20, prefillTps: 500, ctxUsed: 110, ctxLimit: 1100, source: 'both' }),
    });
    expect(await value(metrics, 'ollama_lens_requests_total')).toEqual([
      { labels: { model: 'llama3.1:8b', backend: 'metal', kind: 'inference', status_class: '2xx' }, value: 1 },
    ]);
    const tokens = (await value(metrics, 'gen_ai_client_token_usage')).filter((v) => v.metricName === 'gen_ai_client_token_usage_count');
    expect(tokens.map((t) => [t.labels.gen_ai_token_type, t.value])).toEqual([
      ['input', 1],
      ['output', 1],
    ]);
    const decode = (await value(metrics, 'ollama_lens_decode_tokens_per_second')).find((v) => v.metricName?.endsWith('_sum'))!;
    expect(decode).toMatchObject({ labels: { model: 'llama3.1:8b', backend: 'metal', engine: 'llama.cpp' }, value: 20 });
    const tpot = (await value(metrics, 'gen_ai_server_time_per_output_token_seconds')).find((v) => v.metricName?.endsWith('_sum'))!;
    expect(tpot.value).toBeCloseTo(0.05, 9);
    const ctx = (await value(metrics, 'ollama_lens_context_used_ratio')).find((v) => v.metricName?.endsWith('_sum'))!;
    expect(ctx.value).toBeCloseTo(0.1, 9);
    const text = await metrics.metrics();
    expect(text).toContain('gen_ai_provider_name="ollama"');
    expect(text).toContain('ollama_lens_websocket_dropped_clients_total 3');
    expect(text).toContain('ollama_lens_ollama_up 0');
    expect(text).toContain('ollama_lens_unparsed_lines_total{source="/var/log/ollama.log"} 2');
    // Unknown lag and no memory sample: absent, never 0.
    expect(text).not.toMatch(/^ollama_lens_source_lag_bytes\{/m);
    expect(text).not.toMatch(/^ollama_lens_memory_used_bytes /m);
  });

  it('keeps model labels bounded: past maxModels new names become `other`; no model is `unknown`', async () => {
    const { bus, metrics } = collector(2);
    ['a', 'b', 'c', 'd'].forEach((model, i) => bus.publish({ type: 'request', ...request({ id: i + 1, model }) }));
    bus.publish({ type: 'request', ...request({ id: 9, model: null, kind: 'other', path: '/api/tags', method: 'GET' }) });
    bus.publish({ type: 'incident', incident: { id: 1, at: null, kind: 'oom', model: 'e', detail: '', loadId: null, requestId: null } });
    bus.publish({ type: 'incident', incident: { id: 2, at: null, kind: 'oom', model: 'a', detail: '', loadId: null, requestId: null } });
    const requests = await value(metrics, 'ollama_lens_requests_total');
    expect(requests.map((r) => [r.labels.model, r.value])).toEqual([
      ['a', 1],
      ['b', 1],
      ['other', 2],
      ['unknown', 1],
    ]);
    expect((await value(metrics, 'ollama_lens_incidents_total')).map((r) => [r.labels.model, r.value])).toEqual([
      ['other', 1],
      ['a', 1],
    ]);
    // Not an inference endpoint: no GenAI operation.
    expect(
      (await value(metrics, 'gen_ai_server_request_duration_seconds')).filter((v) => v.labels.gen_ai_request_model === 'unknown'),
    ).toEqual([]);
  });

  it('observes KV cache fill and peak memory per request by model and backend, once per request; unknown is not observed', async () => {
    const { bus, metrics } = collector();
    bus.publish({
      type: 'request',
      ...request({ id: 1, model: 'qwen3.5:35b-a3b', backend: 'mlx', kvFill: 0.9, peakMemoryBytes: 24 * 2 ** 30 }),
    });
    bus.publish({
      type: 'request',
      ...request({ id: 1, model: 'qwen3.5:35b-a3b', backend: 'mlx', kvFill: 0.9, peakMemoryBytes: 24 * 2 ** 30, source: 'both' }),
    });
    bus.publish({ type: 'request', ...request({ id: 2, kvFill: 0.25 }) });
    bus.publish({ type: 'request', ...request({ id: 3 }) });
    const fill = (await value(metrics, 'ollama_lens_kv_cache_fill_ratio')).filter((v) => v.metricName?.endsWith('_count'));
    expect(fill.map((v) => [v.labels.model, v.labels.backend, v.value])).toEqual([
      ['qwen3.5:35b-a3b', 'mlx', 1],
      ['llama3.1:8b', 'metal', 1],
    ]);
    const over85 = (await value(metrics, 'ollama_lens_kv_cache_fill_ratio')).find(
      (v) => v.metricName?.endsWith('_bucket') && v.labels.le === 0.85 && v.labels.backend === 'mlx',
    );
    expect(over85?.value).toBe(0);
    const peak = (await value(metrics, 'ollama_lens_request_peak_memory_bytes')).filter((v) => v.metricName?.endsWith('_sum'));
    expect(peak.map((v) => [v.labels.model, v.labels.backend, v.value])).toEqual([['qwen3.5:35b-a3b', 'mlx', 24 * 2 ** 30]]);
  });

  it('names the GenAI operation from the endpoint', () => {
    expect(
      ['/api/chat', '/v1/chat/completions', '/api/generate', '/v1/completions', '/api/embed', '/v1/embeddings', '/api/tags'].map(
        operationName,
      ),
    ).toEqual(['chat', 'chat', 'text_completion', 'text_completion', 'embeddings', 'embeddings', null]);
  });
});

describe('SelfStats', () => {
  it('lines/s over the last minute, parse errors and lag summed, WebSocket figures', () => {
    let t = 0;
    let lines = 0;
    const stats = new SelfStats({
      sources: () => [
        source({ linesRead: lines, unparsed: 3, lagBytes: 100 }),
        source({ path: 'journal:ollama', linesRead: 0, unparsed: 1, lagBytes: null }),
      ],
      ws: () => ({ clients: 2, dropped: 1 }),
      now: () => t,
    });
    stats.sample();
    expect(stats.current()).toEqual({ linesPerSecond: null, parseErrors: 4, lagBytes: 100, wsClients: 2, droppedWsClients: 1 });
    for (let i = 0; i < 24; i++) {
      t += 5000;
      lines += 500;
      stats.sample();
    }
    // 120 s of 100 lines/s; the window keeps the last minute.
    expect(stats.current().linesPerSecond).toBeCloseTo(100, 6);
    t += 30_000;
    // Nothing read for 30 s: the last minute holds 30 s of 100/s and 30 s of nothing.
    expect(stats.current().linesPerSecond).toBeCloseTo(50, 0);
  });
});
