// The demo's model library. One source for the log lines, /api/ps, /api/tags and /api/show, so a
// blob digest the log names resolves through the fake API to the same model, as on a real machine.
import { createHash } from 'node:crypto';

export interface DemoModel {
  name: string;
  format: 'safetensors' | 'gguf';
  family: string;
  parameterSize: string;
  quantization: string;
  /** Weights on disk. */
  sizeBytes: number;
  /** Manifest digest (what /api/tags and /api/ps show). */
  digest: string;
  /** Weights blob digest (what llama-server's `--model` path names). */
  blob: string;
  /** `general.architecture` in model_info. */
  arch: string;
  /** The MLX runner's `Model architecture arch=` class (safetensors only). */
  mlxArch?: string;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  headDim: number;
  embeddingLength: number;
  contextLength: number;
  /** Token-embedding weights llama.cpp keeps in CPU_Mapped memory, MiB. */
  cpuMappedMiB: number;
  /** Approximate Apple M3 Max throughput, tokens/s. */
  prefillTps: number;
  decodeTps: number;
  modifiedAt: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function model(m: Omit<DemoModel, 'digest' | 'blob'>): DemoModel {
  // Derived, not random: the same model has the same digests in every session and every seed.
  return { ...m, digest: sha256(`ollama-lens demo manifest ${m.name}`), blob: sha256(`ollama-lens demo blob ${m.name}`) };
}

export const QWEN_MLX = model({
  name: 'qwen3.5:35b-a3b',
  format: 'safetensors',
  family: 'qwen35moe',
  parameterSize: '35.1B',
  quantization: 'nvfp4',
  sizeBytes: 21_346_318_336,
  arch: 'qwen35moe',
  mlxArch: 'Qwen3_5MoeForConditionalGeneration',
  blockCount: 40,
  headCount: 16,
  headCountKv: 2,
  headDim: 256,
  embeddingLength: 2048,
  contextLength: 262144,
  cpuMappedMiB: 0,
  prefillTps: 1150,
  decodeTps: 84,
  modifiedAt: '2026-11-20T18:42:11.532871+01:00',
});

export const LLAMA_8B = model({
  name: 'llama3.1:8b',
  format: 'gguf',
  family: 'llama',
  parameterSize: '8.0B',
  quantization: 'Q4_K_M',
  sizeBytes: 4_920_753_328,
  arch: 'llama',
  blockCount: 32,
  headCount: 32,
  headCountKv: 8,
  headDim: 128,
  embeddingLength: 4096,
  contextLength: 131072,
  cpuMappedMiB: 281.81,
  prefillTps: 820,
  decodeTps: 61,
  modifiedAt: '2026-10-02T09:15:47.118203+02:00',
});

/** Pulled as GGUF although the user expects MLX: the fallback the demo shows. */
export const LLAMA_70B = model({
  name: 'llama3.3:70b',
  format: 'gguf',
  family: 'llama',
  parameterSize: '70.6B',
  quantization: 'Q4_K_M',
  sizeBytes: 42_520_413_916,
  arch: 'llama',
  blockCount: 80,
  headCount: 64,
  headCountKv: 8,
  headDim: 128,
  embeddingLength: 8192,
  contextLength: 131072,
  cpuMappedMiB: 563.62,
  prefillTps: 165,
  decodeTps: 9.4,
  modifiedAt: '2026-11-24T21:03:29.640511+01:00',
});

export const MODELS: readonly DemoModel[] = [QWEN_MLX, LLAMA_8B, LLAMA_70B];

export function findModel(name: string): DemoModel | undefined {
  const full = name.includes(':') ? name : `${name}:latest`;
  return MODELS.find((m) => m.name === name || m.name === full);
}

export const MODELS_DIR = '/Users/demo/.ollama/models';

export function blobPath(m: DemoModel): string {
  return `${MODELS_DIR}/blobs/sha256-${m.blob}`;
}

/** f16 K+V bytes for `ctx` cells: layers × kv heads × head dim × 2 (K and V) × 2 bytes. */
export function kvBytes(m: DemoModel, ctx: number): number {
  return m.blockCount * m.headCountKv * m.headDim * 2 * 2 * ctx;
}
