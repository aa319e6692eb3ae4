import { describe, expect, it } from 'vitest';
import {
  contextText,
  engineText,
  expiresText,
  gpuLayersText,
  gpuShareText,
  kvAllocatedText,
  kvCacheBytes,
  kvPerTokenText,
  kvRoomText,
  loadedModelsEmptyText,
  modelBackend,
  modelDetailText,
  roomText,
  tpsText,
} from '../../dashboard/src/lib/modelLabels.js';
import { agentStatus, kvSizing, loadedModel, loadRecord } from './fixtures.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('model row texts', () => {
  it('maps the weights format to the engine that runs it', () => {
    expect(engineText('gguf')).toBe('gguf → llama.cpp');
    expect(engineText('safetensors')).toBe('safetensors → MLX');
    expect(engineText('onnx')).toBe('onnx');
    expect(engineText(null)).toBe('—');
    expect(modelDetailText(loadedModel())).toBe('7.6B · Q4_K_M');
    expect(modelDetailText(loadedModel({ parameterSize: null, quantization: null }))).toBeNull();
  });

  it('shows the GPU share like ollama ps; a partial offload never reads 100%', () => {
    expect(gpuShareText(6 * GiB, 6 * GiB)).toBe('100% GPU');
    expect(gpuShareText(6 * GiB, 0)).toBe('100% CPU');
    expect(gpuShareText(100, 62)).toBe('62% GPU · 38% CPU');
    expect(gpuShareText(1000, 999)).toBe('99% GPU · 1% CPU');
    expect(gpuShareText(1000, 1)).toBe('1% GPU · 99% CPU');
    expect(gpuShareText(null, 5)).toBe('—');
    expect(gpuShareText(6 * GiB, null)).toBe('—');
    expect(gpuShareText(0, 0)).toBe('—');
  });

  it('shows the context per sequence, × parallel when shared', () => {
    expect(contextText(loadedModel())).toBe('8,192');
    expect(contextText(loadedModel({ kv: kvSizing({ parallel: 4 }) }))).toBe('8,192 × 4');
    expect(contextText(loadedModel({ contextLength: null, kv: kvSizing({ ctx: 4096 }) }))).toBe('4,096');
    expect(contextText(loadedModel({ contextLength: null, kv: null }))).toBe('—');
  });

  it('shows KV bytes per token and the allocation, checked against the log', () => {
    expect(kvPerTokenText(kvSizing())).toBe('96 KiB/token');
    expect(kvPerTokenText(kvSizing({ bytesPerToken: null }))).toBe('—');
    expect(kvPerTokenText(null)).toBe('—');
    expect(kvAllocatedText(kvSizing())).toBe('768 MiB');
    expect(kvAllocatedText(kvSizing({ loggedBytes: 760 * MiB, disagreement: 0.0105 }))).toBe('768 MiB · log agrees');
    expect(kvAllocatedText(kvSizing({ loggedBytes: 1.5 * GiB, disagreement: 0.5 }))).toBe('768 MiB · log says 1.5 GiB');
    // Exactly 5 % still agrees; the disagreement is computed when the agent left it out.
    expect(kvAllocatedText(kvSizing({ estimatedBytes: 105, loggedBytes: 100, disagreement: null }))).toBe('105 B · log agrees');
    expect(kvAllocatedText(kvSizing({ estimatedBytes: 106, loggedBytes: 100, disagreement: null }))).toBe('106 B · log says 100 B');
    expect(kvAllocatedText(kvSizing({ estimatedBytes: null, loggedBytes: 1 * GiB }))).toBe('— · log says 1.0 GiB');
    expect(kvAllocatedText(null)).toBe('—');
  });

  it('says how many more tokens fit, "—" (never 0) when unknown', () => {
    expect(roomText(12345)).toBe('≈ 12,345 more tokens');
    expect(roomText(1_234_567)).toBe('≈ 1,234,567 more tokens');
    expect(roomText(1)).toBe('≈ 1 more token');
    expect(roomText(0)).toBe('≈ 0 more tokens');
    expect(roomText(null)).toBe('—');
  });
});

describe('model card facts', () => {
  it('takes the backend from the load record, falling back to safetensors → MLX', () => {
    expect(modelBackend(loadedModel({ format: 'gguf' }), loadRecord(1, { backend: 'metal' }))).toBe('metal');
    expect(modelBackend(loadedModel({ format: 'gguf' }), loadRecord(1, { backend: 'cpu' }))).toBe('cpu');
    expect(modelBackend(loadedModel({ format: 'safetensors' }), null)).toBe('mlx');
    expect(modelBackend(loadedModel({ format: 'safetensors' }), loadRecord(1, { backend: null }))).toBe('mlx');
    expect(modelBackend(loadedModel({ format: 'gguf' }), undefined)).toBeNull();
    expect(modelBackend(loadedModel({ format: null }), null)).toBeNull();
  });

  it('shows GPU layers x/y, "—" when unknown (never 0)', () => {
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 31, totalLayers: 33 }))).toBe('31/33');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 0, totalLayers: 33 }))).toBe('0/33');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: 20, totalLayers: null }))).toBe('20/—');
    expect(gpuLayersText(loadRecord(1, { gpuLayers: null, totalLayers: null }))).toBe('—');
    expect(gpuLayersText(null)).toBe('—');
  });

  it('sizes the KV cache from the estimate, else the log', () => {
    expect(kvCacheBytes(loadedModel({ kv: kvSizing({ estimatedBytes: 5 * GiB }) }), loadRecord(1, { kvBytes: GiB }))).toBe(5 * GiB);
    expect(kvCacheBytes(loadedModel({ kv: null }), loadRecord(1, { kvBytes: GiB }))).toBe(GiB);
    expect(kvCacheBytes(loadedModel({ kv: kvSizing({ estimatedBytes: null }) }), null)).toBeNull();
  });

  it('formats speeds and room', () => {
    expect(tpsText(54.333)).toBe('54.3 tok/s');
    expect(tpsText(865.09)).toBe('865 tok/s');
    // Grouped like every figure on the page.
    expect(tpsText(1234.5)).toBe('1,235 tok/s');
    expect(tpsText(null)).toBe('—');
    expect(kvRoomText(185196)).toBe('free memory fits ≈ 185,196 more KV tokens');
    expect(kvRoomText(1)).toBe('free memory fits ≈ 1 more KV token');
    expect(kvRoomText(-5)).toBe('free memory fits ≈ 0 more KV tokens');
    expect(kvRoomText(null)).toBe('—');
  });
});

describe('expiresText', () => {
  const now = Date.UTC(2025, 10, 26, 8, 0, 0);
  const later = (ms: number) => new Date(now + ms).toISOString();

  it('is relative to now, like ollama ps', () => {
    expect(expiresText(later(42_000), now)).toBe('in 42 s');
    expect(expiresText(later(4 * 60_000 + 10_000), now)).toBe('in 4 min');
    expect(expiresText(later(59 * 60_000 + 50_000), now)).toBe('in 1 h');
    expect(expiresText(later(125 * 60_000), now)).toBe('in 2 h 5 min');
    expect(expiresText(later(3 * 86_400_000), now)).toBe('in 3 days');
  });

  it('handles past, forever (keep_alive < 0) and unknown', () => {
    expect(expiresText(later(-1000), now)).toBe('stopping…');
    expect(expiresText('2318-01-01T00:00:00Z', now)).toBe('never');
    expect(expiresText(null, now)).toBe('—');
    expect(expiresText('soon', now)).toBe('—');
  });
});

describe('loadedModelsEmptyText', () => {
  it('tells "nothing loaded" apart from "cannot ask"', () => {
    const ollama = agentStatus().ollama;
    expect(loadedModelsEmptyText(ollama)).toBe('No model loaded');
    expect(loadedModelsEmptyText(null)).toBe('No model loaded');
    expect(loadedModelsEmptyText({ ...ollama, state: 'unreachable' })).toMatch(/^Ollama unreachable/);
    expect(loadedModelsEmptyText(ollama, false)).toBe('Asking Ollama which models are loaded…');
  });
});
