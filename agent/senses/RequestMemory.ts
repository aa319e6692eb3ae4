// What the live agent adds to each request as it is stored: the memory its load held (/api/ps size)
// and the machine sample nearest its end. Both are kept in memory, fed from the bus, so storing a
// request costs no query (the store's hot path).
import type { MemorySample } from '../../shared/memory.js';
import type { LoadRecord, RequestLiveMemory } from '../../shared/records.js';
import { NO_LIVE_MEMORY } from '../store/requestRows.js';
import { nearestSample, type TimedSample } from './nearestSample.js';

/** Samples kept: enough to answer for requests that ended a few intervals ago. */
const KEPT_SAMPLES = 8;
/** Load sizes kept; refilled as the API lists loads again. */
const KEPT_LOADS = 256;

export class RequestMemory {
  private readonly samples: TimedSample<MemorySample>[] = [];
  private readonly loadSizes = new Map<number, number>();

  constructor(private readonly intervalMs: number) {}

  noteSample(sample: MemorySample): void {
    const ts = Date.parse(sample.at);
    if (!Number.isFinite(ts)) return;
    this.samples.push({ ts, sample });
    if (this.samples.length > KEPT_SAMPLES) this.samples.shift();
  }

  noteLoad(load: LoadRecord): void {
    if (load.sizeBytes === null) {
      this.loadSizes.delete(load.id);
      return;
    }
    if (this.loadSizes.size >= KEPT_LOADS && !this.loadSizes.has(load.id)) this.loadSizes.delete(this.loadSizes.keys().next().value!);
    this.loadSizes.set(load.id, load.sizeBytes);
  }

  /** For a request that ended at `tsMs` on load `loadId`. */
  forRequest(tsMs: number, loadId: number | null): RequestLiveMemory {
    const size = loadId === null ? undefined : this.loadSizes.get(loadId);
    const s = nearestSample(this.samples, tsMs, this.intervalMs);
    if (s === null && size === undefined) return NO_LIVE_MEMORY;
    return {
      modelMemoryBytes: size ?? null,
      memoryUsedBytes: s?.usedBytes ?? null,
      memoryPressure: s?.pressure ?? null,
      swapUsedBytes: s?.swapUsedBytes ?? null,
      ollamaFootprintBytes: s?.ollamaFootprintBytes ?? null,
    };
  }
}
