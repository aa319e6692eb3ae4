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
  /** `Loaded tensors from manifest count=` (safetensors only). */
  mlxTensorCount?: number;
  /** llama-server `--chat-template` (GGUF only); `llama3` when absent. */
  chatTemplate?: string;
  /** `tokenizer.ggml.add_bos_token`: llama-server keeps one more token on a context shift. */
  addBos?: boolean;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  headDim: number;
  embeddingLength: number;
  contextLength: number;
  /** Token-embedding weights llama.cpp keeps in CPU_Mapped memory, MiB. */
  cpuMappedMiB: number;
  /** More `model_info` keys under the architecture prefix (hybrids: the linear-attention state). */
  extraInfo?: Readonly<Record<string, number>>;
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
  extraInfo: {
    full_attention_interval: 4,
    'ssm.conv_kernel': 4,
    'ssm.state_size': 128,
    'ssm.group_count': 16,
    'ssm.time_step_rank': 32,
    'ssm.inner_size': 4096,
  },
  mlxArch: 'Qwen3_5MoeForConditionalGeneration',
  mlxTensorCount: 1029,
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
  addBos: true,
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
  addBos: true,
  prefillTps: 165,
  decodeTps: 9.4,
  modifiedAt: '2026-11-24T21:03:29.640511+01:00',
});

/**
 * An 8-bit MLX build too big for a 96 GB Mac: its weights alone exceed Metal's recommended
 * working set (72 GiB), which the MLX runner warns about and then runs slower.
 */
export const QWEN_NEXT_MLX = model({
  name: 'qwen3-next:80b-a3b-mxfp8',
  format: 'safetensors',
  family: 'qwen3next',
  parameterSize: '79.7B',
  quantization: 'mxfp8',
  sizeBytes: 84_396_109_824,
  arch: 'qwen3next',
  extraInfo: {
    full_attention_interval: 4,
    'ssm.conv_kernel': 4,
    'ssm.state_size': 128,
    'ssm.group_count': 16,
    'ssm.time_step_rank': 32,
    'ssm.inner_size': 4096,
  },
  mlxArch: 'Qwen3NextForCausalLM',
  mlxTensorCount: 2107,
  blockCount: 48,
  headCount: 16,
  headCountKv: 2,
  headDim: 256,
  embeddingLength: 2048,
  contextLength: 262144,
  cpuMappedMiB: 0,
  prefillTps: 980,
  decodeTps: 58,
  modifiedAt: '2026-11-25T08:12:54.907316+01:00',
});

/** A GGUF coder without a BOS token, so a context shift keeps exactly `--keep 4` tokens. */
export const QWEN_CODER = model({
  name: 'qwen2.5-coder:7b',
  format: 'gguf',
  family: 'qwen2',
  parameterSize: '7.6B',
  quantization: 'Q4_K_M',
  sizeBytes: 4_683_087_332,
  arch: 'qwen2',
  chatTemplate: 'chatml',
  addBos: false,
  blockCount: 28,
  headCount: 28,
  headCountKv: 4,
  headDim: 128,
  embeddingLength: 3584,
  contextLength: 32768,
  cpuMappedMiB: 292.36,
  prefillTps: 900,
  decodeTps: 64,
  modifiedAt: '2026-09-14T16:40:02.385512+02:00',
});

export const MODELS: readonly DemoModel[] = [QWEN_MLX, LLAMA_8B, LLAMA_70B, QWEN_NEXT_MLX, QWEN_CODER];

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
