import { describe, expect, it } from 'vitest';
import { machineView, memoryView, pressureValueText, probeNote } from '../../dashboard/src/lib/memoryLabels.js';
import { machine, memorySample } from './fixtures.js';

const GiB = 1024 ** 3;

describe('memoryView', () => {
  it('says "Memory: unknown" before the first sample', () => {
    const view = memoryView(null);
    expect(view.text).toBe('Memory: unknown');
    expect(view.tone).toBe('neutral');
  });

  it('spells out the macOS pressure level with the free % behind it, used/total and swap', () => {
    const view = memoryView(memorySample());
    expect(view.text).toBe('Memory: normal (free 62%) · 41.2 / 64.0 GiB used · swap 1.3 GiB');
    expect(view.tone).toBe('ok');
    expect(view.title).toContain('kern.memorystatus_level: 62% free');
    expect(view.title).toContain('Swap used 1.3 GiB of 4.0 GiB');
    expect(view.title).toContain('Ollama (2 processes): 18.0 GiB');
  });

  it('names warn and critical in words, not only in colour', () => {
    const warn = memoryView(memorySample({ pressure: 'warn', pressureValue: 18 }));
    expect(warn.text).toMatch(/^Memory: warning \(free 18%\)/);
    expect(warn.tone).toBe('warn');
    const critical = memoryView(memorySample({ pressure: 'critical', pressureValue: 4 }));
    expect(critical.text).toMatch(/^Memory: critical \(free 4%\)/);
    expect(critical.tone).toBe('error');
  });

  it('shows Linux PSI, "no swap" when none is configured, and "—" for what the probe missed', () => {
    const linux = memorySample({
      pressureSource: 'psi',
      pressureValue: 3.24,
      swapUsedBytes: 0,
      swapTotalBytes: 0,
      usedBytes: null,
      wiredBytes: null,
      compressedBytes: null,
    });
    expect(memoryView(linux).text).toBe('Memory: normal (PSI 3.2%) · — / 64.0 GiB used · no swap');
    expect(memoryView(linux).title).toContain('/proc/pressure/memory some avg10: stalled 3.2% of the time');
    expect(memoryView(linux).title).toContain('No swap configured');
    expect(memoryView(memorySample({ ollamaProcesses: 0, ollamaFootprintBytes: 0 })).title).toContain('No Ollama process seen');
    expect(memoryView(memorySample({ pressureSource: 'cgroup-psi', pressureValue: 0 })).text).toMatch(/\(PSI 0\.0%\)/);
    const blind = memoryView(memorySample({ pressure: null, pressureValue: null, pressureSource: null, swapUsedBytes: null }));
    expect(blind.text).toBe('Memory: pressure unknown · 41.2 / 64.0 GiB used · swap —');
    expect(blind.tone).toBe('neutral');
  });

  it('has no number behind the level when the value or its source is unknown', () => {
    expect(pressureValueText({ pressureValue: null, pressureSource: 'macos' })).toBeNull();
    expect(pressureValueText({ pressureValue: 50, pressureSource: null })).toBeNull();
    expect(pressureValueText({ pressureValue: 61.6, pressureSource: 'macos' })).toBe('free 62%');
  });
});

describe('machineView', () => {
  it('shows chip and memory', () => {
    const view = machineView(machine());
    expect(view.text).toBe('Apple M3 Max · 64 GiB');
    expect(view.title).toContain('macOS 15.5');
    expect(view.title).toContain('GPU budget 48.0 GiB (estimated from RAM)');
  });

  it('adds a discrete GPU, falls back to the architecture, and never shows 0 for unknown memory', () => {
    const pc = machine({
      os: 'linux',
      osVersion: null,
      arch: 'x64',
      chip: null,
      appleSilicon: false,
      memoryBytes: null,
      gpus: [
        { name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24 * GiB },
        { name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24 * GiB },
      ],
    });
    expect(machineView(pc).text).toBe('x64 · memory — · NVIDIA GeForce RTX 4090 24 GiB +1');
    expect(machineView(null).text).toBe('Machine: unknown');
  });
});

describe('probeNote', () => {
  it('lists the probes that are not available here, with the reasons in the tooltip', () => {
    expect(probeNote([])).toBeNull();
    expect(probeNote([{ name: 'vm_stat', available: true, detail: null }])).toBeNull();
    const note = probeNote([
      { name: 'vm_stat', available: true, detail: null },
      { name: 'nvidia-smi', available: false, detail: 'nvidia-smi is not installed' },
      { name: 'psi', available: false, detail: null },
    ]);
    expect(note?.text).toBe('not available here: nvidia-smi, psi');
    expect(note?.title).toBe('nvidia-smi: nvidia-smi is not installed\npsi');
  });
});
