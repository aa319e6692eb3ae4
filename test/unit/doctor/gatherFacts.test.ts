import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../agent/config/parseConfig.js';
import type { DoctorApi } from '../../../agent/doctor/askOllama.js';
import { gatherFacts, type GatherDeps, type JournalProbe } from '../../../agent/doctor/gatherFacts.js';
import { OllamaApiError } from '../../../agent/ollama/OllamaApi.js';
import { emptySample, type MemoryProbe } from '../../../agent/probes/MemoryProbe.js';
import type { MachineInfo } from '../../../shared/memory.js';

const HOME = '/home/u';
const DEFAULT_LOG = `${HOME}/.ollama/logs/server.log`;
const never = <T>(): Promise<T> => new Promise<T>(() => {});

const machine: MachineInfo = {
  os: 'linux',
  osVersion: 'Debian GNU/Linux 12',
  arch: 'x64',
  chip: 'AMD EPYC',
  appleSilicon: false,
  memoryBytes: 16 * 2 ** 30,
  gpuBudgetBytes: null,
  gpuBudgetSource: null,
  gpus: [],
};
const probe = (over: Partial<MemoryProbe> = {}): MemoryProbe => ({
  machine: async () => machine,
  sample: async (now) => ({ ...emptySample(now), pressure: 'normal', availableBytes: 8 * 2 ** 30, swapUsedBytes: 0 }),
  statuses: () => [],
  ...over,
});
const down: DoctorApi = {
  version: () => Promise.reject(new OllamaApiError('ECONNREFUSED', '/api/version')),
  ps: () => Promise.reject(new Error('unused')),
  tags: () => Promise.reject(new Error('unused')),
  show: () => Promise.reject(new Error('unused')),
};
const journal = (over: Partial<JournalProbe> = {}): JournalProbe => ({
  unitInstalled: async () => false,
  access: async () => ({ journalctl: true, readable: true, detail: null }),
  ...over,
});
const missing = async () => ({ found: false, readable: false, error: 'ENOENT', sizeBytes: null });

function gather(argv: string[], over: Partial<GatherDeps> = {}) {
  const { config, explicit } = parseConfig(argv, { HOME }, { cwd: '/w', platform: 'linux' });
  return gatherFacts(config, explicit, {
    memoryProbe: probe(),
    api: down,
    access: missing,
    platform: 'linux',
    env: {},
    journalUnits: journal(),
    timeoutMs: 300,
    ...over,
  });
}

describe('gatherFacts', () => {
  it('does not wait for a hung Ollama or a hung probe longer than the deadline', async () => {
    const hung: DoctorApi = { ...down, version: never };
    const started = Date.now();
    const f = await gather([], { api: hung, memoryProbe: probe({ sample: never }), timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(f.ollama).toEqual({ url: 'http://127.0.0.1:11434', reachable: false, version: null, error: 'timed out' });
    expect(f.memory).toBeNull();
    expect(f.machine).toEqual(machine);
    expect(f.timedOut).toEqual(expect.arrayContaining(['ollama', 'memory']));
    expect(f.timedOut).not.toContain('machine');
  });

  it('keeps the reason Ollama gave for not answering', async () => {
    const f = await gather([]);
    expect(f.ollama.error).toBe('ECONNREFUSED');
    expect(f.models).toBeNull();
    expect(f.loaded).toBeNull();
  });

  it('on Linux follows the ollama journal, as the agent would, when the default log is missing and the unit exists', async () => {
    const f = await gather([], {
      journalUnits: journal({
        unitInstalled: async (u) => u === 'ollama',
        access: async () => ({
          journalctl: true,
          readable: false,
          detail: 'No journal files were opened due to insufficient permissions.',
        }),
      }),
    });
    expect(f.autoJournal).toBe(true);
    expect(f.ollamaUnit).toBe(true);
    expect(f.sources).toEqual([
      {
        kind: 'journal',
        unit: 'ollama',
        journalctl: true,
        installed: true,
        readable: false,
        detail: 'No journal files were opened due to insufficient permissions.',
      },
    ]);
  });

  it('keeps the default log file when it exists, and an explicit --log even when it does not', async () => {
    const present = async () => ({ found: true, readable: true, error: null, sizeBytes: 10 });
    const installed = journal({ unitInstalled: async () => true });
    expect((await gather([], { access: present, journalUnits: installed })).sources).toEqual([
      { kind: 'file', path: DEFAULT_LOG, found: true, readable: true, error: null, sizeBytes: 10 },
    ]);
    const f = await gather(['--log', '/var/log/o.log'], { journalUnits: installed });
    expect(f).toMatchObject({ logsExplicit: true, autoJournal: false, ollamaUnit: true });
    expect(f.sources).toEqual([{ kind: 'file', path: '/var/log/o.log', found: false, readable: false, error: 'ENOENT', sizeBytes: null }]);
  });

  it('asks Ollama for models, loaded models and their model_info (verbose when arrays came back blanked)', async () => {
    const shows: string[] = [];
    const details = {
      parentModel: null,
      format: 'gguf',
      family: 'gemma3',
      families: null,
      parameterSize: '27B',
      quantizationLevel: 'Q4_K_M',
    };
    const api: DoctorApi = {
      version: async () => ({ version: '0.33.0' }),
      tags: async () => [{ name: 'gemma3:27b', model: 'gemma3:27b', modifiedAt: null, sizeBytes: 17e9, digest: null, details }],
      ps: async () => [
        {
          name: 'gemma3:27b',
          model: 'gemma3:27b',
          digest: null,
          sizeBytes: 20e9,
          vramBytes: 20e9,
          contextLength: 8192,
          expiresAt: null,
          details,
        },
      ],
      show: async (name, opts) => {
        shows.push(`${name}${opts?.verbose ? ' verbose' : ''}`);
        return {
          details,
          modelfile: null,
          capabilities: null,
          modifiedAt: null,
          modelInfo: { 'general.architecture': 'gemma3', 'gemma3.attention.sliding_window_pattern': opts?.verbose ? [true] : [] },
        };
      },
    };
    const f = await gather([], { api });
    expect(f.ollama).toEqual({ url: 'http://127.0.0.1:11434', reachable: true, version: '0.33.0', error: null });
    expect(f.models).toEqual([
      { name: 'gemma3:27b', format: 'gguf', family: 'gemma3', parameterSize: '27B', quantization: 'Q4_K_M', sizeBytes: 17e9 },
    ]);
    expect(shows).toEqual(['gemma3:27b', 'gemma3:27b verbose']);
    expect(f.loaded![0]).toMatchObject({
      name: 'gemma3:27b',
      contextLength: 8192,
      modelInfo: { 'gemma3.attention.sliding_window_pattern': [true] },
    });
    expect(f).toMatchObject({ kvCacheType: 'f16', parallel: 1, kvSettingsFrom: 'defaults' });
  });

  it("reads the KV settings from the log's server config line", async () => {
    const present = async () => ({ found: true, readable: true, error: null, sizeBytes: 10 });
    const text = [
      'time=2026-01-01T10:00:00.000+01:00 level=INFO source=routes.go:1 msg="server config" env="map[OLLAMA_KV_CACHE_TYPE: OLLAMA_NUM_PARALLEL:1]"',
      'time=2026-01-02T10:00:00.000+01:00 level=INFO source=routes.go:1 msg="server config" env="map[OLLAMA_KV_CACHE_TYPE:q8_0 OLLAMA_NUM_PARALLEL:4 OLLAMA_ORIGINS:[http://localhost https://localhost]]"',
    ].join('\n');
    const f = await gather([], { access: present, logText: async () => text });
    expect(f).toMatchObject({ kvCacheType: 'q8_0', parallel: 4, kvSettingsFrom: 'server config' });
  });
});
