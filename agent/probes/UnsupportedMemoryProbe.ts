// Windows, the BSDs…: nothing is read, and the dashboard is told so once instead of showing zeros.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import { emptySample, type MemoryProbe } from './MemoryProbe.js';

export class UnsupportedMemoryProbe implements MemoryProbe {
  private readonly status: ProbeStatus;

  constructor(
    private readonly platform: string,
    private readonly arch: string,
    log: (line: string) => void,
  ) {
    this.status = { name: 'memory', available: false, detail: `memory probes are not available on ${platform}` };
    log(this.status.detail ?? '');
  }

  machine(): Promise<MachineInfo> {
    return Promise.resolve({
      os: this.platform,
      osVersion: null,
      arch: this.arch,
      chip: null,
      appleSilicon: false,
      memoryBytes: null,
      gpuBudgetBytes: null,
      gpuBudgetSource: null,
      gpus: [],
    });
  }

  sample(now: Date): Promise<MemorySample> {
    return Promise.resolve(emptySample(now));
  }

  statuses(): ProbeStatus[] {
    return [{ ...this.status }];
  }
}
