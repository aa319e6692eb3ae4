// Result types of the pure memory/hardware probe parsers. Sizes are always bytes, so callers never
// have to remember which command spoke MiB, KiB or pages.

/** The three states the dashboard colours by; macOS reports them directly, Linux PSI is mapped. */
export type PressureLevel = 'normal' | 'warn' | 'critical';

/** `sysctl vm.swapusage`. macOS grows and shrinks swap files, so `totalBytes` moves too. */
export interface SwapUsage {
  totalBytes: number;
  usedBytes: number;
  freeBytes: number;
  encrypted: boolean;
}

/** `vm_stat`, page counts already multiplied by the page size from its header. */
export interface VmStat {
  pageSize: number;
  freeBytes: number;
  activeBytes: number;
  inactiveBytes: number;
  speculativeBytes: number;
  wiredBytes: number;
  /** Physical RAM the compressor occupies ("Pages occupied by compressor"), not what it stores. */
  compressorBytes: number;
  purgeableBytes: number;
  /** Needed for Activity Monitor's "App Memory" (anonymous − purgeable); null when not printed. */
  anonymousBytes: number | null;
  /** Cumulative since boot: only the delta between two samples means anything. */
  swapins: number | null;
  swapouts: number | null;
}

/** `sysctl iogpu.wired_limit_mb`. */
export interface GpuWiredLimit {
  /** The override in bytes; null when the sysctl says 0, i.e. Metal's own default applies. */
  limitBytes: number | null;
}

/** One row of `top -l 1 -pid … -stats pid,mem`: phys_footprint, which includes Metal buffers. */
export interface ProcessFootprint {
  pid: number;
  footprintBytes: number;
}

/** One line of a PSI file; averages are percentages of wall time, `totalUs` is microseconds. */
export interface PsiLine {
  avg10: number;
  avg60: number;
  avg300: number;
  totalUs: number;
}

/** `/proc/pressure/memory` or a cgroup v2 `memory.pressure`. */
export interface Psi {
  some: PsiLine;
  /** Null only when a kernel prints no `full` line (memory always has one, cpu did not before 5.13). */
  full: PsiLine | null;
}

/** `/proc/meminfo`. Fields a kernel may not print are null rather than guessed. */
export interface Meminfo {
  totalBytes: number;
  freeBytes: number;
  /** MemAvailable (Linux ≥ 3.14): the figure to alert on, not MemFree. */
  availableBytes: number | null;
  buffersBytes: number | null;
  cachedBytes: number | null;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
}

/** One GPU from `nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits`. */
export interface NvidiaGpu {
  name: string;
  /** Null when the driver prints `[N/A]`: unified-memory parts (GB10) have no framebuffer of their own. */
  memoryTotalBytes: number | null;
  memoryUsedBytes: number | null;
}
