import { describe, expect, it } from 'vitest';
import { createMemoryProbe } from '../../../agent/probes/createMemoryProbe.js';
import { LinuxMemoryProbe } from '../../../agent/probes/LinuxMemoryProbe.js';
import { MacMemoryProbe } from '../../../agent/probes/MacMemoryProbe.js';
import { UnsupportedMemoryProbe } from '../../../agent/probes/UnsupportedMemoryProbe.js';
import { fakeFiles, fakeRunner, logLines } from './fakeIo.js';

const NOW = new Date('2026-01-01T00:00:00Z');

describe('createMemoryProbe', () => {
  it('picks the probe for the platform', () => {
    const io = { run: fakeRunner({}), readFile: fakeFiles({}), log: () => {} };
    expect(createMemoryProbe({ platform: 'darwin', arch: 'arm64', ...io })).toBeInstanceOf(MacMemoryProbe);
    expect(createMemoryProbe({ platform: 'linux', arch: 'x64', ...io })).toBeInstanceOf(LinuxMemoryProbe);
    expect(createMemoryProbe({ platform: 'win32', arch: 'x64', ...io })).toBeInstanceOf(UnsupportedMemoryProbe);
  });

  it('passes the injected runner through', async () => {
    const run = fakeRunner({ sysctl: 'kern.memorystatus_vm_pressure_level: 4\n' });
    const probe = createMemoryProbe({ platform: 'darwin', arch: 'arm64', run, log: () => {} });
    expect((await probe.sample(NOW)).pressure).toBe('critical');
  });

  it('other platforms: all null, one status, said once', async () => {
    const { log, lines } = logLines();
    const probe = createMemoryProbe({ platform: 'win32', arch: 'x64', log });
    const s = await probe.sample(NOW);
    await probe.sample(NOW);
    expect(s.at).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.entries(s).filter(([k, v]) => k !== 'at' && v !== null)).toEqual([]);
    expect(await probe.machine()).toEqual({
      os: 'win32',
      osVersion: null,
      arch: 'x64',
      chip: null,
      appleSilicon: false,
      memoryBytes: null,
      gpuBudgetBytes: null,
      gpuBudgetSource: null,
      gpus: [],
    });
    expect(probe.statuses()).toEqual([{ name: 'memory', available: false, detail: 'memory probes are not available on win32' }]);
    expect(lines).toEqual(['memory probes are not available on win32']);
  });
});

// This machine, for real: catches a wrong path or argument that the recorded outputs cannot.
describe('real machine', () => {
  it.skipIf(process.platform !== 'linux')('linux: a real sample has memory figures', async () => {
    const probe = createMemoryProbe({ platform: 'linux', arch: process.arch, log: () => {} });
    const s = await probe.sample(new Date());
    expect(s.totalBytes).toBeGreaterThan(0);
    expect(s.availableBytes).toBeGreaterThan(0);
    expect(s.ollamaProcesses).toBeGreaterThanOrEqual(0);
    const m = await probe.machine();
    expect(m.os).toBe('linux');
    expect(m.memoryBytes).toBe(s.totalBytes);
  });

  it.skipIf(process.platform !== 'darwin')('darwin: a real sample has a pressure level', async () => {
    const probe = createMemoryProbe({ platform: 'darwin', arch: process.arch, log: () => {} });
    const s = await probe.sample(new Date());
    expect(s.totalBytes).toBeGreaterThan(0);
    expect(s.pressure).not.toBeNull();
  });
});
