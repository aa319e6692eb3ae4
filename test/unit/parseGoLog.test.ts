import { describe, expect, it } from 'vitest';
import { parseGoLog } from '../../agent/parse/parseGoLog.js';

describe('parseGoLog', () => {
  it.each([
    [
      'server config before slog (v0.5)',
      '2025/02/13 17:38:14 routes.go:1187: INFO server config env="map[OLLAMA_DEBUG:false OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_ORIGINS:[http://localhost app://*]]"',
      {
        time: '2025-02-13T17:38:14',
        level: 'INFO',
        msg: 'server config',
        attrs: { env: 'map[OLLAMA_DEBUG:false OLLAMA_HOST:http://127.0.0.1:11434 OLLAMA_ORIGINS:[http://localhost app://*]]' },
      },
    ],
    [
      'server config (v0.1.38)',
      '2024/05/18 17:01:52 routes.go:1008: INFO server config env="map[OLLAMA_DEBUG:false OLLAMA_NUM_PARALLEL:1]"',
      { time: '2024-05-18T17:01:52', level: 'INFO', msg: 'server config', attrs: { env: 'map[OLLAMA_DEBUG:false OLLAMA_NUM_PARALLEL:1]' } },
    ],
    [
      'era A Listening: no attributes, everything is msg',
      '2023/12/27 02:44:39 routes.go:895: Listening on 127.0.0.1:11434 (version 0.1.17)',
      { time: '2023-12-27T02:44:39', level: 'INFO', msg: 'Listening on 127.0.0.1:11434 (version 0.1.17)', attrs: {} },
    ],
    [
      'slog default handler: no file:line, WARN, quoted value with brackets',
      '2026/02/22 17:04:03 WARN MLX dynamic library not available error="failed to load MLX dynamic library (searched: [/opt/homebrew/bin /Users/ana/가나/lib/ollama])"',
      {
        time: '2026-02-22T17:04:03',
        level: 'WARN',
        msg: 'MLX dynamic library not available',
        attrs: { error: 'failed to load MLX dynamic library (searched: [/opt/homebrew/bin /Users/ana/가나/lib/ollama])' },
      },
    ],
    [
      'era A runner started',
      '2023/12/05 18:12:11 llama.go:492: llama runner started in 9.200880 seconds',
      { time: '2023-12-05T18:12:11', level: 'INFO', msg: 'llama runner started in 9.200880 seconds', attrs: {} },
    ],
    [
      'era A GPU detection',
      '2024/01/10 10:00:00 gpu.go:88: Detecting GPU type',
      { time: '2024-01-10T10:00:00', level: 'INFO', msg: 'Detecting GPU type', attrs: {} },
    ],
    [
      'colon inside the message is not an attribute',
      '2024/01/10 10:00:01 gpu.go:203: CUDA Compute Capability detected: 8.6',
      { time: '2024-01-10T10:00:01', level: 'INFO', msg: 'CUDA Compute Capability detected: 8.6', attrs: {} },
    ],
    [
      'several attributes, dotted and quoted keys, escapes',
      '2025/03/01 09:00:00 sched.go:12: DEBUG loading model "model layers"=29 memory.required.kv="1.2 GiB" path="C:\\\\Users\\\\a b" n=3',
      {
        time: '2025-03-01T09:00:00',
        level: 'DEBUG',
        msg: 'loading model',
        attrs: { 'model layers': '29', 'memory.required.kv': '1.2 GiB', path: 'C:\\Users\\a b', n: '3' },
      },
    ],
    [
      'ERROR with an error attribute',
      '2025/03/01 09:00:00 server.go:99: ERROR llama runner terminated error="exit status 2"',
      { time: '2025-03-01T09:00:00', level: 'ERROR', msg: 'llama runner terminated', attrs: { error: 'exit status 2' } },
    ],
    [
      'slog default handler TRACE prints as DEBUG-4',
      '2025/03/01 09:00:00 DEBUG-4 tick n=1',
      { time: '2025-03-01T09:00:00', level: 'DEBUG-4', msg: 'tick', attrs: { n: '1' } },
    ],
    [
      'empty message (two spaces before the attributes)',
      '2025/03/01 09:00:00 WARN  error=boom',
      { time: '2025-03-01T09:00:00', level: 'WARN', msg: '', attrs: { error: 'boom' } },
    ],
    [
      'microseconds and a long file path',
      '2024/01/10 10:00:00.123456 /go/src/github.com/ollama/ollama/server/routes.go:895: INFO ready',
      { time: '2024-01-10T10:00:00.123456', level: 'INFO', msg: 'ready', attrs: {} },
    ],
    [
      'a level word inside the message is not a level',
      '2024/01/10 10:00:00 llm.go:111: INFORMATION only',
      { time: '2024-01-10T10:00:00', level: 'INFO', msg: 'INFORMATION only', attrs: {} },
    ],
    [
      'key=value followed by free text: all of it is the message',
      '2024/01/10 10:00:00 llm.go:111: using OLLAMA_HOST=0.0.0.0 as the bind address',
      { time: '2024-01-10T10:00:00', level: 'INFO', msg: 'using OLLAMA_HOST=0.0.0.0 as the bind address', attrs: {} },
    ],
    [
      'a flag with = is not an attribute',
      '2024/01/10 10:00:00 server.go:300: starting llama server --ctx-size=2048',
      { time: '2024-01-10T10:00:00', level: 'INFO', msg: 'starting llama server --ctx-size=2048', attrs: {} },
    ],
  ])('%s', (_name, line, want) => {
    expect(parseGoLog(line)).toEqual(want);
  });

  it.each([
    ['a slog line', 'time=2024-05-29T15:46:00.493Z level=INFO source=routes.go:1074 msg="Listening on 127.0.0.1:11434 (version 0.1.39)"'],
    ['a GIN line', '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/api/chat"'],
    ['llama.cpp output', 'load_tensors: offloaded 33/33 layers to GPU'],
    ['a Docker Desktop dash date', '2025-03-05 08:58:54 time=2025-03-05T08:58:54.000Z level=INFO msg=x'],
    ['a date without a time', '2024/01/10 hello'],
    ['empty', ''],
  ])('is null for %s', (_name, line) => {
    expect(parseGoLog(line)).toBeNull();
  });
});
