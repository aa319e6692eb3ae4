import { describe, expect, it } from 'vitest';
import { parseCgroupV2Path, parseCpuModel, parseOsPrettyName } from '../../../agent/probes/linuxFiles.js';
import { LinuxMemoryProbe } from '../../../agent/probes/LinuxMemoryProbe.js';
import type { FileReader } from '../../../agent/probes/commandRunner.js';
import { fakeFiles, fakeRunner, logLines, type Reply } from './fakeIo.js';
import { MEMINFO, PSI_IDLE, PSI_THRASHING as PSI_THRASH } from './samples.js';

const MIB = 1024 ** 2;
const NOW = new Date('2026-05-05T01:30:33Z');

// Written: a kernel before 3.14 (no MemAvailable) with swap in use.
const MEMINFO_OLD = `MemTotal:        2048000 kB
MemFree:          512000 kB
Buffers:           20000 kB
Cached:           300000 kB
SwapTotal:       1048572 kB
SwapFree:         524286 kB
`;
const CPUINFO = `processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 7763 64-Core Processor
processor\t: 1
model name\t: AMD EPYC 7763 64-Core Processor
`;
const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
`;
// ps in procps layout; the runner command line is the one Ollama logged.
const PS = [
  '    1     0  11904 systemd         /sbin/init',
  '  870     1  61440 ollama          /usr/local/bin/ollama serve',
  ' 4312   870 5242880 ollama          /usr/local/bin/ollama runner --model /usr/share/ollama/.ollama/models/blobs/sha256-60e05f2100071479f596b964f89f510f057ce397ea22f2833a0cfe029bfc2463 --port 45718',
  ' 5100  4800   2048 llama-server    /home/lz/llama.cpp/build/bin/llama-server -m /models/x.gguf --port 8080',
  ' 5200  5199    900 grep            grep ollama',
].join('\n');
const NVIDIA = 'NVIDIA GeForce RTX 4090, 24564, 3\n';

const CGROUP_FILE = '/sys/fs/cgroup/system.slice/ollama-lens.service/memory.pressure';
const BASE_FILES: Record<string, string> = {
  '/proc/meminfo': MEMINFO,
  '/proc/pressure/memory': PSI_IDLE,
  '/proc/self/cgroup': '0::/\n',
  '/proc/cpuinfo': CPUINFO,
  '/etc/os-release': OS_RELEASE,
};

function linuxProbe(files: Record<string, string | Error>, replies: Record<string, Reply>, readFile?: FileReader) {
  const { log, lines } = logLines();
  const run = fakeRunner(replies);
  const probe = new LinuxMemoryProbe({ run, readFile: readFile ?? fakeFiles(files), arch: 'x64', log });
  return { probe, run, lines };
}

describe('LinuxMemoryProbe.sample', () => {
  it('root cgroup: system PSI, meminfo, Ollama RSS, nvidia-smi', async () => {
    const { probe, lines } = linuxProbe({ ...BASE_FILES, '/proc/pressure/memory': PSI_THRASH }, { ps: PS, 'nvidia-smi': NVIDIA });
    // meminfo KiB × 1024: total 17,175,561,216; available 8,832,653,312; used = 8,342,907,904.
    // Ollama RSS: (61440 + 5242880) KiB = 5,431,623,680 bytes; the user's own llama-server and grep are not Ollama.
    expect(await probe.sample(NOW)).toEqual({
      at: '2026-05-05T01:30:33.000Z',
      totalBytes: 17175561216,
      usedBytes: 8342907904,
      availableBytes: 8832653312,
      wiredBytes: null,
      compressedBytes: null,
      swapUsedBytes: 0,
      swapTotalBytes: 0,
      swapoutsDelta: null,
      pressure: 'critical',
      pressureValue: 70.24,
      pressureSource: 'psi',
      ollamaFootprintBytes: 5431623680,
      ollamaProcesses: 2,
      gpuUsedBytes: 3 * MIB,
      gpuTotalBytes: 24564 * MIB,
    });
    expect(lines).toEqual([]);
    expect(probe.statuses().map((s) => s.name)).toEqual(['meminfo', 'nvidia-smi', 'ps', 'psi']);
  });

  it('inside a cgroup: its memory.pressure wins, both PSI probes are in the statuses', async () => {
    const { probe } = linuxProbe(
      { ...BASE_FILES, '/proc/self/cgroup': '0::/system.slice/ollama-lens.service\n', [CGROUP_FILE]: PSI_THRASH },
      { ps: PS },
    );
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({ pressure: 'critical', pressureValue: 70.24, pressureSource: 'cgroup-psi' });
    expect(probe.statuses().filter((st) => st.name.includes('psi'))).toEqual([
      { name: 'cgroup psi', available: true, detail: null },
      { name: 'psi', available: true, detail: null },
    ]);
  });

  it('inside a cgroup whose memory.pressure cannot be read: falls back to the system PSI and says so once', async () => {
    const { probe, lines } = linuxProbe(
      { ...BASE_FILES, '/proc/self/cgroup': '0::/user.slice/user-1000.slice/session-2.scope\n' },
      { ps: PS },
    );
    for (let i = 0; i < 2; i++) {
      expect(await probe.sample(NOW)).toMatchObject({ pressure: 'normal', pressureValue: 0, pressureSource: 'psi' });
    }
    expect(lines.sort()).toEqual([
      "memory probe cgroup psi is not available here: ENOENT: no such file or directory, open '/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.pressure'",
      'memory probe nvidia-smi is not available here: nvidia-smi was not found',
    ]);
  });

  it("uses the cgroup of Ollama's own server (ollama.service), not the agent's, re-reading it each poll", async () => {
    const reads: string[] = [];
    const files = fakeFiles({
      ...BASE_FILES,
      '/proc/self/cgroup': '0::/user.slice/user-1000.slice/session-2.scope\n',
      '/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.pressure': PSI_IDLE,
      '/proc/870/cgroup': '0::/system.slice/ollama.service\n',
      '/sys/fs/cgroup/system.slice/ollama.service/memory.pressure': PSI_THRASH,
    });
    const { probe } = linuxProbe({}, { ps: PS }, (p) => {
      reads.push(p);
      return files(p);
    });
    expect(await probe.sample(NOW)).toMatchObject({ pressure: 'critical', pressureValue: 70.24, pressureSource: 'cgroup-psi' });
    await probe.sample(NOW);
    expect(reads.filter((p) => p === '/proc/870/cgroup')).toHaveLength(2);
    expect(reads).not.toContain('/proc/self/cgroup');
  });

  it("falls back to the agent's own cgroup when Ollama's cannot be read (another user's process)", async () => {
    const { probe } = linuxProbe(
      { ...BASE_FILES, '/proc/self/cgroup': '0::/a.service\n', '/sys/fs/cgroup/a.service/memory.pressure': PSI_THRASH },
      { ps: PS },
    );
    expect(await probe.sample(NOW)).toMatchObject({ pressure: 'critical', pressureSource: 'cgroup-psi' });
  });

  it('meminfo without MemAvailable: total and swap fill, used and available stay null', async () => {
    const { probe } = linuxProbe({ ...BASE_FILES, '/proc/meminfo': MEMINFO_OLD }, { ps: PS });
    expect(await probe.sample(NOW)).toMatchObject({
      totalBytes: 2097152000, // 2,048,000 KiB
      usedBytes: null,
      availableBytes: null,
      swapTotalBytes: 1073737728, // 1,048,572 KiB
      swapUsedBytes: 536868864, // (1,048,572 − 524,286) KiB = 524,286 KiB
    });
  });

  it('no PSI in this kernel: pressure null, the rest still fills', async () => {
    const files: Record<string, string> = { ...BASE_FILES };
    delete files['/proc/pressure/memory'];
    const { probe, lines } = linuxProbe(files, { ps: PS, 'nvidia-smi': NVIDIA });
    const s = await probe.sample(NOW);
    expect(s).toMatchObject({ pressure: null, pressureValue: null, pressureSource: null, totalBytes: 17175561216, ollamaProcesses: 2 });
    expect(lines).toEqual(["memory probe psi is not available here: ENOENT: no such file or directory, open '/proc/pressure/memory'"]);
  });

  it('nvidia-smi absent: GPU fields null, reported once, not spawned again', async () => {
    const { probe, run, lines } = linuxProbe(BASE_FILES, { ps: PS });
    await probe.machine();
    for (let i = 0; i < 3; i++) {
      expect(await probe.sample(NOW)).toMatchObject({ gpuUsedBytes: null, gpuTotalBytes: null, totalBytes: 17175561216 });
    }
    expect(lines).toEqual(['memory probe nvidia-smi is not available here: nvidia-smi was not found']);
    expect(run.calls.filter((c) => c.startsWith('nvidia-smi'))).toEqual([
      'nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits',
    ]);
    expect(probe.statuses().find((st) => st.name === 'nvidia-smi')).toEqual({
      name: 'nvidia-smi',
      available: false,
      detail: 'nvidia-smi was not found',
    });
  });

  it('nvidia-smi on a unified-memory GPU ([N/A]): GPU fields null, no fake zero', async () => {
    const { probe } = linuxProbe(BASE_FILES, { ps: PS, 'nvidia-smi': 'NVIDIA GB10, [N/A], [N/A]\n' });
    expect(await probe.sample(NOW)).toMatchObject({ gpuUsedBytes: null, gpuTotalBytes: null });
    expect(await probe.machine()).toMatchObject({
      gpus: [{ name: 'NVIDIA GB10', memoryTotalBytes: null }],
      gpuBudgetBytes: null,
      gpuBudgetSource: null,
    });
  });

  it('two GPUs are summed', async () => {
    const { probe } = linuxProbe(BASE_FILES, {
      ps: PS,
      'nvidia-smi': 'NVIDIA A100-SXM4-80GB, 81920, 40200\nNVIDIA A100-SXM4-80GB, 81920, 0\n',
    });
    expect(await probe.sample(NOW)).toMatchObject({ gpuUsedBytes: 40200 * MIB, gpuTotalBytes: 163840 * MIB });
  });

  it('never rejects when nothing can be read', async () => {
    const { probe } = linuxProbe({}, {});
    const s = await probe.sample(NOW);
    expect(Object.entries(s).filter(([k, v]) => k !== 'at' && v !== null)).toEqual([]);
  });
});

describe('LinuxMemoryProbe.machine', () => {
  it('with nvidia-smi: chip, OS, RAM, GPUs and the NVIDIA budget', async () => {
    const { probe } = linuxProbe(BASE_FILES, { 'nvidia-smi': NVIDIA });
    expect(await probe.machine()).toEqual({
      os: 'linux',
      osVersion: 'Debian GNU/Linux 12 (bookworm)',
      arch: 'x64',
      chip: 'AMD EPYC 7763 64-Core Processor',
      appleSilicon: false,
      memoryBytes: 17175561216,
      gpuBudgetBytes: 24564 * MIB,
      gpuBudgetSource: 'nvidia',
      gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24564 * MIB }],
    });
  });

  it('without nvidia-smi, cpuinfo model or /etc/os-release: nulls, /usr/lib/os-release as fallback', async () => {
    const { probe } = linuxProbe(
      {
        '/proc/meminfo': MEMINFO,
        '/proc/cpuinfo': 'processor\t: 0\nCPU part\t: 0xd0c\n',
        '/usr/lib/os-release': 'PRETTY_NAME=Ubuntu 24.04 LTS\n',
      },
      {},
    );
    expect(await probe.machine()).toEqual({
      os: 'linux',
      osVersion: 'Ubuntu 24.04 LTS',
      arch: 'x64',
      chip: null,
      appleSilicon: false,
      memoryBytes: 17175561216,
      gpuBudgetBytes: null,
      gpuBudgetSource: null,
      gpus: [],
    });
  });
});

describe('Linux file parsers', () => {
  it.each([
    ['0::/system.slice/ollama.service\n', '/system.slice/ollama.service'],
    ['12:memory:/docker/abc\n0::/user.slice/\n', '/user.slice'],
    ['0::/\n', null],
    ['4:memory:/process_api/41e9\n1:cpu:/\n', null],
    ['0::/../../etc\n', null],
    ['', null],
  ])('parseCgroupV2Path(%j)', (text, want) => {
    expect(parseCgroupV2Path(text)).toBe(want);
  });

  it.each([
    [CPUINFO, 'AMD EPYC 7763 64-Core Processor'],
    ['model name\t: Intel(R) Xeon(R)   CPU @ 2.20GHz\n', 'Intel(R) Xeon(R) CPU @ 2.20GHz'],
    ['model name\t: \n', null],
    ['processor\t: 0\nBogoMIPS\t: 48.00\n', null],
  ])('parseCpuModel(%j)', (text, want) => {
    expect(parseCpuModel(text)).toBe(want);
  });

  it.each([
    [OS_RELEASE, 'Debian GNU/Linux 12 (bookworm)'],
    ["PRETTY_NAME='Fedora Linux 40 (Workstation Edition)'\n", 'Fedora Linux 40 (Workstation Edition)'],
    ['PRETTY_NAME=Arch\\ Linux\n', 'Arch Linux'],
    ['PRETTY_NAME="say \\"hi\\""\n', 'say "hi"'],
    ['NAME="Debian"\n', null],
    ['PRETTY_NAME=""\n', null],
  ])('parseOsPrettyName(%j)', (text, want) => {
    expect(parseOsPrettyName(text)).toBe(want);
  });
});
