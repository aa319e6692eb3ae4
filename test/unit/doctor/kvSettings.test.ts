import { describe, expect, it } from 'vitest';
import { kvSettings, lastServerConfig } from '../../../agent/doctor/kvSettings.js';

describe('kvSettings', () => {
  it.each<[string, Record<string, string> | null, NodeJS.ProcessEnv, string | null, unknown]>([
    [
      'server config wins over the shell',
      { OLLAMA_KV_CACHE_TYPE: 'q4_0', OLLAMA_NUM_PARALLEL: '2' },
      { OLLAMA_KV_CACHE_TYPE: 'q8_0' },
      '0.33.0',
      { kvCacheType: 'q4_0', parallel: 2, kvSettingsFrom: 'server config' },
    ],
    [
      'parallel 0 (auto, before v0.9.7) is unknown',
      { OLLAMA_NUM_PARALLEL: '0' },
      {},
      '0.6.8',
      { kvCacheType: 'f16', parallel: null, kvSettingsFrom: 'server config' },
    ],
    [
      'the shell when the log has no server config',
      null,
      { OLLAMA_KV_CACHE_TYPE: 'Q8_0' },
      '0.33.0',
      { kvCacheType: 'q8_0', parallel: 1, kvSettingsFrom: 'environment' },
    ],
    ["Ollama's defaults", null, {}, '0.33.0', { kvCacheType: 'f16', parallel: 1, kvSettingsFrom: 'defaults' }],
    ['an old Ollama chose parallelism by itself', null, {}, '0.5.7', { kvCacheType: 'f16', parallel: null, kvSettingsFrom: 'defaults' }],
    ['version unknown: parallelism unknown', null, {}, null, { kvCacheType: 'f16', parallel: null, kvSettingsFrom: 'defaults' }],
  ])('%s', (_n, config, env, version, want) => expect(kvSettings(config, env, version)).toEqual(want));

  it('lastServerConfig takes the last line of either log form', () => {
    expect(
      lastServerConfig(
        '2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[OLLAMA_NUM_PARALLEL:3 OLLAMA_HOST:http://0.0.0.0:11434]"',
      ),
    ).toEqual({
      OLLAMA_NUM_PARALLEL: '3',
      OLLAMA_HOST: 'http://0.0.0.0:11434',
    });
    expect(lastServerConfig('no config here')).toBeNull();
  });
});
