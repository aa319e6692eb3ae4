import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';

/**
 * One platform's way of reading memory. Implementations never reject because one command or file
 * failed: the fields that depended on it are null and {@link statuses} says why.
 */
export interface MemoryProbe {
  /** Facts read once at start (chip, RAM, GPU budget, OS version). */
  machine(): Promise<MachineInfo>;
  /** One poll; `now` becomes the sample's `at`. */
  sample(now: Date): Promise<MemorySample>;
  statuses(): ProbeStatus[];
}

/** A sample with nothing read yet; probes fill in what they can. */
export function emptySample(now: Date): MemorySample {
  return {
    at: now.toISOString(),
    totalBytes: null,
    usedBytes: null,
    availableBytes: null,
    wiredBytes: null,
    compressedBytes: null,
    swapUsedBytes: null,
    swapTotalBytes: null,
    swapoutsDelta: null,
    pressure: null,
    pressureValue: null,
    pressureSource: null,
    ollamaFootprintBytes: null,
    ollamaProcesses: null,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
  };
}
