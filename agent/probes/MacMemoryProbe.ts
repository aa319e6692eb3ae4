// macOS memory through the stock tools (sysctl, vm_stat, ps, top, sw_vers): no native addon, no sudo.
// Why each source was chosen: docs/memory-and-kv.md.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import { stdoutDespiteExit, type CommandRunner } from './commandRunner.js';
import { parseMacCpuBrand } from './macCpuBrand.js';
import { parseMacMemoryLevel } from './macMemoryLevel.js';
import { parseMacMemsize } from './macMemsize.js';
import { parseMacPressureLevel } from './macPressureLevel.js';
import { parseMacSwapUsage } from './macSwapUsage.js';
import { parseTopFootprints } from './macTopFootprint.js';
import { parseMacWiredLimit } from './macWiredLimit.js';
import { emptySample, type MemoryProbe } from './MemoryProbe.js';
import { ProbeTracker } from './ProbeTracker.js';
import { ollamaProcesses, parsePsList, PS_ARGS } from './psList.js';
import type { VmStat } from './types.js';
import { parseVmStat } from './vmStat.js';

const SYSCTL = '/usr/sbin/sysctl';
const VM_STAT = '/usr/bin/vm_stat';
const PS = '/bin/ps';
const TOP = '/usr/bin/top';
const SW_VERS = '/usr/bin/sw_vers';

// One sysctl call per poll, in the `name: value` form so each value is found by name. A name the
// kernel lacks makes sysctl exit non-zero; depending on the build it either skips that name or stops
// there. So the names every supported macOS has come first and the one older XNU lacks
// (`kern.memorystatus_level`, embedded-only in some 2018–2019 trees) comes last: either way the
// others are printed, and they are read from stdout despite the exit status.
const SAMPLE_OIDS = ['hw.memsize', 'kern.memorystatus_vm_pressure_level', 'vm.swapusage', 'kern.memorystatus_level'];
// `iogpu.wired_limit_mb` does not exist on Intel Macs (nor before macOS 14), hence last.
const MACHINE_OIDS = ['hw.memsize', 'machdep.cpu.brand_string', 'iogpu.wired_limit_mb'];
// `top -l 1` takes about a second on its own and walks the process table.
const TOP_TIMEOUT_MS = 5000;

const GIB = 1024 ** 3;

/**
 * Metal's default GPU working-set limit (`recommendedMaxWorkingSetSize`) as a share of RAM, for when
 * `iogpu.wired_limit_mb` is 0. Apple does not publish the rule; these bands come from the values
 * ggml logs at start-up: 16–32 GB machines report 2/3, 36, 48, 64 and 96 GB ones 3/4, a 128 GB M5 Max
 * 0.84. The cut-offs sit between the sizes Apple sells (32|36, 96|128) so an odd `hw.memsize` (firmware carve-
 * outs, reports of 35,424,890,257 bytes on a "32 GB" mini) still lands in its machine's band.
 */
export function estimateGpuBudget(memoryBytes: number): number {
  const gib = memoryBytes / GIB;
  const share = gib < 34 ? 2 / 3 : gib < 112 ? 0.75 : 0.84;
  return Math.floor(memoryBytes * share);
}

/** `sw_vers -productVersion` → `macOS 15.5`. */
export function parseProductVersion(stdout: string): string | null {
  const v = stdout.trim();
  return /^\d+(?:\.\d+)*$/.test(v) ? `macOS ${v}` : null;
}

/** Activity Monitor's "Memory Used": app (anonymous − purgeable, else active) + wired + compressor. */
export function macUsedBytes(vm: VmStat): number {
  const app = vm.anonymousBytes !== null ? Math.max(0, vm.anonymousBytes - vm.purgeableBytes) : vm.activeBytes;
  return app + vm.wiredBytes + vm.compressorBytes;
}

export interface MacMemoryProbeOptions {
  run: CommandRunner;
  /** Node's `process.arch`; `arm64` plus an `Apple …` brand is Apple Silicon. */
  arch: string;
  log: (line: string) => void;
}

export class MacMemoryProbe implements MemoryProbe {
  private readonly tracker: ProbeTracker;
  // vm_stat's Swapouts is cumulative since boot: only the step between two polls says something.
  private prevSwapouts: number | null = null;

  constructor(private readonly opts: MacMemoryProbeOptions) {
    this.tracker = new ProbeTracker(opts.log);
  }

  statuses(): ProbeStatus[] {
    return this.tracker.statuses();
  }

  async machine(): Promise<MachineInfo> {
    const [sysctl, osVersion] = await Promise.all([
      this.sysctl(MACHINE_OIDS),
      // The OS name is a label, not a memory probe: a failure leaves it null without a status.
      this.opts.run(SW_VERS, ['-productVersion']).then(parseProductVersion, () => null),
    ]);
    const memoryBytes = sysctl === null ? null : this.oid('hw.memsize', parseMacMemsize(sysctl));
    const chip = sysctl === null ? null : parseMacCpuBrand(sysctl);
    const appleSilicon = this.opts.arch === 'arm64' && chip !== null && /^Apple\b/.test(chip);

    let gpuBudgetBytes: number | null = null;
    let gpuBudgetSource: MachineInfo['gpuBudgetSource'] = null;
    // Intel Macs have discrete or integrated GPUs with their own limits; the unified-memory budget
    // (and its sysctl) only exists on Apple Silicon.
    if (appleSilicon) {
      const limit = sysctl === null ? null : this.oid('iogpu.wired_limit_mb', parseMacWiredLimit(sysctl));
      if (limit !== null && limit.limitBytes !== null) {
        gpuBudgetBytes = limit.limitBytes;
        gpuBudgetSource = 'sysctl';
      } else if (memoryBytes !== null) {
        gpuBudgetBytes = estimateGpuBudget(memoryBytes);
        gpuBudgetSource = 'estimate';
      }
    }
    return {
      os: 'darwin',
      osVersion,
      arch: this.opts.arch,
      chip,
      appleSilicon,
      memoryBytes,
      gpuBudgetBytes,
      gpuBudgetSource,
      gpus: [],
    };
  }

  async sample(now: Date): Promise<MemorySample> {
    const [sysctl, vm, ollama] = await Promise.all([
      this.sysctl(SAMPLE_OIDS),
      this.tracker.attempt('vm_stat', async () => parseVmStat(await this.opts.run(VM_STAT, []))),
      this.ollama(),
    ]);
    const s = emptySample(now);

    if (sysctl !== null) {
      s.totalBytes = this.oid('hw.memsize', parseMacMemsize(sysctl));
      s.pressure = this.oid('kern.memorystatus_vm_pressure_level', parseMacPressureLevel(sysctl));
      s.pressureValue = this.oid('kern.memorystatus_level', parseMacMemoryLevel(sysctl));
      s.pressureSource = s.pressure !== null || s.pressureValue !== null ? 'macos' : null;
      const swap = this.oid('vm.swapusage', parseMacSwapUsage(sysctl));
      s.swapTotalBytes = swap?.totalBytes ?? null;
      s.swapUsedBytes = swap?.usedBytes ?? null;
    }

    if (vm !== null) {
      s.usedBytes = macUsedBytes(vm);
      s.wiredBytes = vm.wiredBytes;
      s.compressedBytes = vm.compressorBytes;
      if (s.totalBytes !== null) s.availableBytes = Math.max(0, s.totalBytes - s.usedBytes);
    }
    s.swapoutsDelta = this.swapoutsDelta(vm?.swapouts ?? null);

    s.ollamaProcesses = ollama.count;
    s.ollamaFootprintBytes = ollama.footprintBytes;
    return s;
  }

  /** The command's stdout (even after a non-zero exit caused by an unknown name), or null. */
  private sysctl(names: readonly string[]): Promise<string | null> {
    return this.tracker.attempt('sysctl', () => stdoutDespiteExit(this.opts.run, SYSCTL, names));
  }

  /** One name out of a sysctl call that ran: tracked on its own so one missing OID is visible. */
  private oid<T>(name: string, value: T | null): T | null {
    if (value === null) this.tracker.fail(name, `sysctl printed no usable ${name}`);
    else this.tracker.ok(name);
    return value;
  }

  private swapoutsDelta(swapouts: number | null): number | null {
    const prev = this.prevSwapouts;
    if (swapouts !== null) this.prevSwapouts = swapouts;
    // A counter that went backwards means a reboot or a wrap, not negative swapping.
    return swapouts === null || prev === null || swapouts < prev ? null : swapouts - prev;
  }

  /**
   * Ollama processes from ps, their footprint from top: ps RSS misses Metal buffers, top's MEM is
   * phys_footprint, which includes them. No top call when nothing of Ollama runs.
   */
  private async ollama(): Promise<{ count: number | null; footprintBytes: number | null }> {
    const rows = await this.tracker.attempt('ps', async () => parsePsList(await this.opts.run(PS, PS_ARGS)));
    if (rows === null) return { count: null, footprintBytes: null };
    const procs = ollamaProcesses(rows);
    if (procs.length === 0) return { count: 0, footprintBytes: 0 };

    const args = ['-l', '1', '-stats', 'pid,mem', ...procs.flatMap((p) => ['-pid', String(p.pid)])];
    const footprints = await this.tracker.attempt('top', async () =>
      parseTopFootprints(await this.opts.run(TOP, args, { timeoutMs: TOP_TIMEOUT_MS })),
    );
    if (footprints === null) return { count: procs.length, footprintBytes: null };
    // A pid that exited between ps and top simply has no row; only the asked-for pids are summed.
    const wanted = new Set(procs.map((p) => p.pid));
    const footprintBytes = footprints.filter((f) => wanted.has(f.pid)).reduce((sum, f) => sum + f.footprintBytes, 0);
    return { count: procs.length, footprintBytes };
  }
}
