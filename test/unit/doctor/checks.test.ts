import { describe, expect, it } from 'vitest';
import { doctorReport } from '../../../agent/doctor/checks.js';
import { versionBefore } from '../../../agent/doctor/mlxChecks.js';
import { renderDoctor } from '../../../agent/doctor/renderDoctor.js';
import type { DoctorFacts, DoctorReport, LoadedModelFact, LocalModelFact } from '../../../agent/doctor/types.js';
import type { MachineInfo, MemorySample } from '../../../shared/memory.js';

const GIB = 2 ** 30;
const LOG = '/Users/me/.ollama/logs/server.log';

const mac = (memoryGiB: number, chip = 'Apple M3 Max', appleSilicon = true): MachineInfo => ({
  os: 'darwin',
  osVersion: 'macOS 15.5',
  arch: appleSilicon ? 'arm64' : 'x64',
  chip,
  appleSilicon,
  memoryBytes: memoryGiB * GIB,
  gpuBudgetBytes: appleSilicon ? memoryGiB * GIB * 0.75 : null,
  gpuBudgetSource: appleSilicon ? 'estimate' : null,
  gpus: [],
});

const linux: MachineInfo = {
  os: 'linux',
  osVersion: 'Debian GNU/Linux 12',
  arch: 'x64',
  chip: 'AMD Ryzen 9 7950X',
  appleSilicon: false,
  memoryBytes: 64 * GIB,
  gpuBudgetBytes: 24 * GIB,
  gpuBudgetSource: 'nvidia',
  gpus: [{ name: 'NVIDIA GeForce RTX 4090', memoryTotalBytes: 24 * GIB }],
};

const sample = (over: Partial<MemorySample> = {}): MemorySample => ({
  at: '2026-11-26T12:00:00.000Z',
  totalBytes: 64 * GIB,
  usedBytes: 30 * GIB,
  availableBytes: 34 * GIB,
  wiredBytes: 4 * GIB,
  compressedBytes: 1 * GIB,
  swapUsedBytes: 0,
  swapTotalBytes: 0,
  swapoutsDelta: null,
  pressure: 'normal',
  pressureValue: 80,
  pressureSource: 'macos',
  ollamaFootprintBytes: 20 * GIB,
  ollamaProcesses: 2,
  gpuUsedBytes: null,
  gpuTotalBytes: null,
  ...over,
});

const MLX_MODEL: LocalModelFact = {
  name: 'qwen3.5:35b-a3b-coding-nvfp4',
  format: 'safetensors',
  family: 'qwen35moe',
  parameterSize: '35.1B',
  quantization: 'nvfp4',
  sizeBytes: 21_346_318_336,
};
const GGUF_MODEL: LocalModelFact = {
  name: 'llama3.1:8b',
  format: 'gguf',
  family: 'llama',
  parameterSize: '8.0B',
  quantization: 'Q4_K_M',
  sizeBytes: 4_920_753_328,
};

/** Llama 3.1 8B: 32 layers × 8 KV heads × 128 dims × 2 (K and V) × 2 bytes (f16) = 128 KiB per token. */
const LLAMA_INFO = {
  'general.architecture': 'llama',
  'llama.block_count': 32,
  'llama.context_length': 131072,
  'llama.embedding_length': 4096,
  'llama.attention.head_count': 32,
  'llama.attention.head_count_kv': 8,
  'llama.attention.key_length': 128,
  'llama.attention.value_length': 128,
};

const LOADED_LLAMA: LoadedModelFact = {
  name: 'llama3.1:8b',
  format: 'gguf',
  sizeBytes: 6 * GIB,
  vramBytes: 6 * GIB,
  contextLength: 8192,
  modelInfo: LLAMA_INFO,
};

/** An Apple Silicon Mac with 64 GB where everything works. */
function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    at: '2026-11-26T12:00:00.000Z',
    platform: 'darwin',
    machine: mac(64),
    memory: sample(),
    probes: [],
    sources: [{ kind: 'file', path: LOG, found: true, readable: true, error: null, sizeBytes: 1_234_567 }],
    logsExplicit: false,
    autoJournal: false,
    ollamaUnit: null,
    ollama: { url: 'http://127.0.0.1:11434', reachable: true, version: '0.33.0', error: null },
    models: [MLX_MODEL, GGUF_MODEL],
    loaded: [],
    kvCacheType: 'f16',
    parallel: 1,
    kvSettingsFrom: 'defaults',
    expectMlx: [],
    timedOut: [],
    ...over,
  };
}

const exitCode = (r: DoctorReport): number => (r.ok ? 0 : 1);
const check = (r: DoctorReport, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.checks.map((x) => x.id).join(', ')}`);
  return c;
};

describe('doctorReport', () => {
  it('an Apple Silicon Mac with 64 GB, a readable log, Ollama up and an MLX build: all good, exit 0', () => {
    const r = doctorReport(facts());
    expect(exitCode(r)).toBe(0);
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r.machine).toMatchObject({ os: 'darwin', arch: 'arm64', chip: 'Apple M3 Max', memoryBytes: 64 * GIB });
    expect(r.memory).toMatchObject({ pressure: 'normal', availableBytes: 34 * GIB, swapUsedBytes: 0 });
    expect(r.ollama).toEqual({ url: 'http://127.0.0.1:11434', reachable: true, version: '0.33.0', error: null });
    expect(r.log).toMatchObject({ path: LOG, found: true, readable: true });
    expect(r.mlx).toEqual({ eligible: true, reasons: [], models: ['qwen3.5:35b-a3b-coding-nvfp4'] });
    expect(r.models!.map((m) => [m.name, m.mlx])).toEqual([
      ['qwen3.5:35b-a3b-coding-nvfp4', true],
      ['llama3.1:8b', false],
    ]);
    expect(r.checks.every((c) => c.fix === null)).toBe(true);
  });

  it.each<[string, Partial<DoctorFacts>, RegExp[]]>([
    ['a 16 GB M1', { machine: mac(16, 'Apple M1') }, [/16 GiB/, /32 GB/]],
    ['an Intel Mac', { machine: mac(32, 'Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz', false) }, [/Intel Mac/, /Apple Silicon/]],
    [
      'Linux',
      {
        platform: 'linux',
        machine: linux,
        sources: [{ kind: 'journal', unit: 'ollama', journalctl: true, installed: true, readable: true, detail: null }],
      },
      [/Apple Silicon Macs only/, /Linux/],
    ],
    ['a 64 GB Mac with only GGUF models', { models: [GGUF_MODEL] }, [/no MLX build pulled/]],
    ['a 64 GB Mac under critical pressure', { memory: sample({ pressure: 'critical' }) }, [/pressure is critical/]],
    [
      'Ollama older than the MLX engine',
      { ollama: { url: 'http://127.0.0.1:11434', reachable: true, version: '0.12.11', error: null } },
      [/0\.12\.11 predates/],
    ],
  ])('%s: MLX not eligible, with the reason, but still exit 0', (_name, over, reasons) => {
    const r = doctorReport(facts(over));
    expect(r.mlx.eligible).toBe(false);
    for (const re of reasons) expect(r.mlx.reasons.join(' | ')).toMatch(re);
    const mlx = check(r, 'mlx');
    expect(mlx).toMatchObject({ ok: false, severity: 'info' });
    expect(mlx.fix).toBeTruthy();
    expect(exitCode(r)).toBe(0);
  });

  it('a 16 GB M1 says how much memory it has against the 32 GB floor, and that monitoring is fine', () => {
    const r = doctorReport(facts({ machine: mac(16, 'Apple M1') }));
    expect(r.mlx.reasons).toEqual(['16 GiB of unified memory, under the 32 GB floor the MLX preview requires']);
    expect(check(r, 'mlx').fix).toMatch(/nothing to change for monitoring/i);
    expect(renderDoctor(r)).toMatch(/! MLX eligibility: not eligible: 16 GiB of unified memory, under the 32 GB floor/);
  });

  it('exactly 32 GiB (a 32 GB Mac) is eligible; 31.9 GiB is not', () => {
    expect(doctorReport(facts({ machine: mac(32) })).mlx.eligible).toBe(true);
    expect(doctorReport(facts({ machine: mac(31.9) })).mlx.eligible).toBe(false);
  });

  it('an Apple Silicon Mac without an MLX build is told how to pull one', () => {
    const r = doctorReport(facts({ models: [GGUF_MODEL] }));
    expect(check(r, 'mlx').fix).toMatch(/ollama pull qwen3\.5:35b-a3b-coding-nvfp4/);
  });

  it('the MLX verdict is unknown (null), not false, when Ollama cannot list the models', () => {
    const r = doctorReport(
      facts({
        models: null,
        loaded: null,
        ollama: { url: 'http://127.0.0.1:11434', reachable: false, version: null, error: 'ECONNREFUSED' },
      }),
    );
    expect(r.mlx.eligible).toBeNull();
    expect(r.mlx.models).toBeNull();
    expect(r.models).toBeNull();
  });

  it('log missing on macOS: exit code 1 with the fix', () => {
    const r = doctorReport(
      facts({ sources: [{ kind: 'file', path: LOG, found: false, readable: false, error: 'ENOENT', sizeBytes: null }] }),
    );
    expect(exitCode(r)).toBe(1);
    expect(r.log).toMatchObject({ path: LOG, found: false, readable: false });
    const c = check(r, `log:${LOG}`);
    expect(c).toMatchObject({ ok: false, severity: 'error', detail: 'not found' });
    expect(c.fix).toContain('Start the Ollama app once (it writes ~/.ollama/logs/server.log) or pass --log PATH');
    expect(renderDoctor(r)).toMatch(/✗ Log file .*server\.log: not found\n {6}fix: Start the Ollama app once/);
  });

  it('log missing on Linux with the ollama unit: suggests --journal ollama', () => {
    const r = doctorReport(
      facts({
        platform: 'linux',
        machine: linux,
        ollamaUnit: true,
        logsExplicit: true,
        sources: [{ kind: 'file', path: '/var/log/ollama.log', found: false, readable: false, error: 'ENOENT', sizeBytes: null }],
      }),
    );
    expect(exitCode(r)).toBe(1);
    expect(check(r, 'log:/var/log/ollama.log').fix).toMatch(/--journal ollama/);
  });

  it('a journal this user may not read: the systemd-journal group fix', () => {
    const r = doctorReport(
      facts({
        platform: 'linux',
        machine: linux,
        ollamaUnit: true,
        autoJournal: true,
        sources: [
          {
            kind: 'journal',
            unit: 'ollama',
            journalctl: true,
            installed: true,
            readable: false,
            detail: 'No journal files were opened due to insufficient permissions.',
          },
        ],
      }),
    );
    expect(exitCode(r)).toBe(1);
    expect(r.log).toMatchObject({ path: 'journal:ollama', found: true, readable: false });
    expect(check(r, 'journal:ollama').fix).toMatch(/sudo usermod -aG systemd-journal \$USER/);
  });

  it('a log that is there but not readable: the permission fix', () => {
    const r = doctorReport(
      facts({ sources: [{ kind: 'file', path: LOG, found: true, readable: false, error: 'EACCES', sizeBytes: null }] }),
    );
    expect(exitCode(r)).toBe(1);
    expect(check(r, `log:${LOG}`)).toMatchObject({ detail: 'found but not readable (permission denied)' });
    expect(check(r, `log:${LOG}`).fix).toMatch(/chmod a\+r/);
  });

  it('one of two sources missing is a warning only: exit 0', () => {
    const r = doctorReport(
      facts({
        logsExplicit: true,
        sources: [
          { kind: 'file', path: LOG, found: true, readable: true, error: null, sizeBytes: 10 },
          { kind: 'file', path: '/tmp/other.log', found: false, readable: false, error: 'ENOENT', sizeBytes: null },
        ],
      }),
    );
    expect(check(r, 'log:/tmp/other.log')).toMatchObject({ ok: false, severity: 'warn' });
    expect(exitCode(r)).toBe(0);
  });

  it('Ollama unreachable: exit code 1, with how to start it or point at it', () => {
    const r = doctorReport(
      facts({
        ollama: { url: 'http://127.0.0.1:11434', reachable: false, version: null, error: 'ECONNREFUSED' },
        models: null,
        loaded: null,
      }),
    );
    expect(exitCode(r)).toBe(1);
    expect(r.ollama).toEqual({ url: 'http://127.0.0.1:11434', reachable: false, version: null, error: 'ECONNREFUSED' });
    const c = check(r, 'ollama');
    expect(c).toMatchObject({ ok: false, severity: 'error', detail: 'not reachable (ECONNREFUSED)' });
    expect(c.fix).toMatch(/`ollama serve` or the app/);
    expect(c.fix).toMatch(/--ollama URL or set OLLAMA_HOST/);
    expect(renderDoctor(r)).toMatch(/Models: unknown/);
  });

  it('Linux with the unit: the fix starts the service', () => {
    const r = doctorReport(
      facts({
        platform: 'linux',
        machine: linux,
        ollamaUnit: true,
        ollama: { url: 'http://127.0.0.1:11434', reachable: false, version: null, error: 'timed out' },
      }),
    );
    expect(check(r, 'ollama').fix).toMatch(/sudo systemctl start ollama/);
  });

  it('warn pressure is a warning with a fix, not a failure', () => {
    const r = doctorReport(facts({ memory: sample({ pressure: 'warn', swapUsedBytes: 3 * GIB }) }));
    expect(check(r, 'memory')).toMatchObject({ ok: false, severity: 'warn' });
    expect(check(r, 'memory').detail).toMatch(/swap used 3\.0 GiB/);
    expect(exitCode(r)).toBe(0);
  });

  it('unknown machine and memory show as unknown', () => {
    const r = doctorReport(
      facts({ machine: null, memory: null, probes: [{ name: 'sysctl', available: false, detail: 'sysctl not found' }] }),
    );
    expect(r.machine).toEqual({
      os: 'darwin',
      osVersion: null,
      arch: null,
      chip: null,
      appleSilicon: null,
      memoryBytes: null,
      gpuBudgetBytes: null,
    });
    expect(r.memory.pressure).toBeNull();
    expect(r.mlx.eligible).toBeNull();
    const text = renderDoctor(r);
    expect(text).toMatch(/Chip: +unknown/);
    expect(text).toMatch(/Memory pressure: unknown \(sysctl: sysctl not found\)/);
  });

  it('a model expected on MLX but pulled as GGUF is flagged', () => {
    const r = doctorReport(facts({ expectMlx: ['llama3.1:*'] }));
    expect(check(r, 'expect-mlx')).toMatchObject({ ok: false, severity: 'warn' });
    expect(check(r, 'expect-mlx').detail).toMatch(/llama3\.1:8b \(gguf\) will run on llama\.cpp/);
    expect(exitCode(r)).toBe(0);
  });
});

describe('KV sizing of loaded models', () => {
  it('gives KV bytes per token, the context allocated, the KV cache and how many more tokens free memory holds', () => {
    const r = doctorReport(facts({ loaded: [LOADED_LLAMA] }));
    expect(r.loaded).toEqual([
      {
        name: 'llama3.1:8b',
        format: 'gguf',
        mlx: false,
        sizeBytes: 6 * GIB,
        vramBytes: 6 * GIB,
        ctx: 8192,
        parallel: 1,
        cacheType: 'f16',
        bytesPerToken: 128 * 1024,
        kvBytes: 1 * GIB,
        freeBytes: 34 * GIB,
        moreTokens: (34 * GIB) / (128 * 1024),
      },
    ]);
    expect(r.kvSettings).toEqual({ cacheType: 'f16', parallel: 1, from: 'defaults' });
    const text = renderDoctor(r);
    expect(text).toMatch(/Loaded \(1\) — KV cache f16, 1 sequence per model \(Ollama's defaults\)/);
    expect(text).toMatch(/llama3\.1:8b +llama\.cpp +8,192 +128 KiB +1\.0 GiB +34\.0 GiB +278,528/);
  });

  it('q8_0 and two sequences: smaller per token, twice the contexts', () => {
    const r = doctorReport(facts({ loaded: [LOADED_LLAMA], kvCacheType: 'q8_0', parallel: 2, kvSettingsFrom: 'server config' }));
    expect(r.loaded![0]).toMatchObject({
      bytesPerToken: (128 * 1024 * (34 / 32)) / 2,
      kvBytes: (2 * 8192 * 128 * 1024 * (34 / 32)) / 2,
      parallel: 2,
    });
    expect(renderDoctor(r)).toMatch(/8,192 ×2/);
  });

  it('unknown parallelism or model_info leaves the numbers it needs unknown, never guessed', () => {
    const r = doctorReport(
      facts({ loaded: [LOADED_LLAMA, { ...LOADED_LLAMA, name: 'mystery:1b', modelInfo: null }], parallel: null, memory: null }),
    );
    expect(r.loaded![0]).toMatchObject({ bytesPerToken: 128 * 1024, kvBytes: null, freeBytes: null, moreTokens: null });
    expect(r.loaded![1]).toMatchObject({ bytesPerToken: null, kvBytes: null, moreTokens: null });
    expect(renderDoctor(r)).toMatch(/mystery:1b +llama\.cpp +8,192 +unknown +unknown +unknown +unknown/);
  });
});

describe('versionBefore', () => {
  it.each<[string | null, boolean | null]>([
    ['0.12.11', true],
    ['0.19.0', false],
    ['0.19.0-rc1', false],
    ['0.33.0', false],
    ['1.0.0', false],
    ['0.0.0', null],
    [null, null],
  ])('%s', (v, want) => expect(versionBefore(v, '0.19.0')).toBe(want));
});
