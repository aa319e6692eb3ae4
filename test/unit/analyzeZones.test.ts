// `analyze --json`: every `at` of a file carries an offset once the log shows one, also the access
// lines printed before the first zoned line (a log that begins mid-run); a log with no zone keeps none.
import { describe, expect, it } from 'vitest';
import { analyzeLines } from '../../agent/analyze/analyzeLog.js';

const GIN_1 = '[GIN] 2026/03/14 - 09:19:27 | 200 |    1.7342091s |       127.0.0.1 | POST     "/api/generate"';
const SLOG = 'time=2026-03-14T09:20:05.436+01:00 level=INFO source=routes.go:1684 msg="Listening on 127.0.0.1:11434 (version 0.15.2)"';
const GIN_2 = '[GIN] 2026/03/14 - 09:21:00 | 200 |      2.1234s |       127.0.0.1 | POST     "/api/chat"';

describe('analyze: one time convention per file', () => {
  it('gives the access lines before the first zoned line the zone the log shows', () => {
    const { result } = analyzeLines([GIN_1, SLOG, GIN_2]);
    expect(result.requests.map((r) => r.at)).toEqual(['2026-03-14T09:19:27+01:00', '2026-03-14T09:21:00+01:00']);
    expect(result.servers.map((s) => s.at)).toEqual(['2026-03-14T09:20:05.436+01:00']);
  });
  it('keeps zone-less times when the log states no zone at all', () => {
    const { result } = analyzeLines([GIN_1, GIN_2]);
    expect(result.requests.map((r) => r.at)).toEqual(['2026-03-14T09:19:27', '2026-03-14T09:21:00']);
  });
});
