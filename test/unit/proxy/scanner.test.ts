import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../agent/config/parseConfig.js';
import { endToEndHeaders } from '../../../agent/proxy/proxyHeaders.js';
import { proxyFigures } from '../../../agent/proxy/ProxyRecorder.js';
import { normalizeModel, peekRequest } from '../../../agent/proxy/requestPeek.js';
import { ResponseScanner, scanModeFor } from '../../../agent/proxy/ResponseScanner.js';
import { parseProxySpec } from '../../../agent/proxy/proxySpec.js';

/** Feeds `text` to a scanner in pieces of `size` bytes (split anywhere, even inside a UTF-8 character). */
function scan(mode: 'json' | 'sse', text: string, size = 7, maxLine?: number) {
  const s = new ResponseScanner(mode, maxLine);
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) s.push(buf.subarray(i, i + size));
  return s.end();
}

const DONE = {
  model: 'qwen3:8b',
  created_at: '2026-01-01T00:00:00Z',
  message: { role: 'assistant', content: '' },
  done_reason: 'stop',
  done: true,
  total_duration: 5_000_000_000,
  load_duration: 100_000_000,
  prompt_eval_count: 26,
  prompt_eval_duration: 130_000_000,
  eval_count: 290,
  eval_duration: 4_000_000_000,
};

describe('ResponseScanner', () => {
  it('reads the final done:true chunk of an NDJSON stream, split at any byte', () => {
    const lines = [
      '{"model":"qwen3:8b","message":{"role":"assistant","content":"héllo \\"eval_count\\":9"},"done":false}',
      JSON.stringify(DONE),
    ];
    for (const size of [1, 3, 7, 1000]) {
      const r = scan('json', lines.join('\n') + '\n', size);
      expect(r).toMatchObject({
        model: 'qwen3:8b',
        done: true,
        doneReason: 'stop',
        promptEvalCount: 26,
        evalCount: 290,
        promptEvalDuration: 130_000_000,
        evalDuration: 4_000_000_000,
        loadDuration: 100_000_000,
        totalDuration: 5_000_000_000,
      });
    }
    expect(proxyFigures({ scan: scan('json', JSON.stringify(DONE)) } as never)).toEqual({
      promptTokens: 26,
      completionTokens: 290,
      decodeTps: 72.5,
      prefillTps: 200,
    });
  });

  it('reads a non-streamed body without a trailing newline, and the tail of one longer than the bound', () => {
    expect(scan('json', JSON.stringify(DONE)).evalCount).toBe(290);
    // As Ollama orders them: the text first, the counters last.
    const long = JSON.stringify({ response: 'x'.repeat(300_000), ...DONE, message: undefined });
    const r = scan('json', long, 4096, 100_000);
    expect(r).toMatchObject({ done: true, doneReason: 'stop', promptEvalCount: 26, evalCount: 290, evalDuration: 4_000_000_000 });
    // Content that merely mentions the keys (escaped inside a string) is not read as counters.
    const tricky = scan('json', JSON.stringify({ response: '"eval_count":5 "done":true'.repeat(10_000), done: false }), 4096, 10_000);
    expect(tricky).toMatchObject({ done: false, evalCount: null });
  });

  it('reads OpenAI SSE usage (include_usage), Responses and Anthropic events, ignoring usage:null chunks and [DONE]', () => {
    const openai = [
      'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}',
      '',
      'data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":22,"total_tokens":33}}',
      '',
      'data: [DONE]',
      '',
    ].join('\n');
    expect(scan('sse', openai)).toMatchObject({ usageInput: 11, usageOutput: 22 });
    const responses =
      'event: response.completed\ndata: {"type":"response.completed","response":{"id":"r","usage":{"input_tokens":5,"output_tokens":6}}}\n\n';
    expect(scan('sse', responses)).toMatchObject({ usageInput: 5, usageOutput: 6 });
    const anthropic = [
      'event: message_start',
      'data: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":40,"output_tokens":1}}}',
      '',
      'event: message_delta',
      'data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":77}}',
      '',
    ].join('\n');
    expect(scan('sse', anthropic)).toMatchObject({ usageInput: 40, usageOutput: 77 });
    expect(scan('json', '{"object":"list","data":[],"usage":{"prompt_tokens":8,"total_tokens":8}}')).toMatchObject({
      usageInput: 8,
      usageOutput: null,
    });
  });

  it('picks its mode from the content type, and leaves compressed bodies alone', () => {
    expect(scanModeFor('application/x-ndjson', undefined)).toBe('json');
    expect(scanModeFor('application/json; charset=utf-8', undefined)).toBe('json');
    expect(scanModeFor('text/event-stream', undefined)).toBe('sse');
    expect(scanModeFor('text/plain', undefined)).toBe('off');
    expect(scanModeFor('application/json', 'gzip')).toBe('off');
  });
});

describe('request peek, spec and headers', () => {
  it('reads model and stream from the body or its first bytes', () => {
    expect(peekRequest(Buffer.from('{"model":"llama3","stream":false,"prompt":"hi"}'), true)).toEqual({
      model: 'llama3:latest',
      stream: false,
    });
    expect(peekRequest(Buffer.from('{"model":"qwen3:8b","messages":[{"content":"\\"model\\":\\"evil\\"'), false)).toEqual({
      model: 'qwen3:8b',
      stream: null,
    });
    expect(peekRequest(Buffer.alloc(0), true)).toEqual({ model: null, stream: null });
    expect(normalizeModel('registry.ollama.ai/library/gemma3:4b')).toBe('gemma3:4b');
    expect(normalizeModel('hf.co/org/repo')).toBe('hf.co/org/repo:latest');
  });

  it('parses LISTEN=UPSTREAM and points --ollama at UPSTREAM unless given', () => {
    expect(parseProxySpec('127.0.0.1:11434=127.0.0.1:11435')).toEqual({
      listen: { host: '127.0.0.1', port: 11434 },
      upstream: { host: '127.0.0.1', port: 11435 },
    });
    expect(parseProxySpec(':11434=http://[::1]:11435/')).toEqual({
      listen: { host: '127.0.0.1', port: 11434 },
      upstream: { host: '::1', port: 11435 },
    });
    expect(() => parseProxySpec('127.0.0.1:11434')).toThrow('LISTEN=UPSTREAM');
    expect(() => parseProxySpec('127.0.0.1:11434=localhost:11434')).toThrow('same address');
    expect(() => parseProxySpec('1=https://a:1')).toThrow('plain http');
    const env = { HOME: '/h' };
    expect(parseConfig(['--proxy', '127.0.0.1:11434=127.0.0.1:11435'], env).config).toMatchObject({
      proxy: '127.0.0.1:11434=127.0.0.1:11435',
      ollama: 'http://127.0.0.1:11435',
    });
    expect(parseConfig(['--proxy=:8080=:9090', '--ollama', 'http://h:1'], env).config).toMatchObject({
      proxy: '127.0.0.1:8080=127.0.0.1:9090',
      ollama: 'http://h:1',
    });
    expect(parseConfig([], env).config.proxy).toBeNull();
    expect(() => parseConfig(['--proxy', 'nonsense'], env)).toThrow('--proxy');
  });

  it('drops hop-by-hop headers and those Connection names, keeping the rest as sent', () => {
    expect(
      endToEndHeaders([
        'Host',
        'h',
        'Connection',
        'keep-alive, X-Drop',
        'X-Drop',
        '1',
        'Keep-Alive',
        'timeout=5',
        'Transfer-Encoding',
        'chunked',
        'X-Keep',
        'a',
        'x-keep',
        'b',
        'TE',
        'trailers',
        'Upgrade',
        'h2c',
      ]),
    ).toEqual(['Host', 'h', 'X-Keep', 'a', 'x-keep', 'b']);
  });
});
