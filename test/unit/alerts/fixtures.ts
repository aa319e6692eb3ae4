// An engine on a hand-driven clock, and records with only the fields a test cares about.
import type { MemorySample, PressureLevel } from '../../../shared/memory.js';
import type { IncidentKind, IncidentRecord, RequestRecord } from '../../../shared/records.js';
import { AlertEngine, type DecodeBaselineLookup } from '../../../agent/alerts/AlertEngine.js';
import type { AlertRulesConfig } from '../../../agent/alerts/config.js';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const MiB = 2 ** 20;

export function clocked(config: Partial<AlertRulesConfig> = {}) {
  const clock = { t: T0 };
  const engine = new AlertEngine(config, () => clock.t);
  return {
    engine,
    clock,
    /** Moves the clock to T0 + ms. */
    at: (ms: number) => void (clock.t = T0 + ms),
    advance: (ms: number) => void (clock.t += ms),
    iso: () => new Date(clock.t).toISOString(),
  };
}

let nextId = 1;

export function incident(clock: { t: number }, kind: IncidentKind, over: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: nextId++,
    at: new Date(clock.t).toISOString(),
    kind,
    model: 'qwen3:8b',
    detail: `${kind} detail`,
    loadId: 7,
    requestId: null,
    ...over,
  };
}

export function request(clock: { t: number }, over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: nextId++,
    at: new Date(clock.t).toISOString(),
    method: 'POST',
    path: '/api/chat',
    status: 200,
    latencyMs: 1000,
    client: '127.0.0.1',
    kind: 'inference',
    model: 'qwen3:8b',
    backend: 'mlx',
    promptTokens: 100,
    completionTokens: 50,
    prefillTps: 500,
    decodeTps: 50,
    ctxUsed: 150,
    ctxLimit: 32768,
    truncated: false,
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
  };
}

export function sample(clock: { t: number }, pressure: PressureLevel | null, over: Partial<MemorySample> = {}): MemorySample {
  return {
    at: new Date(clock.t).toISOString(),
    totalBytes: 32 * 2 ** 30,
    usedBytes: 20 * 2 ** 30,
    availableBytes: 12 * 2 ** 30,
    wiredBytes: 4 * 2 ** 30,
    compressedBytes: 2 ** 30,
    swapUsedBytes: null,
    swapTotalBytes: null,
    swapoutsDelta: null,
    pressure,
    pressureValue: null,
    pressureSource: 'macos',
    ollamaFootprintBytes: null,
    ollamaProcesses: null,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
    ...over,
  };
}

export const noBaseline: DecodeBaselineLookup = () => null;
