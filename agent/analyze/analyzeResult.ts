// The `analyze --json` contract (docs/analyze-json.md): keys exactly as documented, absent facts null, lists in
// log order. Built from the correlator's records; upserts replace in place, keeping first-seen order.
import type { CorrelatedRecord } from '../correlate/records.js';
import { zoneOf } from '../parse/timestamps.js';

export interface AnalyzeResult {
  lines: number;
  unparsed: number;
  servers: {
    at: string | null;
    version: string | null;
    config: Record<string, string>;
    devices: { library: string; name: string | null; totalBytes: number | null }[];
  }[];
  loads: {
    at: string | null;
    model: string | null;
    engine: string | null;
    backend: string | null;
    device: string | null;
    ctx: number | null;
    parallel: number | null;
    kvBytes: number | null;
    gpuLayers: number | null;
    totalLayers: number | null;
    loadSeconds: number | null;
    outcome: string | null;
    error: string | null;
  }[];
  requests: {
    at: string;
    method: string;
    path: string;
    status: number;
    latencyMs: number;
    client: string;
    kind: string;
    model: string | null;
    backend: string | null;
    promptTokens: number | null;
    completionTokens: number | null;
    prefillTps: number | null;
    decodeTps: number | null;
    ctxUsed: number | null;
    ctxLimit: number | null;
    truncated: boolean | null;
    peakMemoryBytes: number | null;
    kvBytes: number | null;
    kvUsedBytes: number | null;
  }[];
  incidents: { at: string | null; kind: string; model: string | null; detail: string }[];
}

export class ResultBuilder {
  readonly result: AnalyzeResult = { lines: 0, unparsed: 0, servers: [], loads: [], requests: [], incidents: [] };
  /** The GGUF's own name of each load (same order as `result.loads`): for the report, not the JSON contract. */
  readonly displayNames: (string | null)[] = [];
  private readonly serverIndex = new Map<number, number>();
  private readonly loadIndex = new Map<number, number>();
  /** The model a load got later (a name line after it came up), for requests and incidents made before. */
  private readonly loadOfRequest: { index: number; loadKey: number }[] = [];

  /** The first zone the log states: lines before it (Go-log `[GIN]` times have none) are in it too. */
  private firstZone: string | null = null;

  add(records: CorrelatedRecord[]): void {
    for (const r of records) {
      if (this.firstZone === null && 'at' in r.record && typeof r.record.at === 'string') this.firstZone = zoneOf(r.record.at);
      switch (r.kind) {
        case 'server': {
          const { at, version, config, devices } = r.record;
          upsert(this.result.servers, this.serverIndex, r.record.key, { at, version, config, devices: devices.map((d) => ({ ...d })) });
          break;
        }
        case 'load': {
          const l = r.record;
          upsert(this.result.loads, this.loadIndex, l.key, {
            at: l.at,
            model: l.model,
            engine: l.engine,
            backend: l.backend,
            device: l.device,
            ctx: l.ctx,
            parallel: l.parallel,
            kvBytes: l.kvBytes,
            gpuLayers: l.gpuLayers,
            totalLayers: l.totalLayers,
            loadSeconds: l.loadSeconds,
            outcome: l.outcome,
            error: l.error,
          });
          this.displayNames[this.loadIndex.get(l.key)!] = l.displayName;
          break;
        }
        case 'request': {
          const q = r.record;
          if (q.loadKey !== null) this.loadOfRequest.push({ index: this.result.requests.length, loadKey: q.loadKey });
          this.result.requests.push({
            at: q.at,
            method: q.method,
            path: q.path,
            status: q.status,
            latencyMs: q.latencyMs,
            client: q.client,
            kind: q.kind,
            model: q.model,
            backend: q.backend,
            promptTokens: q.promptTokens,
            completionTokens: q.completionTokens,
            prefillTps: q.prefillTps,
            decodeTps: q.decodeTps,
            ctxUsed: q.ctxUsed,
            ctxLimit: q.ctxLimit,
            truncated: q.truncated,
            // analyze runs without the API: the correlator's KV figures come from the log alone here.
            peakMemoryBytes: q.peakMemoryBytes,
            kvBytes: q.kvBytes,
            kvUsedBytes: q.kvUsedBytes,
          });
          break;
        }
        case 'incident': {
          const i = r.record;
          this.result.incidents.push({ at: i.at, kind: i.kind, model: i.model, detail: i.detail });
          break;
        }
      }
    }
  }

  /** Requests attributed to a load whose name arrived after them carry that name too. */
  finish(lines: number, unparsed: number): AnalyzeResult {
    // One file, one convention: every `at` with an offset once the log shows one (a log that begins
    // mid-run prints zone-less access lines before its first zoned line). A log with no zone keeps none.
    const zone = this.firstZone;
    if (zone !== null) {
      const zoned = <T extends { at: string | null }>(x: T): void => {
        if (x.at !== null && zoneOf(x.at) === null) x.at += zone;
      };
      this.result.servers.forEach(zoned);
      this.result.loads.forEach(zoned);
      this.result.requests.forEach(zoned);
      this.result.incidents.forEach(zoned);
    }
    for (const { index, loadKey } of this.loadOfRequest) {
      const req = this.result.requests[index]!;
      const load = this.result.loads[this.loadIndex.get(loadKey) ?? -1];
      if (req.model === null && load?.model) req.model = load.model;
    }
    this.result.lines = lines;
    this.result.unparsed = unparsed;
    return this.result;
  }
}

function upsert<T>(list: T[], index: Map<number, number>, key: number, value: T): void {
  const at = index.get(key);
  if (at === undefined) {
    index.set(key, list.length);
    list.push(value);
  } else list[at] = value;
}
