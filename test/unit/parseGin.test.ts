import { describe, expect, it } from 'vitest';
import { parseGin } from '../../agent/parse/parseGin.js';
import { parseLine } from '../../agent/parse/parseLine.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';

// Lines written from gin's format string "[GIN] %v |%s %3d %s| %13v | %15s |%s %-7s %s %#v"
// in the layouts the reference documents for each era.
const cases: [string, string, { local: string; status: number; latencyMs: number; client: string; method: string; path: string }][] = [
  [
    'era A/B padded seconds',
    '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/api/chat"',
    { local: '2024-05-09T14:21:06', status: 200, latencyMs: 12604.318275, client: '127.0.0.1', method: 'POST', path: '/api/chat' },
  ],
  [
    'microseconds',
    '[GIN] 2025/09/18 - 16:40:12 | 200 |      612.38µs |       127.0.0.1 | HEAD     "/"',
    { local: '2025-09-18T16:40:12', status: 200, latencyMs: 0.61238, client: '127.0.0.1', method: 'HEAD', path: '/' },
  ],
  [
    'milliseconds',
    '[GIN] 2025/06/21 - 08:33:47 | 200 |    3.402719ms |       127.0.0.1 | GET      "/api/tags"',
    { local: '2025-06-21T08:33:47', status: 200, latencyMs: 3.402719, client: '127.0.0.1', method: 'GET', path: '/api/tags' },
  ],
  [
    'minutes truncated to seconds',
    '[GIN] 2026/07/02 - 11:05:52 | 200 |         2m17s |             ::1 | POST     "/api/generate"',
    { local: '2026-07-02T11:05:52', status: 200, latencyMs: 137_000, client: '::1', method: 'POST', path: '/api/generate' },
  ],
  [
    'hours',
    '[GIN] 2026/03/01 - 09:00:00 | 200 |      1h24m39s |       127.0.0.1 | POST     "/api/chat"',
    { local: '2026-03-01T09:00:00', status: 200, latencyMs: 5_079_000, client: '127.0.0.1', method: 'POST', path: '/api/chat' },
  ],
  [
    'zero latency (Windows clock)',
    '[GIN] 2026/02/03 - 07:48:29 | 404 |            0s |       127.0.0.1 | POST     "/api/show"',
    { local: '2026-02-03T07:48:29', status: 404, latencyMs: 0, client: '127.0.0.1', method: 'POST', path: '/api/show' },
  ],
  [
    'server error',
    '[GIN] 2026/02/24 - 21:16:08 | 500 | 37.512904163s |       127.0.0.1 | POST     "/api/generate"',
    { local: '2026-02-24T21:16:08', status: 500, latencyMs: 37512.904163, client: '127.0.0.1', method: 'POST', path: '/api/generate' },
  ],
  [
    'remote client filling the column',
    '[GIN] 2026/08/14 - 09:12:41 | 200 |          86µs | 100.100.100.100 | GET      "/"',
    { local: '2026-08-14T09:12:41', status: 200, latencyMs: 0.086, client: '100.100.100.100', method: 'GET', path: '/' },
  ],
  [
    'OpenAI route',
    '[GIN] 2025/01/12 - 11:27:19 | 200 |  4.768963448s |      172.17.0.1 | POST     "/v1/chat/completions"',
    {
      local: '2025-01-12T11:27:19',
      status: 200,
      latencyMs: 4768.963448,
      client: '172.17.0.1',
      method: 'POST',
      path: '/v1/chat/completions',
    },
  ],
  [
    'Go-quoted path with escapes',
    '[GIN] 2025/01/12 - 11:27:19 | 404 |      15.068µs |       127.0.0.1 | GET      "/a\\"b\\\\c"',
    { local: '2025-01-12T11:27:19', status: 404, latencyMs: 0.015068, client: '127.0.0.1', method: 'GET', path: '/a"b\\c' },
  ],
  [
    'empty client column',
    '[GIN] 2025/01/12 - 11:27:19 | 200 |      15.068µs |                 | GET      "/"',
    { local: '2025-01-12T11:27:19', status: 200, latencyMs: 0.015068, client: '', method: 'GET', path: '/' },
  ],
  // Latencies the in-place reader leaves to parseGoDuration.
  [
    'µs re-encoded by a Windows console',
    '[GIN] 2024/05/09 - 14:21:06 | 200 |      500.1┬Ás |       127.0.0.1 | GET      "/"',
    { local: '2024-05-09T14:21:06', status: 200, latencyMs: 0.5001, client: '127.0.0.1', method: 'GET', path: '/' },
  ],
  [
    'long method (OPTIONS)',
    '[GIN] 2025/01/12 - 11:27:19 | 204 |      15.068µs |       127.0.0.1 | OPTIONS  "/api/chat"',
    { local: '2025-01-12T11:27:19', status: 204, latencyMs: 0.015068, client: '127.0.0.1', method: 'OPTIONS', path: '/api/chat' },
  ],
];

describe('parseGin', () => {
  it.each(cases)('%s', (_name, line, want) => {
    const e = parseGin(line);
    expect(e).not.toBeNull();
    expect({
      local: e!.time.local,
      status: e!.status,
      latencyMs: e!.latencyMs,
      client: e!.client,
      method: e!.method,
      path: e!.path,
    }).toEqual(want);
  });

  it.each([
    ['not gin', 'time=2024-05-09T14:20:11.382-04:00 level=INFO source=routes.go:1143 msg="Listening on 127.0.0.1:11434 (version 0.1.32)"'],
    [
      'gin debug route table',
      '[GIN-debug] POST   /api/pull                 --> github.com/ollama/ollama/server.PullModelHandler (5 handlers)',
    ],
    ['cut in the middle', '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604'],
    ['cut in the client column', '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.>'],
    ['bad latency', '[GIN] 2024/05/09 - 14:21:06 | 200 | soon |       127.0.0.1 | POST     "/api/chat"'],
    // gin measures with Go's monotonic clock: a negative latency is a damaged line, not a request to store.
    ['negative latency', '[GIN] 2024/05/09 - 14:21:06 | 200 |   -2.031083ms |       127.0.0.1 | POST     "/api/chat"'],
    ['text after the closing quote', '[GIN] 2024/05/09 - 14:21:06 | 200 |    2.031083ms |       127.0.0.1 | POST     "/api/chat" x'],
  ])('rejects %s', (_name, line) => {
    expect(parseGin(line)).toBeNull();
  });

  // A pager (journalctl through less -S) cuts a long line at the terminal's width and marks it `>`.
  it.each([
    [
      'cut by a pager with >',
      '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/v1/chat/compl>',
      '/v1/chat/compl',
    ],
    ['cut with an ellipsis', '[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/api/gen…', '/api/gen'],
    ['cut right after the opening quote', '[GIN] 2024/05/09 - 14:21:06 | 500 | 12.604318275s |       127.0.0.1 | POST     ">', ''],
  ])('keeps a request %s, its path as far as it goes, flagged cut', (_name, line, path) => {
    expect(parseGin(line)).toMatchObject({ type: 'gin', status: line.includes('| 500 |') ? 500 : 200, method: 'POST', path, cut: true });
  });

  it('does not flag a whole line as cut', () => {
    expect(parseGin('[GIN] 2024/05/09 - 14:21:06 | 200 | 12.604318275s |       127.0.0.1 | POST     "/api/chat"')).not.toHaveProperty(
      'cut',
    );
  });

  it('gives each line its own time while lines share their minute or second', () => {
    const times = ['14:21:06', '14:21:06', '14:21:07', '14:22:07', '14:22:07', '15:22:07'].map(
      (t) => parseGin(`[GIN] 2024/05/09 - ${t} | 200 |    2.031083ms |       127.0.0.1 | POST     "/api/chat"`)!.time.local,
    );
    expect(times).toEqual([
      '2024-05-09T14:21:06',
      '2024-05-09T14:21:06',
      '2024-05-09T14:21:07',
      '2024-05-09T14:22:07',
      '2024-05-09T14:22:07',
      '2024-05-09T15:22:07',
    ]);
    expect(parseGin('[GIN] 2024/05/10 - 15:22:07 | 200 |    2.031083ms |       127.0.0.1 | POST     "/api/chat"')!.time.local).toBe(
      '2024-05-10T15:22:07',
    );
  });
});

describe('parseLine on prefixed GIN lines', () => {
  const bare = '[GIN] 2024/05/21 - 10:52:37 | 200 |     734.206µs |       127.0.0.1 | GET      "/api/tags"';
  it.each([
    ['journald', `May 21 10:52:37 workstation ollama[4242]: ${bare}`],
    ['journald short-iso', `2024-05-21T10:52:37+0800 host ollama[4242]: ${bare}`],
    ['Docker Desktop', `2024-05-21 10:52:37 ${bare}`],
    ['docker logs -t', `2024-05-21T02:52:37.123456789Z ${bare}`],
    ['docker compose', `llm-api-ollama  | ${bare}`],
    ['compose + replica', `ollama-1  | ${bare}`],
    ['UTF-8 BOM', `\uFEFF${bare}`],
    [
      'ANSI colours (gin on a TTY)',
      '[GIN] 2024/05/21 - 10:52:37 |\x1b[97;42m 200 \x1b[0m|     734.206µs |       127.0.0.1 |\x1b[97;44m GET     \x1b[0m "/api/tags"',
    ],
  ])('%s', (_name, line) => {
    // The pipeline strips prefixes before parsing (LogicalLines); the parser sees Ollama's own text.
    const e = parseLine(stripPrefix(line));
    expect(e).toMatchObject({
      type: 'gin',
      status: 200,
      method: 'GET',
      path: '/api/tags',
      latencyMs: 0.734206,
      time: { local: '2024-05-21T10:52:37' },
    });
  });
});
