import { describe, expect, it } from 'vitest';
import { parseDetails, parsePs, parseShow, parseTags, parseVersion } from '../../../agent/ollama/parseApi.js';

// Bodies shaped as Ollama's docs/api.md examples and api/types.go (ProcessModelResponse,
// ListModelResponse, ShowResponse), with values of real /api/show answers.

/** docs/api.md "List Running Models" example: Ollama before mid-2025, no context_length. */
const PS_OLD = {
  models: [
    {
      name: 'mistral:latest',
      model: 'mistral:latest',
      size: 5137025024,
      digest: '2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '7.2B',
        quantization_level: 'Q4_0',
      },
      expires_at: '2024-06-04T14:38:31.83753-07:00',
      size_vram: 5137025024,
    },
  ],
};

/** A current /api/ps: context_length (ollama#11331), an MLX safetensors model partly off the GPU. */
const PS_NEW = {
  models: [
    {
      name: 'qwen3.5:35b-a3b',
      model: 'qwen3.5:35b-a3b',
      size: 23_010_000_000,
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: {
        parent_model: '',
        format: 'safetensors',
        family: 'qwen35moe',
        families: ['qwen35moe'],
        parameter_size: '35.1B',
        quantization_level: 'nvfp4',
      },
      expires_at: '2026-11-26T08:05:00.000+01:00',
      size_vram: 20_000_000_000,
      context_length: 262144,
    },
  ],
};

describe('parseVersion', () => {
  it('reads the version', () => {
    expect(parseVersion({ version: '0.12.6' })).toEqual({ version: '0.12.6' });
  });
  it.each([
    ['a number', { version: 12 }],
    ['an empty string', { version: '' }],
    ['no version key', { error: 'not found' }],
    ['an array', [{ version: '0.1.0' }]],
    ['null', null],
    ['a string', 'Ollama is running'],
  ])('rejects %s', (_name, body) => {
    expect(parseVersion(body)).toBeNull();
  });
});

describe('parsePs', () => {
  it('reads an old body without context_length as null', () => {
    expect(parsePs(PS_OLD)).toEqual([
      {
        name: 'mistral:latest',
        model: 'mistral:latest',
        digest: '2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8',
        sizeBytes: 5137025024,
        vramBytes: 5137025024,
        contextLength: null,
        expiresAt: '2024-06-04T14:38:31.83753-07:00',
        details: {
          parentModel: null,
          format: 'gguf',
          family: 'llama',
          families: ['llama'],
          parameterSize: '7.2B',
          quantizationLevel: 'Q4_0',
        },
      },
    ]);
  });

  it('reads context_length and the safetensors format from a current body', () => {
    const [m] = parsePs(PS_NEW)!;
    expect(m).toMatchObject({ contextLength: 262144, sizeBytes: 23_010_000_000, vramBytes: 20_000_000_000 });
    expect(m!.details.format).toBe('safetensors');
  });

  it('reads an empty list, and a nil slice as empty', () => {
    expect(parsePs({ models: [] })).toEqual([]);
    expect(parsePs({ models: null })).toEqual([]);
  });

  it('turns wrong-typed and zero-valued fields into null instead of trusting them', () => {
    const [m] = parsePs({
      models: [
        {
          name: 'llama3.2:latest',
          size: '4.0 GB',
          size_vram: -1,
          digest: '',
          context_length: 0,
          expires_at: '0001-01-01T00:00:00Z',
          details: 'gguf',
        },
      ],
    })!;
    expect(m).toEqual({
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      digest: null,
      sizeBytes: null,
      vramBytes: null,
      contextLength: null,
      expiresAt: null,
      details: { parentModel: null, format: null, family: null, families: null, parameterSize: null, quantizationLevel: null },
    });
  });

  it('drops entries without a name but keeps the rest', () => {
    const out = parsePs({ models: [{ model: 'x', size: 1 }, 'junk', null, { name: 'ok:1b', size: 2 }] });
    expect(out?.map((m) => m.name)).toEqual(['ok:1b']);
  });

  it.each([
    ['no models key', {}],
    ['models not an array', { models: { name: 'x' } }],
    ['an error body', { error: 'unauthorized' }],
    ['an array body', [PS_OLD.models[0]]],
    ['a string', '<html>404</html>'],
    ['undefined', undefined],
  ])('rejects a malformed body: %s', (_name, body) => {
    expect(parsePs(body)).toBeNull();
  });
});

describe('parseTags', () => {
  // docs/api.md "List Local Models" example, plus an MLX build.
  const TAGS = {
    models: [
      {
        name: 'deepseek-r1:latest',
        model: 'deepseek-r1:latest',
        modified_at: '2025-05-10T08:06:48.639712648-07:00',
        size: 4683075271,
        digest: '0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163',
        details: {
          parent_model: '',
          format: 'gguf',
          family: 'qwen2',
          families: ['qwen2'],
          parameter_size: '7.6B',
          quantization_level: 'Q4_K_M',
        },
      },
      {
        name: 'qwen3.5:35b-a3b',
        model: 'qwen3.5:35b-a3b',
        modified_at: '2026-11-20T18:42:11.532871+01:00',
        size: 21346318336,
        digest: 'b7a1a3e0f4e5c1a57c49d1c1d8e58e0bd34a6a9f4a17f5a2a0b1c2d3e4f5a6b7',
        details: {
          parent_model: '',
          format: 'safetensors',
          family: 'qwen35moe',
          families: null,
          parameter_size: '35.1B',
          quantization_level: 'nvfp4',
        },
      },
    ],
  };

  it('reads every local model with its format', () => {
    const out = parseTags(TAGS)!;
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      name: 'deepseek-r1:latest',
      model: 'deepseek-r1:latest',
      modifiedAt: '2025-05-10T08:06:48.639712648-07:00',
      sizeBytes: 4683075271,
      digest: '0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163',
      details: {
        parentModel: null,
        format: 'gguf',
        family: 'qwen2',
        families: ['qwen2'],
        parameterSize: '7.6B',
        quantizationLevel: 'Q4_K_M',
      },
    });
    expect(out.filter((m) => m.details.format === 'safetensors').map((m) => m.name)).toEqual(['qwen3.5:35b-a3b']);
    expect(out[1]!.details.families).toBeNull();
  });

  it('rejects a body that is not a model list', () => {
    expect(parseTags({ tags: [] })).toBeNull();
    expect(parseTags(42)).toBeNull();
  });
});

describe('parseShow', () => {
  // docs/api.md "Show Model Information" example (abridged), old `sha256:` blob spelling included.
  const SHOW = {
    modelfile:
      '# Modelfile generated by "ollama show"\n# To build a new Modelfile based on this one, replace the FROM line with:\n# FROM llava:latest\n\n' +
      'FROM /Users/matt/.ollama/models/blobs/sha256:200765e1283640ffbd013184bf496e261032fa75b99498a9613be4e94d63ad52\n' +
      'TEMPLATE """{{ .System }}\nUSER: {{ .Prompt }}\nASSISTANT: """\nPARAMETER num_ctx 4096\nPARAMETER stop "</s>"\n',
    parameters: 'num_keep                       24\nstop                           "<|start_header_id|>"',
    template: '{{ if .System }}<|start_header_id|>system<|end_header_id|>…',
    details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '8.0B', quantization_level: 'Q4_0' },
    model_info: {
      'general.architecture': 'llama',
      'general.file_type': 2,
      'general.parameter_count': 8030261248,
      'general.quantization_version': 2,
      'llama.attention.head_count': 32,
      'llama.attention.head_count_kv': 8,
      'llama.attention.layer_norm_rms_epsilon': 0.00001,
      'llama.block_count': 32,
      'llama.context_length': 8192,
      'llama.embedding_length': 4096,
      'llama.feed_forward_length': 14336,
      'llama.rope.dimension_count': 128,
      'llama.rope.freq_base': 500000,
      'llama.vocab_size': 128256,
      'tokenizer.ggml.bos_token_id': 128000,
      'tokenizer.ggml.eos_token_id': 128009,
      'tokenizer.ggml.merges': [],
      'tokenizer.ggml.model': 'gpt2',
      'tokenizer.ggml.pre': 'llama-bpe',
      'tokenizer.ggml.token_type': [],
      'tokenizer.ggml.tokens': [],
    },
    capabilities: ['completion', 'vision'],
    modified_at: '2025-04-22T18:48:13.151465-07:00',
  };

  it('keeps details, model_info, modelfile and capabilities', () => {
    const out = parseShow(SHOW)!;
    expect(out.details.family).toBe('llama');
    expect(out.modelInfo?.['llama.block_count']).toBe(32);
    expect(out.modelInfo?.['tokenizer.ggml.tokens']).toEqual([]);
    expect(out.modelfile).toContain('FROM /Users/matt/.ollama/models/blobs/sha256:200765e1');
    expect(out.capabilities).toEqual(['completion', 'vision']);
    expect(out.modifiedAt).toBe('2025-04-22T18:48:13.151465-07:00');
  });

  it('reads an old response without model_info or capabilities', () => {
    const out = parseShow({ modelfile: 'FROM llama2\n', details: { format: 'gguf', family: 'llama' } })!;
    expect(out).toEqual({
      details: { parentModel: null, format: 'gguf', family: 'llama', families: null, parameterSize: null, quantizationLevel: null },
      modelInfo: null,
      modelfile: 'FROM llama2\n',
      capabilities: null,
      modifiedAt: null,
    });
  });

  it('ignores a model_info that is not a map and non-string capabilities', () => {
    const out = parseShow({ model_info: ['general.architecture', 'llama'], capabilities: ['completion', 3, null] })!;
    expect(out.modelInfo).toBeNull();
    expect(out.capabilities).toEqual(['completion']);
  });

  it.each([
    ['an error body', { error: "model 'nope' not found" }],
    ['null', null],
    ['an array', [SHOW]],
    ['a number', 404],
  ])('rejects %s', (_name, body) => {
    expect(parseShow(body)).toBeNull();
  });
});

describe('parseDetails', () => {
  it('gives all-null details for a missing object', () => {
    expect(parseDetails(undefined)).toEqual({
      parentModel: null,
      format: null,
      family: null,
      families: null,
      parameterSize: null,
      quantizationLevel: null,
    });
  });
});
