import { describe, expect, it } from 'vitest';
import { FINGERPRINT_BYTES, fingerprintOfHead, headMatches } from '../../agent/source/fileIdentity.js';

const head = (s: string) => Buffer.from(s).subarray(0, FINGERPRINT_BYTES);

describe('fingerprints', () => {
  const long = 'time=2026-11-26T08:00:00.000+01:00 level=INFO source=routes.go:2008 msg="Listening"';

  it('hash the first 64 bytes, and say how many bytes a shorter file had', () => {
    expect(fingerprintOfHead(head(long))).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOfHead(head('abc\n'))).toMatch(/^4:[0-9a-f]{16}$/);
    expect(fingerprintOfHead(Buffer.alloc(0))).toBeNull();
  });

  it('match the same file once it has grown, at any length', () => {
    for (const n of [1, 10, 63, 64]) expect(headMatches(fingerprintOfHead(head(long.slice(0, n))), head(long)), `${n}`).toBe(true);
  });

  it('do not match another file, nor a file shorter than the one fingerprinted', () => {
    expect(headMatches(fingerprintOfHead(head('a\n')), head('run 6\n'))).toBe(false);
    expect(headMatches(fingerprintOfHead(head(long)), head('x' + long.slice(1)))).toBe(false);
    expect(headMatches(fingerprintOfHead(head(long.slice(0, 20))), head(long.slice(0, 19)))).toBe(false);
    expect(headMatches(fingerprintOfHead(head(long)), head(long.slice(0, 63)))).toBe(false);
  });

  it('an empty file at the resume point (no fingerprint) matches anything', () => {
    expect(headMatches(null, head('anything'))).toBe(true);
  });
});
