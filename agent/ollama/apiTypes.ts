// Ollama HTTP API bodies as the agent keeps them, after parseApi.ts has checked every field.
// camelCase, and `null` wherever Ollama left a field out (older versions omit several).
import type { KvGeometry } from '../kv/kvGeometry.js';

/** `details` of /api/ps, /api/tags and /api/show (Go `api.ModelDetails`). */
export interface ModelDetails {
  parentModel: string | null;
  /** `gguf` (llama.cpp / Ollama engine) or `safetensors` (MLX runner). */
  format: string | null;
  family: string | null;
  families: string[] | null;
  parameterSize: string | null;
  quantizationLevel: string | null;
}

/** GET /api/version */
export interface VersionResponse {
  version: string;
}

/** One entry of GET /api/ps (Go `api.ProcessModelResponse`). */
export interface PsModel {
  name: string;
  model: string;
  digest: string | null;
  sizeBytes: number | null;
  vramBytes: number | null;
  /** Context per sequence the runner was started with; absent before mid-2025 (ollama#11331). */
  contextLength: number | null;
  /** RFC 3339, as Ollama wrote it (with its own zone offset). */
  expiresAt: string | null;
  details: ModelDetails;
}

/** One entry of GET /api/tags (Go `api.ListModelResponse`). */
export interface TagModel {
  name: string;
  model: string;
  modifiedAt: string | null;
  sizeBytes: number | null;
  digest: string | null;
  details: ModelDetails;
}

/** POST /api/show (Go `api.ShowResponse`), the parts the agent uses. */
export interface ShowResponse {
  details: ModelDetails;
  /**
   * Flattened GGUF key/values. Values are left unchecked here (numbers, strings, arrays, and arrays
   * blanked to `[]`/`null` unless `verbose`); kvGeometry.ts validates the ones it reads.
   * Absent before Ollama 0.3 and for some non-GGUF models.
   */
  modelInfo: Record<string, unknown> | null;
  modelfile: string | null;
  capabilities: string[] | null;
  modifiedAt: string | null;
}

/** What the agent learned from one /api/show of one model. */
export interface ShowInfo {
  name: string;
  /** Manifest digest, when the caller knew it (from /api/ps or /api/tags). */
  digest: string | null;
  /** `general.architecture` from model_info. */
  architecture: string | null;
  /** `sha256-<64 hex>` weights blob from the modelfile's FROM line. */
  blob: string | null;
  format: string | null;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  capabilities: string[];
  geometry: KvGeometry | null;
  /** Whether this came from a `verbose: true` show (needed when per-layer arrays were blanked). */
  verbose: boolean;
}
