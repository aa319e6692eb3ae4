import { describe, expect, it } from 'vitest';
import { httpStatusClass, requestSourceTag } from '../../dashboard/src/lib/requestLabels.js';

describe('httpStatusClass', () => {
  it('classifies 2xx/4xx/5xx', () => {
    expect([200, 304, 404, 500, 99].map(httpStatusClass)).toEqual(['success', 'redirect', 'client-error', 'server-error', 'other']);
  });
});

describe('requestSourceTag', () => {
  it('marks rows the proxy saw, and leaves log-only rows plain', () => {
    expect(requestSourceTag('log')).toBeNull();
    expect(requestSourceTag('both')?.text).toBe('log+proxy');
    expect(requestSourceTag('proxy')?.text).toBe('proxy');
    expect(requestSourceTag('proxy')?.title).toMatch(/proxy only/);
  });
});
