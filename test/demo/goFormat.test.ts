import { describe, expect, it } from 'vitest';
import { ginLatency, goDuration, humanBytes2, parseOffset, slogText, slogTime, ginTime } from '../../agent/demo/goFormat.js';
import { gin, slog } from '../../agent/demo/logLines.js';

describe('Go formatting', () => {
  it('renders time.Duration like Go', () => {
    expect(goDuration(579_750)).toBe('579.75\u00b5s');
    expect(goDuration(2_031_083)).toBe('2.031083ms');
    expect(goDuration(11_150_702_416)).toBe('11.150702416s');
    expect(goDuration(4_000_000_000)).toBe('4s');
    expect(goDuration(62_000_000_000)).toBe('1m2s');
    expect(goDuration(3_600_000_000_000)).toBe('1h0m0s');
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(999)).toBe('999ns');
  });

  it('truncates gin latencies over a minute to whole seconds', () => {
    expect(ginLatency(316_400_000_000)).toBe('5m16s');
    expect(ginLatency(59_500_000_000)).toBe('59.5s');
  });

  it('formats sizes like format.HumanBytes2', () => {
    expect(humanBytes2(96 * 1024 ** 3)).toBe('96.0 GiB');
    expect(humanBytes2(512 * 1024 ** 2)).toBe('512.0 MiB');
    expect(humanBytes2(0)).toBe('0 B');
  });

  it('quotes slog values only when Go would', () => {
    expect(slogText('gpu')).toBe('gpu');
    expect(slogText('')).toBe('""');
    expect(slogText('96.0 GiB')).toBe('"96.0 GiB"');
    expect(slogText('a"b')).toBe('"a\\"b"');
    expect(slogText('C:\\Users\\x')).toBe('C:\\Users\\x');
  });

  it('stamps slog and gin times in the requested zone', () => {
    const t = new Date('2026-11-26T07:00:01.123Z');
    expect(slogTime(t, parseOffset('+01:00'))).toBe('2026-11-26T08:00:01.123+01:00');
    expect(slogTime(t, parseOffset('Z'))).toBe('2026-11-26T07:00:01.123Z');
    expect(slogTime(t, parseOffset('-07:00'))).toBe('2026-11-26T00:00:01.123-07:00');
    expect(ginTime(t, parseOffset('+01:00'))).toBe('2026/11/26 - 08:00:01');
    expect(() => parseOffset('CET')).toThrow();
  });

  it('lays out slog and gin lines exactly', () => {
    const t = new Date('2026-11-26T07:00:01.000Z');
    const clock = { offsetMinutes: 60 };
    expect(
      slog('INFO', 'server.go:44', 'MLX engine initialized', [
        ['MLX version', '0.30.6'],
        ['device', 'gpu'],
      ])(t, clock),
    ).toBe(
      'time=2026-11-26T08:00:01.000+01:00 level=INFO source=server.go:44 msg="MLX engine initialized" "MLX version"=0.30.6 device=gpu',
    );
    expect(gin(200, 4_512_345_678, '127.0.0.1', 'POST', '/api/chat')(t, clock)).toBe(
      '[GIN] 2026/11/26 - 08:00:01 | 200 |  4.512345678s |       127.0.0.1 | POST     "/api/chat"',
    );
    expect(gin(404, 579_750, '::1', 'GET', '/api/tags')(t, clock)).toBe(
      '[GIN] 2026/11/26 - 08:00:01 | 404 |      579.75\u00b5s |             ::1 | GET      "/api/tags"',
    );
  });
});
