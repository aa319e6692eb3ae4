// The machine sense: polls the memory probe, stores each sample (persist, then publish) and reads the
// machine's fixed facts once. Old samples are rolled up and deleted by retention, not here.
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import type { Bus } from '../bus.js';
import { errorText, log } from '../log.js';
import { MemoryPoller } from '../probes/MemoryPoller.js';
import type { MemoryProbe } from '../probes/MemoryProbe.js';
import type { MemorySampleStore } from '../store/MemorySampleStore.js';

export interface MemorySenseDeps {
  probe: MemoryProbe;
  store: MemorySampleStore;
  bus: Bus;
  intervalMs: number;
  now: () => Date;
  /** Runs `fn`, reporting instead of throwing (a full disk costs one sample, never the agent). */
  guarded: (what: string, fn: () => void) => void;
  /** The machine facts arrived, or which probes work changed. */
  onStatusChange: () => void;
}

export class MemorySense {
  private machineInfo: MachineInfo | null = null;
  private latestSample: MemorySample | null = null;
  private readonly sampleListeners: ((sample: MemorySample) => void)[] = [];
  private lastProbes = '';
  private readonly poller: MemoryPoller;

  constructor(private readonly d: MemorySenseDeps) {
    this.poller = new MemoryPoller({
      probe: d.probe,
      intervalMs: d.intervalMs,
      now: d.now,
      onSample: (sample) => d.guarded('memory sample not stored', () => this.store(sample)),
      onError: (err) => log.warn(`memory poll failed: ${errorText(err)}`),
    });
  }

  machine(): MachineInfo | null {
    return this.machineInfo;
  }

  latest(): MemorySample | null {
    return this.latestSample;
  }

  probes(): ProbeStatus[] {
    return this.d.probe.statuses();
  }

  /** Runs `listener` after each sample is stored and published (a part made after this sense listens so). */
  afterSample(listener: (sample: MemorySample) => void): void {
    this.sampleListeners.push(listener);
  }

  start(): void {
    this.poller.start();
    // A probe that fails leaves its facts null (MemoryProbe never rejects for that).
    void this.d.probe.machine().then(
      (m) => {
        this.machineInfo = m;
        this.d.onStatusChange();
      },
      (err: unknown) => log.warn(`machine facts unavailable: ${errorText(err)}`),
    );
  }

  stop(): void {
    this.poller.stop();
  }

  private store(sample: MemorySample): void {
    this.latestSample = sample;
    this.d.store.insert(sample);
    this.d.bus.publish({ type: 'memory', sample });
    for (const listener of this.sampleListeners) listener(sample);
    const probes = JSON.stringify(this.d.probe.statuses());
    if (probes !== this.lastProbes) {
      this.lastProbes = probes;
      this.d.onStatusChange();
    }
  }
}
