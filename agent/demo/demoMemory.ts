// The demo's memory probe: a simulated Apple M3 Max with 96 GB, the Mac the simulated Ollama's log
// describes (`total="96.0 GiB"`, a 72 GiB Metal working set). Its samples follow what the simulated
// Ollama has loaded (DemoState) on top of a baseline of macOS and apps, and go through the pressure
// episode the big MLX model starts (./pressure.ts). Nothing is read from the machine the demo runs on.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import type { MemoryProbe } from '../probes/MemoryProbe.js';
import { MEMORY_BYTES, WORKING_SET_BYTES } from './episodes/context.js';
import { episodeSwapBytes, pressureAt, type PressureEpisode } from './pressure.js';
import type { DemoState } from './state.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
/** Apple Silicon's VM page. */
const PAGE_BYTES = 16_384;
/** Swap that was there before the demo (macOS always has a little). */
const BASE_SWAP_BYTES = 256 * MiB;
/** The kernel's own wired memory, before any Metal buffers. */
const BASE_WIRED_BYTES = 2.4 * GiB;
/** Once the episode is over and the model that caused it is gone, its swapped pages are freed over this long. */
const SWAP_FREE_MS = 20_000;

/** The same names the macOS probe reports, all working: the demo has nothing to be missing. */
const PROBES = [
  'sysctl',
  'hw.memsize',
  'kern.memorystatus_vm_pressure_level',
  'vm.swapusage',
  'kern.memorystatus_level',
  'vm_stat',
  'ps',
  'top',
];

export const DEMO_MACHINE: Readonly<MachineInfo> = Object.freeze({
  os: 'darwin',
  osVersion: 'macOS 15.5',
  arch: 'arm64',
  chip: 'Apple M3 Max',
  appleSilicon: true,
  memoryBytes: MEMORY_BYTES,
  // What the macOS probe estimates for a 96 GB Mac (0.75), and what Metal reports in the log.
  gpuBudgetBytes: WORKING_SET_BYTES,
  gpuBudgetSource: 'estimate',
  gpus: [],
});

/** The banner line: the figures on the dashboard are not this machine's. */
export function demoMachineLabel(): string {
  return `simulated ${DEMO_MACHINE.chip}, ${Math.round(MEMORY_BYTES / GiB)} GiB (memory figures are simulated)`;
}

export interface DemoMemoryOptions {
  /** Varies the background noise (apps opening and closing); the episode's timing never varies. */
  seed?: number;
}

/** What a sample depends on besides the time and the state: the probe's memory of earlier samples. */
export interface SwapMemory {
  /** The episode whose swap is held, and when it started being freed (null: still held). */
  episode: PressureEpisode | null;
  freedFromMs: number | null;
  prevSwapBytes: number | null;
}

export function demoMemoryProbe(state: DemoState, opts: DemoMemoryOptions = {}): MemoryProbe {
  const seed = opts.seed ?? 1;
  const memory: SwapMemory = { episode: null, freedFromMs: null, prevSwapBytes: null };
  return {
    machine: () => Promise.resolve({ ...DEMO_MACHINE, gpus: [] }),
    sample: (now) => Promise.resolve(demoSample(state, now, memory, seed)),
    statuses: (): ProbeStatus[] => PROBES.map((name) => ({ name, available: true, detail: null })),
  };
}

/** A smooth, seeded wobble in [-1, 1]: background activity, a pure function of time. */
function wobble(t: number, seed: number, periodMs: number): number {
  const phase = ((seed * 2654435761) >>> 0) / 2 ** 32;
  return Math.sin(2 * Math.PI * (t / periodMs + phase));
}

/** One sample of the simulated Mac at `now`. Updates `memory` (swap held and freed, the swapout delta). */
export function demoSample(state: DemoState, now: Date, memory: SwapMemory, seed = 1): MemorySample {
  const t = now.getTime();
  const total = MEMORY_BYTES;
  let loaded = 0;
  let gpu = 0;
  let overWorkingSet = false;
  for (const l of state.loaded) {
    loaded += l.sizeBytes;
    gpu += l.vramBytes;
    if (l.sizeBytes > WORKING_SET_BYTES) overWorkingSet = true;
  }
  // macOS, a browser, an editor: about 11.5 GiB, drifting.
  const apps = 11.5 * GiB + 0.6 * GiB * wobble(t, seed, 180_000) + 0.2 * GiB * wobble(t, seed + 1, 41_000);

  // The level with no episode: lower the more is loaded (the compressor and file cache lose room).
  const calm = Math.min(72, Math.max(40, 72 - (55 * loaded) / total + wobble(t, seed + 2, 23_000)));
  const ep = state.pressure;
  const reading = pressureAt(ep, t, calm) ?? { level: 'normal' as const, value: calm };
  /** 0 when calm, 1 at the worst of the episode: how much the compressor holds. */
  const stress = Math.min(1, Math.max(0, (60 - reading.value) / 38));

  // Swap: the episode's growth is held until it is over and its model is gone, then freed.
  if (ep !== memory.episode && ep !== null && t >= ep.startMs) {
    memory.episode = ep;
    memory.freedFromMs = null;
  }
  let extraSwap = 0;
  const held = memory.episode;
  if (held) {
    if (memory.freedFromMs === null && t >= held.endMs && !overWorkingSet) memory.freedFromMs = t;
    const left = memory.freedFromMs === null ? 1 : Math.max(0, 1 - (t - memory.freedFromMs) / SWAP_FREE_MS);
    extraSwap = episodeSwapBytes(held, t) * left;
  }
  const swapUsed = Math.round(BASE_SWAP_BYTES + extraSwap);
  // macOS adds swap files of 1 GiB as needed, 2 GiB to begin with.
  const swapTotal = Math.max(2, Math.ceil((swapUsed + 512 * MiB) / GiB)) * GiB;
  const prev = memory.prevSwapBytes;
  memory.prevSwapBytes = swapUsed;

  const compressed = Math.round(0.7 * GiB + stress * 5.5 * GiB);
  // Metal cannot wire more than its working set: the rest of a too-big model is paged.
  const wired = Math.round(BASE_WIRED_BYTES + Math.min(gpu, WORKING_SET_BYTES));
  const used = Math.round(Math.min(total - 0.4 * GiB - (1 - stress) * 0.8 * GiB, apps + loaded + compressed));

  return {
    at: now.toISOString(),
    totalBytes: total,
    usedBytes: used,
    availableBytes: Math.max(0, total - used),
    wiredBytes: wired,
    compressedBytes: compressed,
    swapUsedBytes: swapUsed,
    swapTotalBytes: swapTotal,
    swapoutsDelta: prev === null ? null : Math.max(0, Math.round((swapUsed - prev) / PAGE_BYTES)),
    pressure: reading.level,
    pressureValue: Math.round(reading.value),
    pressureSource: 'macos',
    // `ollama serve` itself plus each runner (MLX reports weights + cache as its footprint).
    ollamaFootprintBytes: Math.round(48 * MiB + loaded),
    ollamaProcesses: 1 + state.loaded.length,
    gpuUsedBytes: null,
    gpuTotalBytes: null,
  };
}
