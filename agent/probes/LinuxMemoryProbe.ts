// Linux memory from procfs/sysfs (PSI, meminfo), ps and, when installed, nvidia-smi.
// Why these sources: docs/memory-and-kv.md.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import { CommandError, type CommandRunner, type FileReader } from './commandRunner.js';
import { parseCgroupV2Path, parseCpuModel, parseOsPrettyName } from './linuxFiles.js';
import { parseMeminfo } from './meminfo.js';
import { emptySample, type MemoryProbe } from './MemoryProbe.js';
import { parseNvidiaSmi } from './nvidiaSmi.js';
import { ProbeTracker } from './ProbeTracker.js';
import { ollamaProcesses, parsePsList, PS_ARGS } from './psList.js';
import { parsePsi, psiPressureLevel } from './psi.js';
import type { NvidiaGpu, Psi } from './types.js';

const MEMINFO = '/proc/meminfo';
const SYSTEM_PSI = '/proc/pressure/memory';
const SELF_CGROUP = '/proc/self/cgroup';
const CGROUP_ROOT = '/sys/fs/cgroup';
const NVIDIA_ARGS = ['--query-gpu=name,memory.total,memory.used', '--format=csv,noheader,nounits'];
// nvidia-smi can take over a second when the driver is not kept loaded (no persistence mode).
const NVIDIA_TIMEOUT_MS = 5000;

export interface LinuxMemoryProbeOptions {
  run: CommandRunner;
  readFile: FileReader;
  arch: string;
  log: (line: string) => void;
}

export class LinuxMemoryProbe implements MemoryProbe {
  private readonly tracker: ProbeTracker;
  // A machine without nvidia-smi will not grow one between polls: stop spawning it after ENOENT.
  private nvidiaMissing = false;

  constructor(private readonly opts: LinuxMemoryProbeOptions) {
    this.tracker = new ProbeTracker(opts.log);
  }

  statuses(): ProbeStatus[] {
    return this.tracker.statuses();
  }

  async machine(): Promise<MachineInfo> {
    const [meminfo, chip, osVersion, gpus] = await Promise.all([
      this.meminfo(),
      // Labels, not memory probes: a failure leaves them null without a status line.
      this.opts.readFile('/proc/cpuinfo').then(parseCpuModel, () => null),
      this.osVersion(),
      this.nvidia(),
    ]);
    const totals = gpus?.map((g) => g.memoryTotalBytes) ?? [];
    const budget = sumAll(totals);
    return {
      os: 'linux',
      osVersion,
      arch: this.opts.arch,
      chip,
      appleSilicon: false,
      memoryBytes: meminfo?.totalBytes ?? null,
      gpuBudgetBytes: budget !== null && budget > 0 ? budget : null,
      gpuBudgetSource: budget !== null && budget > 0 ? 'nvidia' : null,
      gpus: (gpus ?? []).map((g) => ({ name: g.name, memoryTotalBytes: g.memoryTotalBytes })),
    };
  }

  async sample(now: Date): Promise<MemorySample> {
    // ps first: the pressure that matters is that of Ollama's own cgroup (e.g. ollama.service).
    const ollama = await this.ollama();
    const [pressure, meminfo, gpus] = await Promise.all([this.pressure(ollama?.servePid ?? null), this.meminfo(), this.nvidia()]);
    const s = emptySample(now);

    if (pressure !== null) {
      s.pressure = psiPressureLevel(pressure.psi);
      s.pressureValue = pressure.psi.some.avg10;
      s.pressureSource = pressure.source;
    }
    if (meminfo !== null) {
      s.totalBytes = meminfo.totalBytes;
      // Without MemAvailable (kernels before 3.14) there is no honest "used": MemFree ignores the
      // reclaimable cache and would cry wolf, so both stay null.
      s.availableBytes = meminfo.availableBytes;
      s.usedBytes = meminfo.availableBytes === null ? null : Math.max(0, meminfo.totalBytes - meminfo.availableBytes);
      s.swapTotalBytes = meminfo.swapTotalBytes;
      s.swapUsedBytes =
        meminfo.swapTotalBytes === null || meminfo.swapFreeBytes === null
          ? null
          : Math.max(0, meminfo.swapTotalBytes - meminfo.swapFreeBytes);
    }
    s.ollamaProcesses = ollama?.count ?? null;
    s.ollamaFootprintBytes = ollama?.rssBytes ?? null;
    if (gpus !== null) {
      s.gpuUsedBytes = sumAll(gpus.map((g) => g.memoryUsedBytes));
      s.gpuTotalBytes = sumAll(gpus.map((g) => g.memoryTotalBytes));
    }
    return s;
  }

  private meminfo() {
    return this.tracker.attempt('meminfo', async () => parseMeminfo(await this.opts.readFile(MEMINFO)), `unexpected content in ${MEMINFO}`);
  }

  /**
   * The system's PSI and, when Ollama (else the agent) runs in a cgroup of its own (a systemd
   * service, a container), that cgroup's: its limit is what the processes in it hit first, so it wins.
   */
  private async pressure(ollamaPid: number | null): Promise<{ psi: Psi; source: 'psi' | 'cgroup-psi' } | null> {
    const cgroup = await this.cgroup(ollamaPid);
    const cgroupFile = cgroup === null ? null : `${CGROUP_ROOT}${cgroup}/memory.pressure`;
    const readPsi = (file: string) => async () => parsePsi(await this.opts.readFile(file));
    const [system, own] = await Promise.all([
      this.tracker.attempt('psi', readPsi(SYSTEM_PSI), `unexpected content in ${SYSTEM_PSI}`),
      cgroupFile === null ? null : this.tracker.attempt('cgroup psi', readPsi(cgroupFile), `unexpected content in ${cgroupFile}`),
    ]);
    if (own !== null) return { psi: own, source: 'cgroup-psi' };
    return system === null ? null : { psi: system, source: 'psi' };
  }

  /** Read every poll (one small file): Ollama restarts, and may come back in another cgroup. */
  private async cgroup(ollamaPid: number | null): Promise<string | null> {
    const files = ollamaPid === null ? [SELF_CGROUP] : [`/proc/${ollamaPid}/cgroup`, SELF_CGROUP];
    for (const file of files) {
      try {
        return parseCgroupV2Path(await this.opts.readFile(file));
      } catch {
        // Ollama's may be unreadable (another user's process) or gone: try the next one.
      }
    }
    // No cgroup file at all (odd sandboxes): the system's PSI is used.
    return null;
  }

  private async ollama(): Promise<{ count: number; rssBytes: number; servePid: number | null } | null> {
    const rows = await this.tracker.attempt('ps', async () => parsePsList(await this.opts.run('ps', PS_ARGS)));
    if (rows === null) return null;
    const procs = ollamaProcesses(rows);
    // Linux has no phys_footprint; RSS is the closest, and with CUDA the weights live in VRAM anyway.
    const servePid = procs.find((p) => p.role === 'serve')?.pid ?? null;
    return { count: procs.length, rssBytes: procs.reduce((sum, p) => sum + p.rssBytes, 0), servePid };
  }

  private async nvidia(): Promise<NvidiaGpu[] | null> {
    if (this.nvidiaMissing) return null;
    return this.tracker.attempt('nvidia-smi', async () => {
      try {
        return parseNvidiaSmi(await this.opts.run('nvidia-smi', NVIDIA_ARGS, { timeoutMs: NVIDIA_TIMEOUT_MS }));
      } catch (err) {
        if (err instanceof CommandError && err.code === 'ENOENT') this.nvidiaMissing = true;
        throw err;
      }
    });
  }

  private async osVersion(): Promise<string | null> {
    // os-release(5): /etc/os-release, falling back to /usr/lib/os-release.
    for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
      try {
        return parseOsPrettyName(await this.opts.readFile(file));
      } catch {
        // try the next one
      }
    }
    return null;
  }
}

/** Sum over devices, null if any device has no figure: a partial sum would look like a real total. */
function sumAll(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0);
}
