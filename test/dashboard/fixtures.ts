import type { AgentStatus, RequestRecord } from '../../shared/types.js';

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
    ...overrides,
  };
}

export function agentStatus(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return {
    agentVersion: '0.1.0',
    ollama: { url: 'http://127.0.0.1:11434', state: 'reachable', version: '0.33.0', lastError: null, checkedAt: null },
    sources: [],
    requestCount: 0,
    ...overrides,
  };
}
