// `/metrics` (its table is in README, "Fleet: Prometheus and Grafana"): what the agent knows, in
// Prometheus' text format, from prom-client on a registry of its own. Names follow the OpenTelemetry
// GenAI semantic conventions where they define one (gen_ai.* → gen_ai_*, with the unit suffix of the
// OTel → Prometheus mapping); the rest are `ollama_lens_*`. Histograms and counters are fed from the
// bus (records already stored) through fastMetrics.ts, which a first start's hundreds of thousands of
// requests need; gauges are read on each scrape (scrapeMetrics.ts). Counters restart at 0 with the
// agent; Prometheus' rate() handles the reset.
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Backend, Engine, LoadRecord, RequestRecord } from '../../shared/records.js';
import type { Bus } from '../bus.js';
import { FastCounter, FastHistogram } from './fastMetrics.js';
import { RecentMap } from './RecentMap.js';
import { registerScrapeMetrics, type ScrapeSources } from './scrapeMetrics.js';

export interface MetricsDeps extends ScrapeSources {
  bus: Bus;
  /** A stored load, for requests and models whose load was published before this agent started. */
  loadById?: (id: number) => LoadRecord | null;
  /** prom-client's process and Node.js metrics (rss, cpu, event loop…); on unless false. */
  defaultMetrics?: boolean;
  /** Distinct model label values kept before the rest become `other` (bounded cardinality). */
  maxModels?: number;
}

/** gen_ai.provider.name: not among the spec's well-known values, which allow any other provider's own name. */
export const GEN_AI_PROVIDER = 'ollama';

/** Requests (and the observations made for them) remembered to avoid counting a republished row twice. */
const SEEN_REQUESTS = 10_000;
const KNOWN_LOADS = 1_000;

// Observations made for one request id; a row republished later (merged with the proxy's, renamed
// once the API named its model) only adds the ones it did not have.
const COUNTED = 1;
const TOKENS_IN = 2;
const TOKENS_OUT = 4;
const DECODE = 8;
const PREFILL = 16;
const CONTEXT = 32;
const KV_FILL = 64;
const PEAK_MEMORY = 128;

/** gen_ai.operation.name from the endpoint (inference endpoints only; see requestKind). */
export function operationName(path: string): string | null {
  const bare = path.split('?')[0]!.replace(/\/+$/, '');
  switch (bare) {
    case '/api/chat':
    case '/v1/chat/completions':
    case '/v1/messages':
    case '/v1/responses':
      return 'chat';
    case '/api/generate':
    case '/v1/completions':
      return 'text_completion';
    case '/api/embed':
    case '/api/embeddings':
    case '/v1/embeddings':
      return 'embeddings';
    default:
      return null;
  }
}

// Bucket boundaries: the GenAI spec's where it gives them, else ranges that fit local inference.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const REQUEST_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TIME_PER_OUTPUT_TOKEN_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];
const DECODE_TPS_BUCKETS = [1, 2, 5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500];
const PREFILL_TPS_BUCKETS = [10, 25, 50, 100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000];
const CONTEXT_RATIO_BUCKETS = [0.1, 0.25, 0.5, 0.75, 0.85, 0.9, 0.95, 0.99, 1];
/** 0.85 is the default context alert ratio, which also flags a KV cache that full. */
const KV_FILL_BUCKETS = [0.1, 0.25, 0.5, 0.75, 0.85, 0.9, 0.95, 0.99, 1];
/** 1 GiB to 192 GiB (the largest Mac), doubling: model peaks span small models on 16 GB to 70B+ on 128 GB. */
const PEAK_MEMORY_BUCKETS = [1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192].map((g) => g * 2 ** 30);

const GEN_AI_LABELS = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'] as const;
const LENS_LABELS = ['model', 'backend', 'engine'] as const;

export class MetricsCollector {
  readonly registry = new Registry();
  private unsubscribe: (() => void) | null = null;
  private readonly seen = new RecentMap<number, number>(SEEN_REQUESTS);
  private readonly loads = new RecentMap<number, { engine: Engine | null; backend: Backend | null }>(KNOWN_LOADS);
  private readonly modelNames = new Set<string>();
  private readonly maxModels: number;

  private readonly tokenUsage: FastHistogram<(typeof GEN_AI_LABELS)[number] | 'gen_ai_token_type'>;
  private readonly requestDuration: FastHistogram<(typeof GEN_AI_LABELS)[number] | 'error_type'>;
  private readonly timePerOutputToken: FastHistogram<(typeof GEN_AI_LABELS)[number]>;
  private readonly decodeTps: FastHistogram<(typeof LENS_LABELS)[number]>;
  private readonly prefillTps: FastHistogram<(typeof LENS_LABELS)[number]>;
  private readonly requests: FastCounter<'model' | 'backend' | 'kind' | 'status_class'>;
  private readonly contextRatio: FastHistogram<'model' | 'backend'>;
  private readonly kvFill: FastHistogram<'model' | 'backend'>;
  private readonly peakMemory: FastHistogram<'model' | 'backend'>;
  private readonly incidents: FastCounter<'kind' | 'model'>;

  constructor(private readonly d: MetricsDeps) {
    this.maxModels = d.maxModels ?? 64;
    const registers = [this.registry];
    // prom-client samples event-loop delay every 10 ms by default: 100 wake-ups a second, a measurable
    // share of an idle agent's CPU. Half a second still shows a stalled loop.
    if (d.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 500 });

    // --- OpenTelemetry GenAI semantic conventions ---
    this.tokenUsage = new FastHistogram({
      name: 'gen_ai_client_token_usage',
      help: 'gen_ai.client.token.usage: input (prompt) and output (completion) tokens per request, as the Ollama log reports them.',
      labelNames: [...GEN_AI_LABELS, 'gen_ai_token_type'],
      buckets: TOKEN_BUCKETS,
      registers,
    });
    this.requestDuration = new FastHistogram({
      name: 'gen_ai_server_request_duration_seconds',
      help: 'gen_ai.server.request.duration: time to last byte of each inference request (GIN access-log latency).',
      labelNames: [...GEN_AI_LABELS, 'error_type'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers,
    });
    this.timePerOutputToken = new FastHistogram({
      name: 'gen_ai_server_time_per_output_token_seconds',
      help: 'gen_ai.server.time_per_output_token: seconds per generated token after the first (1 / decode tok/s).',
      labelNames: [...GEN_AI_LABELS],
      buckets: TIME_PER_OUTPUT_TOKEN_BUCKETS,
      registers,
    });

    // --- ollama-lens: what OTel has no name for ---
    this.requests = new FastCounter({
      name: 'ollama_lens_requests_total',
      help: 'Requests Ollama answered (GIN access log or proxy), by model, backend, kind (inference|other) and status class.',
      labelNames: ['model', 'backend', 'kind', 'status_class'],
      registers,
    });
    this.decodeTps = new FastHistogram({
      name: 'ollama_lens_decode_tokens_per_second',
      help: 'Generation (decode) speed per request, tokens per second.',
      labelNames: [...LENS_LABELS],
      buckets: DECODE_TPS_BUCKETS,
      registers,
    });
    this.prefillTps = new FastHistogram({
      name: 'ollama_lens_prefill_tokens_per_second',
      help: 'Prompt processing (prefill) speed per request, tokens per second.',
      labelNames: [...LENS_LABELS],
      buckets: PREFILL_TPS_BUCKETS,
      registers,
    });
    this.contextRatio = new FastHistogram({
      name: 'ollama_lens_context_used_ratio',
      help: 'Context window used by each request: tokens in context / context per sequence (1 = full).',
      labelNames: ['model', 'backend'],
      buckets: CONTEXT_RATIO_BUCKETS,
      registers,
    });
    this.kvFill = new FastHistogram({
      name: 'ollama_lens_kv_cache_fill_ratio',
      help: "KV cache filled by each request's context: KV bytes used / KV bytes allocated for its load (1 = full).",
      labelNames: ['model', 'backend'],
      buckets: KV_FILL_BUCKETS,
      registers,
    });
    this.peakMemory = new FastHistogram({
      name: 'ollama_lens_request_peak_memory_bytes',
      help: 'Peak memory the log states for each request (MLX `peak memory`), bytes.',
      labelNames: ['model', 'backend'],
      buckets: PEAK_MEMORY_BUCKETS,
      registers,
    });
    this.incidents = new FastCounter({
      name: 'ollama_lens_incidents_total',
      help: 'Incidents detected (mlx_fallback, context_truncated, oom, memory_pressure, …), by kind and model.',
      labelNames: ['kind', 'model'],
      registers,
    });

    registerScrapeMetrics(registers, d, { model: (name) => this.model(name), load: (id) => this.load(id) });
  }

  start(): void {
    this.unsubscribe = this.d.bus.subscribe((msg) => {
      if (msg.type === 'request') this.onRequest(msg);
      else if (msg.type === 'load') this.remember(msg.load);
      else if (msg.type === 'incident') this.incidents.inc({ kind: msg.incident.kind, model: this.model(msg.incident.model) });
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** Every metric family name this registry exports (for tests and the Grafana dashboard check). */
  names(): string[] {
    return this.registry.getMetricsAsArray().map((m) => m.name);
  }

  /** A bounded label value for a model: its name while fewer than maxModels were seen, else `other`. */
  private model(name: string | null): string {
    if (name === null || name === '') return 'unknown';
    if (this.modelNames.has(name)) return name;
    if (this.modelNames.size >= this.maxModels) return 'other';
    this.modelNames.add(name);
    return name;
  }

  /** The latest loads by id (they are numbered in order); an older one is read back from the store. */
  private remember(load: LoadRecord): void {
    this.loads.set(load.id, { engine: load.engine, backend: load.backend });
  }

  private load(id: number): { engine: Engine | null; backend: Backend | null } | null {
    const known = this.loads.get(id);
    if (known) return known;
    const stored = this.d.loadById?.(id) ?? null;
    if (stored) this.remember(stored);
    return stored;
  }

  private onRequest(r: RequestRecord): void {
    const done = this.seen.get(r.id) ?? 0;
    let now = done;
    const model = this.model(r.model);
    const backend = r.backend ?? 'unknown';
    const op = r.kind === 'inference' ? operationName(r.path) : null;
    const genAi = op === null ? null : { gen_ai_operation_name: op, gen_ai_provider_name: GEN_AI_PROVIDER, gen_ai_request_model: model };

    if (!(done & COUNTED)) {
      now |= COUNTED;
      this.requests.inc({ model, backend, kind: r.kind, status_class: `${Math.floor(r.status / 100)}xx` });
      if (genAi) this.requestDuration.observe(r.status >= 400 ? { ...genAi, error_type: String(r.status) } : genAi, r.latencyMs / 1000);
    }
    if (genAi && r.promptTokens !== null && !(done & TOKENS_IN)) {
      now |= TOKENS_IN;
      this.tokenUsage.observe({ ...genAi, gen_ai_token_type: 'input' }, r.promptTokens);
    }
    if (genAi && r.completionTokens !== null && !(done & TOKENS_OUT)) {
      now |= TOKENS_OUT;
      this.tokenUsage.observe({ ...genAi, gen_ai_token_type: 'output' }, r.completionTokens);
    }
    const lens = (): { model: string; backend: string; engine: string } => {
      const load = r.loadId === null ? null : this.load(r.loadId);
      return { model, backend, engine: load?.engine ?? 'unknown' };
    };
    if (r.decodeTps !== null && r.decodeTps > 0 && !(done & DECODE)) {
      now |= DECODE;
      this.decodeTps.observe(lens(), r.decodeTps);
      if (genAi) this.timePerOutputToken.observe(genAi, 1 / r.decodeTps);
    }
    if (r.prefillTps !== null && r.prefillTps > 0 && !(done & PREFILL)) {
      now |= PREFILL;
      this.prefillTps.observe(lens(), r.prefillTps);
    }
    if (r.ctxUsed !== null && r.ctxLimit !== null && r.ctxLimit > 0 && !(done & CONTEXT)) {
      now |= CONTEXT;
      this.contextRatio.observe({ model, backend }, r.ctxUsed / r.ctxLimit);
    }
    if (r.kvFill !== null && !(done & KV_FILL)) {
      now |= KV_FILL;
      this.kvFill.observe({ model, backend }, r.kvFill);
    }
    if (r.peakMemoryBytes !== null && !(done & PEAK_MEMORY)) {
      now |= PEAK_MEMORY;
      this.peakMemory.observe({ model, backend }, r.peakMemoryBytes);
    }
    if (now !== done || !this.seen.has(r.id)) this.seen.set(r.id, now);
  }
}
