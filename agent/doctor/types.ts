// `ollama-lens doctor`: what was gathered (DoctorFacts, the I/O side) and what is reported
// (DoctorReport, printed as is by `doctor --json`). Unknown facts are null, never guessed.
import type { MachineInfo, MemorySample, PressureLevel, ProbeStatus } from '../../shared/memory.js';
import type { KvCacheType } from '../../shared/models.js';

/** A log file the agent would follow. */
export interface FileSourceFact {
  kind: 'file';
  path: string;
  /** Something exists at the path. */
  found: boolean;
  /** It is a regular file this process may read. */
  readable: boolean;
  /** `ENOENT`, `EACCES`, `EISDIR` (a directory, not a log file), … when a check failed. */
  error: string | null;
  sizeBytes: number | null;
}

/** A systemd journal the agent would follow (`--journal UNIT`, or chosen automatically on Linux). */
export interface JournalSourceFact {
  kind: 'journal';
  unit: string;
  /** Whether `journalctl` could be run at all; null when not asked. */
  journalctl: boolean | null;
  /** Whether systemd knows `UNIT.service`; null when that could not be asked. */
  installed: boolean | null;
  /** Whether this user sees the unit's entries (not the "insufficient permissions" hint); null when unknown. */
  readable: boolean | null;
  /** What journalctl said, in one line, when it refused or failed. */
  detail: string | null;
}

export type SourceFact = FileSourceFact | JournalSourceFact;

export interface OllamaFact {
  url: string;
  reachable: boolean;
  version: string | null;
  /** Why it is not reachable (`ECONNREFUSED`, `timed out`, `HTTP 404`, …). */
  error: string | null;
}

/** One model of `/api/tags`. */
export interface LocalModelFact {
  name: string;
  /** `safetensors` (an MLX build, served by the MLX runner) or `gguf` (llama.cpp). */
  format: string | null;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  sizeBytes: number | null;
}

/** One model of `/api/ps`, with `/api/show`'s `model_info` for the KV-cache arithmetic. */
export interface LoadedModelFact {
  name: string;
  format: string | null;
  sizeBytes: number | null;
  vramBytes: number | null;
  /** Context per sequence (`context_length`). */
  contextLength: number | null;
  /** `model_info` of `/api/show`, null when it could not be had. */
  modelInfo: Record<string, unknown> | null;
}

/** Everything `doctor` found out; `doctorReport` turns it into checks without any I/O. */
export interface DoctorFacts {
  /** ISO-8601 time of the check. */
  at: string;
  /** `process.platform` of this machine (also in `machine.os` when the probe answered). */
  platform: string;
  machine: MachineInfo | null;
  memory: MemorySample | null;
  /** Which memory probes work here, and why not. */
  probes: ProbeStatus[];
  /** The log sources the agent would follow with these settings, in order. */
  sources: SourceFact[];
  /** `--log` (or OLLAMA_LENS_LOG) was given, so the paths are the user's, not the defaults. */
  logsExplicit: boolean;
  /** The journal was picked because the default log file is missing and the `ollama` unit exists. */
  autoJournal: boolean;
  /** Linux: whether systemd knows an `ollama` unit (null elsewhere or when unknown). */
  ollamaUnit: boolean | null;
  ollama: OllamaFact;
  /** `/api/tags`; null when Ollama could not be asked. */
  models: LocalModelFact[] | null;
  /** `/api/ps`; null when Ollama could not be asked. */
  loaded: LoadedModelFact[] | null;
  /** KV cache element type assumed for the sizing (OLLAMA_KV_CACHE_TYPE where known, else f16). */
  kvCacheType: KvCacheType;
  /** Parallel sequences per loaded model (OLLAMA_NUM_PARALLEL where known); null when unknown. */
  parallel: number | null;
  /**
   * Where those two came from: the `server config` line of the log (what the server really runs
   * with), this shell's environment (a guess: the server may not share it), or Ollama's defaults.
   */
  kvSettingsFrom: 'server config' | 'environment' | 'defaults';
  /** `--expect-mlx` globs. */
  expectMlx: string[];
  /** Parts that did not answer before the deadline (`ollama`, `memory`, `machine`, `journal`…). */
  timedOut: string[];
}

export type CheckSeverity = 'error' | 'warn' | 'info';

export interface DoctorCheck {
  id: string;
  ok: boolean;
  /** What a failure of this check means: only a failed `error` check makes `doctor` exit 1. */
  severity: CheckSeverity;
  title: string;
  detail: string;
  /** What to do about a failure; null when the check passed. */
  fix: string | null;
}

export interface DoctorModel {
  name: string;
  format: string | null;
  /** An MLX build: `safetensors` weights, which Ollama serves with its MLX runner. */
  mlx: boolean;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  sizeBytes: number | null;
}

/** A loaded model with its KV-cache sizing (docs/memory-and-kv.md). */
export interface DoctorLoadedModel {
  name: string;
  format: string | null;
  mlx: boolean;
  sizeBytes: number | null;
  vramBytes: number | null;
  /** Context per sequence allocated. */
  ctx: number | null;
  parallel: number | null;
  cacheType: KvCacheType;
  /** KV bytes each token of context adds. */
  bytesPerToken: number | null;
  /** KV cache estimated for ctx × parallel. */
  kvBytes: number | null;
  /** Memory available now. */
  freeBytes: number | null;
  /** How many more tokens of context the free memory would hold. */
  moreTokens: number | null;
}

/** `ollama-lens doctor --json`. */
export interface DoctorReport {
  /** No check of severity `error` failed: the exit code is 0 exactly when this is true. */
  ok: boolean;
  at: string;
  machine: {
    os: string;
    osVersion: string | null;
    arch: string | null;
    chip: string | null;
    appleSilicon: boolean | null;
    memoryBytes: number | null;
    gpuBudgetBytes: number | null;
  };
  memory: {
    pressure: PressureLevel | null;
    availableBytes: number | null;
    swapUsedBytes: number | null;
    totalBytes: number | null;
    usedBytes: number | null;
  };
  ollama: { url: string; reachable: boolean; version: string | null; error: string | null };
  /** The first log source, with every source in `sources`; `found`/`readable` hold for at least one. */
  log: {
    path: string | null;
    found: boolean;
    readable: boolean;
    sources: { kind: 'file' | 'journal'; path: string; found: boolean | null; readable: boolean | null; detail: string | null }[];
  };
  mlx: {
    /** null when it cannot be told (memory size or model list unknown). */
    eligible: boolean | null;
    /** Why not (empty when eligible). */
    reasons: string[];
    /** Local models that are MLX builds; null when the model list is unknown. */
    models: string[] | null;
  };
  models: DoctorModel[] | null;
  loaded: DoctorLoadedModel[] | null;
  /** What the KV sizing of `loaded` assumed, and where it was read. */
  kvSettings: { cacheType: KvCacheType; parallel: number | null; from: DoctorFacts['kvSettingsFrom'] };
  checks: DoctorCheck[];
}
