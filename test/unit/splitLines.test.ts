import { describe, expect, it } from 'vitest';
import { decodeLine, MAX_LINE_BYTES, splitLines } from '../../agent/source/splitLines.js';

const split = (s: string | Buffer, offset = 0) => {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  return splitLines(b, b.length, offset);
};

describe('splitLines', () => {
  it('returns complete lines and stops before a partial one', () => {
    expect(split('a\nbb\ncc', 10)).toEqual({ lines: ['a', 'bb'], endOffset: 15, cut: 0 });
  });

  it('consumes nothing when no newline has arrived', () => {
    expect(split('partial')).toEqual({ lines: [], endOffset: 0, cut: 0 });
  });

  it('strips CRLF line ends (Windows logs)', () => {
    expect(split('a\r\nb\r\n').lines).toEqual(['a', 'b']);
  });

  it('keeps empty lines as lines', () => {
    expect(split('\n\nx\n')).toEqual({ lines: ['', '', 'x'], endOffset: 4, cut: 0 });
  });

  it('replaces invalid UTF-8 instead of failing', () => {
    const b = Buffer.concat([Buffer.from('ok '), Buffer.from([0xff, 0xfe]), Buffer.from(' 한국어\n')]);
    expect(split(b).lines).toEqual(['ok \uFFFD\uFFFD 한국어']);
  });

  it('decodes UTF-8 whether it sits among ASCII lines or only in the unfinished tail', () => {
    // ASCII chunks take a faster decoder; one non-ASCII byte anywhere in the complete lines must not.
    expect(split('plain\nmsg="café ☕"\nplain again\n').lines).toEqual(['plain', 'msg="café ☕"', 'plain again']);
    expect(split('a\nb\nunfinished é')).toEqual({ lines: ['a', 'b'], endOffset: 4, cut: 0 });
  });

  it('gives the same lines as decoding the whole chunk as UTF-8, for any mix of line kinds', () => {
    const kinds = [
      Buffer.from('[GIN] 2026/01/02 - 20:09:43 | 200 |     205.512µs |       127.0.0.1 | HEAD     "/"'),
      Buffer.from('plain ascii line'),
      Buffer.from(''),
      Buffer.from('emoji 🦙 and 한국어'),
      Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xc3]), // invalid, and a sequence cut by the newline
      Buffer.from('crlf é\r'),
    ];
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % kinds.length;
    for (let round = 0; round < 200; round++) {
      const parts: Buffer[] = [];
      for (let i = 0, n = 1 + (round % 9); i < n; i++) parts.push(kinds[next()]!, Buffer.from('\n'));
      const b = Buffer.concat(parts);
      const expected = b
        .toString('utf8', 0, b.length - 1)
        .split('\n')
        .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      expect(split(b).lines).toEqual(expected);
    }
  });

  it('only looks at the first `length` bytes of the buffer', () => {
    const b = Buffer.from('a\nb\nc\n');
    expect(splitLines(b, 3, 0)).toEqual({ lines: ['a'], endOffset: 2, cut: 0 });
  });

  it('cuts a line longer than the cap and counts it; the caller skips the rest', () => {
    const b = Buffer.alloc(MAX_LINE_BYTES + 1, 0x61);
    const r = splitLines(b, b.length, 0);
    expect(r.cut).toBe(1);
    expect(r.endOffset).toBe(MAX_LINE_BYTES);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]!.length).toBe(MAX_LINE_BYTES);
  });

  it('keeps a line of exactly the cap whole', () => {
    const b = Buffer.concat([Buffer.alloc(MAX_LINE_BYTES, 0x61), Buffer.from('\n')]);
    const r = splitLines(b, b.length, 0);
    expect(r).toMatchObject({ cut: 0, endOffset: MAX_LINE_BYTES + 1 });
    expect(r.lines[0]!.length).toBe(MAX_LINE_BYTES);
  });

  it('cuts before a character the cap would split, not inside it', () => {
    // 'é' is two bytes; placed so that its second byte is the first one past the cap.
    const b = Buffer.concat([Buffer.alloc(MAX_LINE_BYTES - 1, 0x61), Buffer.from('é'), Buffer.alloc(10, 0x62)]);
    const r = splitLines(b, b.length, 0);
    expect(r.cut).toBe(1);
    expect(r.lines[0]).toBe('a'.repeat(MAX_LINE_BYTES - 1));
  });
});

describe('decodeLine', () => {
  it('decodes a last line without its newline, dropping a CR', () => {
    expect(decodeLine(Buffer.from('tail\r'), 5)).toBe('tail');
    expect(decodeLine(Buffer.from('tail'), 4)).toBe('tail');
  });
});

describe('splitLines with nothing read', () => {
  it('reads no line from a zero length, whatever the buffer holds', () => {
    expect(splitLines(Buffer.from('old\n'), 0, 7)).toEqual({ lines: [], endOffset: 7, cut: 0 });
  });
});
