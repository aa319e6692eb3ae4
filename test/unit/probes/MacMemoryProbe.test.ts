import { describe, expect, it } from 'vitest';
import { estimateGpuBudget, MacMemoryProbe, parseProductVersion } from '../../../agent/probes/MacMemoryProbe.js';
import { exited, fakeRunner, logLines, notFound, type Reply } from './fakeIo.js';
import { SWAPUSAGE_DECIMAL_COMMA, SYS3_SWAPUSAGE, TOP1_SUMMARY, VM1 } from './samples.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const NOW = new Date('2026-05-29T00:30:10Z');

const withSwapouts = (n: number) => VM1.replace(/^Swapouts:\s+16\.$/m, `Swapouts:${String(n).padStart(37)}.`);

// One named-form sysctl call: the hw.memsize line of the 32 GB mini and SYS-3's lines (./samples.js),
// in the order the probe asks for them.
const SYSCTL = `hw.memsize: 35424890257
kern.memorystatus_vm_pressure_level: 2
${SYS3_SWAPUSAGE}
kern.memorystatus_level: 38
`;
const SYSCTL_COMMA = SYSCTL.replace(SYS3_SWAPUSAGE, SWAPUSAGE_DECIMAL_COMMA);

const APP = '/Applications/Ollama.app/Contents/Resources/ollama';
const PS = [
  `    1     0  12000 /sbin/launchd   /sbin/launchd`,
  `  812   790  48512 ${APP} ${APP} serve`,
  ` 1581   812  13632 ${APP} ${APP} runner --model /Users/yuji/.ollama/models/blobs/sha256-8934d96d3f08982e95922b2b7a2c626a1fe873d7c3b06e8e56d7bc0a1fef9246 --ctx-size 8192 --port 52335`,
  ` 2001  1999   1200 grep            grep ollama`,
].join('\n');
const PS_NO_OLLAMA = `    1     0  12000 /sbin/launchd   /sbin/launchd\n 2001  1999   1200 grep            grep ollama\n`;

// TOP-1's summary (./samples.js) above a table written in top's layout.
const TOP = `${TOP1_SUMMARY}\nPID    MEM  \n812    859M+\n1581   5154M\n`;

function macProbe(replies: Record<string, Reply>, arch = 'arm64') {
  const { log, lines } = logLines();
  const run = fakeRunner(replies);
  return { probe: new MacMemoryProbe({ run, arch, log }), run, lines };
}

const FULL: Record<string, Reply> = { sysctl: SYSCTL, vm_stat: VM1, ps: PS, top: TOP };

describe('MacMemoryProbe.sample', () => {
  it('fills every macOS field from sysctl, vm_stat, ps and top', async () => {
    const { probe, run, lines } = macProbe(FULL);
    const s = await probe.sample(NOW);
    // Pages × 16384: app = (660163 anonymous − 23794 purgeable) = 636369 → 10,426,269,696;
    // wired 138461 → 2,268,545,024; compressor 99631 → 1,632,354,304; used = 14,327,169,024;
    // available = 35,424,890,257 − 14,327,169,024 = 21,097,721,233.
    // Swap: 14780.00 MiB = 15,497,953,280; 13673.06 MiB = 14,337,242,562.56 → 14,337,242,563.
    // Footprint: 859 MiB + 5154 MiB = 6013 MiB = 6,305,087,488.
    expect(s).toEqual({
      at: '2026-05-29T00:30:10.000Z',
      totalBytes: 35424890257,
      usedBytes: 14327169024,
      availableBytes: 21097721233,
      wiredBytes: 2268545024,
      compressedBytes: 1632354304,
      swapUsedBytes: 14337242563,
      swapTotalBytes: 15497953280,
      swapoutsDelta: null,
      pressure: 'warn',
      pressureValue: 38,
      pressureSource: 'macos',
      ollamaFootprintBytes: 6305087488,
      ollamaProcesses: 2,
      gpuUsedBytes: null,
      gpuTotalBytes: null,
    });
    expect(run.calls).toContain('sysctl hw.memsize kern.memorystatus_vm_pressure_level vm.swapusage kern.memorystatus_level');
    expect(run.calls).toContain('top -l 1 -stats pid,mem -pid 812 -pid 1581');
    expect(lines).toEqual([]);
    expect(probe.statuses().every((st) => st.available)).toBe(true);
  });

  it('reads a decimal-comma swapusage', async () => {
    const { probe } = macProbe({ ...FULL, sysctl: SYSCTL_COMMA });
    const s = await probe.sample(NOW);
    expect(s.swapTotalBytes).toBe(1073741824); // 1024,00 MiB
    expect(s.swapUsedBytes).toBe(397672448); // 379,25 MiB = 397,410,304 + 262,144
  });

  it('keeps pressure and memory when top is missing; only the footprint is null', async () => {
    const { probe, lines } = macProbe({ sysctl: SYSCTL, vm_stat: VM1, ps: PS });
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({
      pressure: 'warn',
      pressureValue: 38,
      usedBytes: 14327169024,
      ollamaProcesses: 2,
      ollamaFootprintBytes: null,
    });
    expect(lines).toEqual(['memory probe top is not available here: /usr/bin/top was not found']);
  });

  it('does not run top when no Ollama process is running, and reports zero of them', async () => {
    const { probe, run } = macProbe({ ...FULL, ps: PS_NO_OLLAMA });
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({ ollamaProcesses: 0, ollamaFootprintBytes: 0 });
    expect(run.calls.some((c) => c.startsWith('top'))).toBe(false);
  });

  it('reads the names sysctl did print when one is unknown and it exits 1', async () => {
    const partial = SYSCTL.replace(/^kern\.memorystatus_level:.*\n/m, '');
    const { probe, lines } = macProbe({
      ...FULL,
      sysctl: exited('/usr/sbin/sysctl', 1, partial, "sysctl: unknown oid 'kern.memorystatus_level'"),
    });
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({ pressure: 'warn', pressureValue: null, pressureSource: 'macos', totalBytes: 35424890257 });
    expect(lines).toEqual(['memory probe kern.memorystatus_level is not available here: sysctl printed no usable kern.memorystatus_level']);
  });

  it('sysctl missing: pressure null, said once over three polls, then once on recovery', async () => {
    let sysctl: string | Error = notFound('/usr/sbin/sysctl');
    const { probe, lines } = macProbe({ ...FULL, sysctl: () => sysctl });
    for (let i = 0; i < 3; i++) {
      const s = await probe.sample(NOW);
      expect(s).toMatchObject({
        pressure: null,
        pressureValue: null,
        pressureSource: null,
        totalBytes: null,
        availableBytes: null,
        swapUsedBytes: null,
      });
      // What does not come from sysctl still fills.
      expect(s).toMatchObject({ usedBytes: 14327169024, ollamaFootprintBytes: 6305087488 });
    }
    expect(lines).toEqual(['memory probe sysctl is not available here: /usr/sbin/sysctl was not found']);
    expect(probe.statuses().find((st) => st.name === 'sysctl')).toEqual({
      name: 'sysctl',
      available: false,
      detail: '/usr/sbin/sysctl was not found',
    });

    sysctl = SYSCTL;
    const s = await probe.sample(NOW);
    expect(s.pressure).toBe('warn');
    expect(lines).toEqual([
      'memory probe sysctl is not available here: /usr/sbin/sysctl was not found',
      'memory probe sysctl is available again',
    ]);
    expect(probe.statuses().find((st) => st.name === 'sysctl')?.available).toBe(true);
  });

  it('swapoutsDelta: null first, then the counter step, null when the counter went backwards', async () => {
    const outputs = [VM1, withSwapouts(40), withSwapouts(40), withSwapouts(3), withSwapouts(10)];
    const { probe } = macProbe({ ...FULL, vm_stat: () => outputs.shift() ?? '' });
    const deltas: (number | null)[] = [];
    for (let i = 0; i < 5; i++) deltas.push((await probe.sample(NOW)).swapoutsDelta);
    expect(deltas).toEqual([null, 24, 0, null, 7]);
  });

  it('vm_stat output it cannot read leaves the memory figures null, not zero', async () => {
    const { probe, lines } = macProbe({ ...FULL, vm_stat: 'vm_stat: something went wrong\n' });
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({
      usedBytes: null,
      availableBytes: null,
      wiredBytes: null,
      compressedBytes: null,
      totalBytes: 35424890257,
      pressure: 'warn',
    });
    expect(lines).toEqual(['memory probe vm_stat is not available here: unexpected output from vm_stat']);
  });

  it('never rejects even when every command is missing', async () => {
    const { probe, lines } = macProbe({});
    const s = await probe.sample(NOW);
    expect(Object.entries(s).filter(([k, v]) => k !== 'at' && v !== null)).toEqual([]);
    expect(lines).toHaveLength(3); // sysctl, vm_stat, ps (top is never reached)
  });
});

describe('MacMemoryProbe.machine', () => {
  const M4 = 'hw.memsize: 34359738368\nmachdep.cpu.brand_string: Apple M4 Pro\niogpu.wired_limit_mb: 0\n';

  it('Apple Silicon with the default limit: RAM-based estimate', async () => {
    const { probe, run } = macProbe({ sysctl: M4, sw_vers: '15.5\n' });
    expect(await probe.machine()).toEqual({
      os: 'darwin',
      osVersion: 'macOS 15.5',
      arch: 'arm64',
      chip: 'Apple M4 Pro',
      appleSilicon: true,
      memoryBytes: 34359738368,
      gpuBudgetBytes: 22906492245, // floor(32 GiB × 2/3)
      gpuBudgetSource: 'estimate',
      gpus: [],
    });
    expect(run.calls).toContain('sysctl hw.memsize machdep.cpu.brand_string iogpu.wired_limit_mb');
  });

  it('Apple Silicon with an iogpu.wired_limit_mb override', async () => {
    const { probe } = macProbe({ sysctl: M4.replace('iogpu.wired_limit_mb: 0', 'iogpu.wired_limit_mb: 26805'), sw_vers: '26.5' });
    expect(await probe.machine()).toMatchObject({ gpuBudgetBytes: 26805 * MIB, gpuBudgetSource: 'sysctl', osVersion: 'macOS 26.5' });
  });

  it('Intel: the iogpu OID is unknown (sysctl exits 1), the rest is still read and no GPU budget is guessed', async () => {
    const stdout = 'hw.memsize: 17179869184\nmachdep.cpu.brand_string: Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz\n';
    const { probe, lines } = macProbe(
      { sysctl: exited('/usr/sbin/sysctl', 1, stdout, "sysctl: unknown oid 'iogpu.wired_limit_mb'"), sw_vers: '13.6.7\n' },
      'x64',
    );
    expect(await probe.machine()).toEqual({
      os: 'darwin',
      osVersion: 'macOS 13.6.7',
      arch: 'x64',
      chip: 'Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz',
      appleSilicon: false,
      memoryBytes: 17179869184,
      gpuBudgetBytes: null,
      gpuBudgetSource: null,
      gpus: [],
    });
    expect(lines).toEqual([]);
  });

  it('Apple Silicon without the iogpu OID (before macOS 14): estimate, and the missing OID is reported', async () => {
    const stdout = 'hw.memsize: 17179869184\nmachdep.cpu.brand_string: Apple M1\n';
    const { probe, lines } = macProbe({ sysctl: exited('/usr/sbin/sysctl', 1, stdout, "sysctl: unknown oid 'iogpu.wired_limit_mb'") });
    expect(await probe.machine()).toMatchObject({
      appleSilicon: true,
      gpuBudgetBytes: 11453246122,
      gpuBudgetSource: 'estimate',
      osVersion: null,
    });
    expect(lines).toEqual(['memory probe iogpu.wired_limit_mb is not available here: sysctl printed no usable iogpu.wired_limit_mb']);
  });

  it('sysctl missing: nulls, not a throw', async () => {
    const { probe } = macProbe({});
    expect(await probe.machine()).toMatchObject({
      memoryBytes: null,
      chip: null,
      appleSilicon: false,
      gpuBudgetBytes: null,
      osVersion: null,
    });
  });
});

describe('estimateGpuBudget', () => {
  it.each([
    ['16 GB: 2/3 (10922.67 MiB logged)', 16 * GIB, 11453246122],
    ['32 GB: 2/3 (21845.34 MiB logged)', 32 * GIB, 22906492245],
    ['"32 GB" mini reporting 35,424,890,257 bytes stays in the 2/3 band', 35424890257, 23616593504],
    ['36 GB: 3/4', 36 * GIB, 28991029248],
    ['48 GB: 3/4', 48 * GIB, 38654705664],
    ['64 GB: 3/4 (49152 MiB logged)', 64 * GIB, 51539607552],
    ['96 GB: 3/4 (73728 MiB logged)', 96 * GIB, 77309411328],
    ['128 GB: 0.84 (107.52 GiB logged)', 128 * GIB, 115448720916],
    ['192 GB: 0.84', 192 * GIB, 173173081374],
  ])('%s', (_name, ram, want) => {
    expect(estimateGpuBudget(ram)).toBe(want);
  });
});

describe('parseProductVersion', () => {
  it.each([
    ['15.5\n', 'macOS 15.5'],
    ['26.5', 'macOS 26.5'],
    ['13.6.7', 'macOS 13.6.7'],
    ['', null],
    ['ProductVersion: 15.5', null],
  ])('%j', (stdout, want) => {
    expect(parseProductVersion(stdout)).toBe(want);
  });
});
