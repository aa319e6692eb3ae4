import { describe, expect, it } from 'vitest';
import { Correlator } from '../../agent/correlate/correlator.js';
import { requestKind } from '../../agent/correlate/requestKind.js';
import { parseLine } from '../../agent/parse/parseLine.js';

function run(lines: string[]) {
  const c = new Correlator();
  return lines.map((l) => parseLine(l)).flatMap((e) => (e ? [c.feed(e)] : [])).filter((r) => r !== null);
}

describe('Correlator', () => {
  it('gives GIN times the offset of the log\'s slog lines', () => {
    const out = run([
      'time=2025-06-18T10:06:47.511-05:00 level=INFO source=routes.go:1287 msg="Listening on 127.0.0.1:11434 (version 0.9.0)"',
      '[GIN] 2025/06/18 - 10:08:19 | 200 |  9.812358708s |       127.0.0.1 | POST     "/api/generate?x=secret"',
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ kind: 'server', record: { version: '0.9.0', address: '127.0.0.1:11434' } });
    expect(out[1]).toMatchObject({
      kind: 'request',
      record: { at: '2025-06-18T10:08:19-05:00', ts: Date.parse('2025-06-18T15:08:19Z'), path: '/api/generate', kind: 'inference', latencyMs: 9812.358708 },
    });
  });

  it('leaves the zone off when the log never showed one, and facts it cannot know null', () => {
    const [r] = run(['[GIN] 2024/05/07 - 12:57:18 | 200 | 11.150702416s |       127.0.0.1 | POST     "/api/chat"']);
    expect(r).toMatchObject({ kind: 'request', record: { at: '2024-05-07T12:57:18' } });
    const rec = (r as { record: Record<string, unknown> }).record;
    for (const k of ['model', 'backend', 'promptTokens', 'completionTokens', 'prefillTps', 'decodeTps', 'ctxUsed', 'ctxLimit', 'truncated']) {
      expect(rec[k], k).toBeNull();
    }
  });
});

describe('requestKind', () => {
  it.each([
    ['/api/chat', 'inference'], ['/api/generate', 'inference'], ['/api/embed', 'inference'], ['/api/embeddings', 'inference'],
    ['/v1/chat/completions', 'inference'], ['/v1/completions', 'inference'], ['/v1/responses', 'inference'],
    ['/v1/messages', 'inference'], ['/v1/embeddings', 'inference'], ['/v1/messages?beta=true', 'inference'],
    ['/api/tags', 'other'], ['/api/show', 'other'], ['/', 'other'], ['/v1/models', 'other'], ['/api/pull', 'other'],
  ])('%s is %s', (path, kind) => {
    expect(requestKind(path)).toBe(kind);
  });
});
