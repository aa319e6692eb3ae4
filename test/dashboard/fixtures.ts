import type { AlertRecord, ChannelStatus } from '../../shared/alerts.js';
import type { MachineInfo, MemorySample } from '../../shared/memory.js';
import type { KvSizing, LoadedModel } from '../../shared/models.js';
import type { LoadRecord, RequestRecord } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';

export function record(id: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id,
    at: '2025-11-26T07:51:03.123Z',
    method: 'POST',
    path: '/api/chat',
    status: 200,
    latencyMs: 1234,
    client: '127.0.0.1',
    kind: 'inference',
    model: 'llama3.2:3b',
    backend: 'metal',
    promptTokens: 12,
    completionTokens: 34,
    prefillTps: null,
    decodeTps: 42.5,
    ctxUsed: null,
    ctxLimit: null,
    loadId: null,
    truncated: null,
    source: 'log',
    peakMemoryBytes: null,
    modelMemoryBytes: null,
    kvBytes: null,
    kvUsedBytes: null,
    kvFill: null,
    memoryUsedBytes: null,
    memoryPressure: null,
    swapUsedBytes: null,
    ollamaFootprintBytes: null,
    ...overrides,
  };
}

export function agentStatus(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return {
    agentVersion: '0.1.0',
    ollama: { url: 'http://127.0.0.1:11434', state: 'reachable', version: '0.33.0', lastError: null, checkedAt: null },
    sources: [],
    requestCount: 0,
    machine: null,
    probes: [],
    channels: [],
    ...overrides,
  };
}

const GiB = 1024 ** 3;

export function memorySample(overrides: Partial<MemorySample> = {}): MemorySample {
  return {
    at: '2025-11-26T07:51:05.000Z',
    totalBytes: 64 * GiB,
    usedBytes: 41.2 * GiB,
    availableBytes: 22.8 * GiB,
    wiredBytes: 5 * GiB,
    compressedBytes: 2 * GiB,
    swapUsedBytes: 1.25 * GiB,
    swapTotalBytes: 4 * GiB,
    swapoutsDelta: 0,
    pressure: 'normal',
    pressureValue: 62,
    pressureSource: 'macos',
    ollamaFootprintBytes: 18 * GiB,
    ollamaProcesses: 2,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
    ...overrides,
  };
}

export function machine(overrides: Partial<MachineInfo> = {}): MachineInfo {
  return {
    os: 'darwin',
    osVersion: 'macOS 15.5',
    arch: 'arm64',
    chip: 'Apple M3 Max',
    appleSilicon: true,
    memoryBytes: 64 * GiB,
    gpuBudgetBytes: 48 * GiB,
    gpuBudgetSource: 'estimate',
    gpus: [],
    ...overrides,
  };
}

export function kvSizing(overrides: Partial<KvSizing> = {}): KvSizing {
  return {
    cacheType: 'f16',
    bytesPerToken: 96 * 1024,
    fixedBytes: 0,
    ctx: 8192,
    parallel: 1,
    estimatedBytes: 768 * 1024 * 1024,
    loggedBytes: null,
    disagreement: null,
    freeBytes: 2 * GiB,
    moreTokens: 21845,
    ...overrides,
  };
}

export function loadedModel(overrides: Partial<LoadedModel> = {}): LoadedModel {
  return {
    name: 'qwen2.5:7b',
    digest: null,
    blob: null,
    format: 'gguf',
    family: 'qwen2',
    architecture: 'qwen2',
    parameterSize: '7.6B',
    quantization: 'Q4_K_M',
    sizeBytes: 6 * GiB,
    vramBytes: 6 * GiB,
    contextLength: 8192,
    expiresAt: null,
    loadId: null,
    kv: kvSizing(),
    ...overrides,
  };
}

export function alert(id: number, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    kind: 'mlx_fallback',
    severity: 'warning',
    subject: 'model:llama3.3:70b',
    model: 'llama3.3:70b',
    state: 'firing',
    title: 'llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
    message: 'MLX would be faster on this Mac. Check that the model has an MLX build.',
    evidence: ['load 4: engine llama.cpp, backend metal (OLLAMA_USE_MLX=1)'],
    count: 1,
    firstAt: '2025-11-26T07:51:03.000Z',
    lastAt: '2025-11-26T07:51:03.000Z',
    resolvedAt: null,
    acknowledgedAt: null,
    notifications: 0,
    lastNotifiedAt: null,
    incidentId: null,
    loadId: null,
    requestId: null,
    ...overrides,
  };
}

export function channel(overrides: Partial<ChannelStatus> = {}): ChannelStatus {
  return {
    name: 'webhook:https://ntfy.sh/lens',
    ok: true,
    sent: 0,
    failed: 0,
    lastError: null,
    lastSentAt: null,
    pending: 0,
    ...overrides,
  };
}

export function loadRecord(id: number, overrides: Partial<LoadRecord> = {}): LoadRecord {
  return {
    id,
    at: '2025-11-26T07:50:00.000Z',
    model: 'llama3.1:8b',
    blob: null,
    displayName: null,
    engine: 'llama.cpp',
    backend: 'metal',
    device: null,
    ctx: 8192,
    parallel: 1,
    kvBytes: 1024 ** 3,
    gpuLayers: 33,
    totalLayers: 33,
    loadSeconds: 2.5,
    outcome: 'ready',
    error: null,
    sizeBytes: null,
    vramBytes: null,
    unloadedAt: null,
    seenBy: 'log',
    ...overrides,
  };
}
