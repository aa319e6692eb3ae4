// The small value parsers every family leans on: sizes, the server-config map, model references.
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../agent/parse/bytes.js';
import { envTruthy, parseEnvMap } from '../../agent/parse/envMap.js';
import { blobDigest, modelName } from '../../agent/parse/modelRef.js';

describe('parseBytes', () => {
  it.each<[string | null | undefined, number | null]>([
    ['9.2 GiB', Math.round(9.2 * 2 ** 30)],
    ['0 B', 0],
    ['448.00 MiB', 448 * 2 ** 20],
    ['12.34 GiB', Math.round(12.34 * 2 ** 30)],
    ['1.5 KiB', 1536],
    ['40200.90 MB', 40_200_900_000],
    ['14495514624', 14_495_514_624],
    ['896.00MiB', 896 * 2 ** 20],
    ['', null],
    ['n/a', null],
    ['-1 GiB', null],
    ['3 parsecs', null],
    [undefined, null],
    [null, null],
  ])('%s → %s', (text, want) => {
    expect(parseBytes(text)).toBe(want);
  });
});

describe('parseEnvMap', () => {
  it('splits keys only outside brackets, keeps colons in values and empty values', () => {
    expect(
      parseEnvMap(
        'map[HTTPS_PROXY: OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_MODELS:/Users/ /.ollama/models OLLAMA_ORIGINS:[http://localhost https://localhost:*] no_proxy:]',
      ),
    ).toEqual({
      HTTPS_PROXY: '',
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      OLLAMA_MODELS: '/Users/ /.ollama/models',
      OLLAMA_ORIGINS: '[http://localhost https://localhost:*]',
      no_proxy: '',
    });
  });
  it('reads Windows paths with escaped backslashes as printed', () => {
    expect(parseEnvMap('map[OLLAMA_MODELS:C:\\\\Users\\\\me\\\\.ollama\\\\models OLLAMA_NUM_PARALLEL:1]')).toEqual({
      OLLAMA_MODELS: 'C:\\\\Users\\\\me\\\\.ollama\\\\models',
      OLLAMA_NUM_PARALLEL: '1',
    });
  });
  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['t', true],
    ['0', false],
    ['false', false],
    ['', false],
    [undefined, false],
  ])('envTruthy(%s) is %s', (v, want) => {
    expect(envTruthy(v)).toBe(want);
  });
});

describe('model references', () => {
  it.each<[string, string | null, string | null]>([
    ['registry.ollama.ai/library/qwen3:8b', 'qwen3:8b', null],
    ['registry.ollama.ai/someone/mymodel:latest', 'someone/mymodel:latest', null],
    ['hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', 'hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', null],
    [
      '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03',
      null,
      'sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03',
    ],
    [
      'C:\\Users\\me\\.ollama\\models\\blobs\\sha256-7f3a1c55e2d94b08a6c31f0e9d2b47c8a15e6f903d7b2c4e8a19f5d06b3c7e21',
      null,
      'sha256-7f3a1c55e2d94b08a6c31f0e9d2b47c8a15e6f903d7b2c4e8a19f5d06b3c7e21',
    ],
    // The regexes run only behind a cheaper check; these sit on either side of it.
    ['sha256:d5422ff93680f280', null, 'sha256-d5422ff93680f280'],
    ['sha256x-model:1b', 'sha256x-model:1b', null],
    ['myblobs/model:1b', 'myblobs/model:1b', null],
    ['x/sha256-zz/sha256-d5422ff93680f280', 'x/sha256-zz/sha256-d5422ff93680f280', 'sha256-d5422ff93680f280'],
    ['registry.ollama.ai.example/qwen3:8b', 'registry.ollama.ai.example/qwen3:8b', null],
  ])('%s', (ref, name, blob) => {
    expect(modelName(ref)).toBe(name);
    expect(blobDigest(ref)).toBe(blob);
  });
});
