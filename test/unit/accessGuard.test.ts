import { describe, expect, it } from 'vitest';
import { cookieToken, hostAllowed, originAllowed, tokenMatches, upgradeRefusal, type AccessPolicy } from '../../agent/http/accessGuard.js';
import { assertSafeExposure } from '../../agent/http/exposure.js';

const loop: AccessPolicy = { boundHost: '127.0.0.1', port: () => 7878, token: null };
const lan: AccessPolicy = { boundHost: '192.168.1.20', port: () => 7878, token: 'x'.repeat(16) };
const all: AccessPolicy = { boundHost: '0.0.0.0', port: () => 7878, token: 'x'.repeat(16) };

describe('hostAllowed', () => {
  it.each([
    [loop, '127.0.0.1:7878', true],
    [loop, 'localhost:7878', true],
    [loop, 'LOCALHOST:7878', true],
    [loop, '[::1]:7878', true],
    [loop, '127.0.0.1', true],
    [loop, '127.0.0.1:7879', false],
    [loop, 'evil.example:7878', false],
    [loop, '192.168.1.20:7878', false],
    [loop, undefined, false],
    [loop, '', false],
    [loop, 'a b:7878', false],
    [lan, '192.168.1.20:7878', true],
    [lan, 'lens.lan:7878', false],
    [all, 'lens.lan:7878', true],
    [{ ...all, token: null }, 'lens.lan:7878', false],
  ] as const)('%# %s', (policy, host, want) => {
    expect(hostAllowed(host, policy)).toBe(want);
  });
});

describe('origins, tokens, cookies', () => {
  it('accepts no Origin or our own, refuses any other scheme or host', () => {
    expect(originAllowed(undefined, loop)).toBe(true);
    expect(originAllowed('http://localhost:7878', loop)).toBe(true);
    expect(originAllowed('http://evil.example', loop)).toBe(false);
    expect(originAllowed('null', loop)).toBe(false);
    expect(originAllowed('file:///x', loop)).toBe(false);
  });

  it('compares tokens whole', () => {
    expect(tokenMatches('secret-token-123', 'secret-token-123')).toBe(true);
    expect(tokenMatches('secret-token-12', 'secret-token-123')).toBe(false);
    expect(tokenMatches(null, 'secret-token-123')).toBe(false);
    expect(cookieToken('a=1; ollama_lens_token=abc%3D; b=2')).toBe('abc=');
    expect(cookieToken('a=1')).toBeNull();
  });

  it('refuses an upgrade without the token when one is set', () => {
    expect(upgradeRefusal({ host: '192.168.1.20:7878' }, lan)).toBe('401 Unauthorized');
    expect(upgradeRefusal({ host: '192.168.1.20:7878', authorization: `Bearer ${'x'.repeat(16)}` }, lan)).toBeNull();
    expect(upgradeRefusal({ host: 'evil:7878', authorization: `Bearer ${'x'.repeat(16)}` }, lan)).toBe('403 Forbidden');
  });

  it('refuses to expose the agent without a token', () => {
    expect(() => assertSafeExposure({ host: '0.0.0.0', token: null })).toThrow(/without a token/);
    expect(() => assertSafeExposure({ host: '::', token: null })).toThrow(/without a token/);
    expect(() => assertSafeExposure({ host: '127.0.0.1', token: null })).not.toThrow();
    expect(() => assertSafeExposure({ host: 'localhost', token: 'short' })).toThrow(/at least 16/);
  });
});
