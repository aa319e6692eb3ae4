// What the machine says: memory samples, the machine's hardware facts and which probes work here.
// Sizes are bytes; anything a probe could not read is null, never 0.

export type PressureLevel = 'normal' | 'warn' | 'critical';

/** One poll of the memory probes (docs/records.md#memorysample). */
export interface MemorySample {
  /** ISO-8601 UTC time of the poll. */
  at: string;
  totalBytes: number | null;
  /**
   * Memory in use. macOS: app (anonymous − purgeable, else active) + wired + compressor, as
   * Activity Monitor counts "Memory Used"; Linux: MemTotal − MemAvailable.
   */
  usedBytes: number | null;
  /** What can still be had without swapping: Linux MemAvailable; macOS total − used. */
  availableBytes: number | null;
  wiredBytes: number | null;
  /** Physical memory the macOS compressor occupies. */
  compressedBytes: number | null;
  swapUsedBytes: number | null;
  swapTotalBytes: number | null;
  /** Pages swapped out since the previous sample (macOS vm_stat delta), null on the first sample. */
  swapoutsDelta: number | null;
  pressure: PressureLevel | null;
  /**
   * The number behind `pressure`: macOS `kern.memorystatus_level` (free %, lower is worse);
   * Linux PSI `some avg10` (% of time stalled, higher is worse). See `pressureSource`.
   */
  pressureValue: number | null;
  pressureSource: 'macos' | 'psi' | 'cgroup-psi' | null;
  /** Sum of the Ollama processes' footprint (macOS phys_footprint incl. Metal; Linux RSS). */
  ollamaFootprintBytes: number | null;
  /** Ollama processes seen (serve, runner, llama-server, ollama_llama_server). */
  ollamaProcesses: number | null;
  /** NVIDIA GPUs (sum over devices) when nvidia-smi answers. */
  gpuUsedBytes: number | null;
  gpuTotalBytes: number | null;
}

/** Facts that do not change while the agent runs, read once at start. */
export interface MachineInfo {
  /** `darwin`, `linux`, `win32`… (Node's `process.platform`). */
  os: string;
  /** Human OS name and version when known (`macOS 15.5`, `Debian GNU/Linux 12`). */
  osVersion: string | null;
  arch: string;
  /** `Apple M3 Max`, or the CPU model on other machines. */
  chip: string | null;
  appleSilicon: boolean;
  memoryBytes: number | null;
  /** The GPU budget: `iogpu.wired_limit_mb` override, else an estimate from RAM (see `gpuBudgetSource`). */
  gpuBudgetBytes: number | null;
  gpuBudgetSource: 'sysctl' | 'estimate' | 'nvidia' | null;
  gpus: { name: string; memoryTotalBytes: number | null }[];
}

/** One probe and whether it works on this machine; "not available here" is reported once. */
export interface ProbeStatus {
  name: string;
  available: boolean;
  /** Why not, or the last error, in one sentence. */
  detail: string | null;
}

export interface MemoryState {
  machine: MachineInfo | null;
  latest: MemorySample | null;
  probes: ProbeStatus[];
}
