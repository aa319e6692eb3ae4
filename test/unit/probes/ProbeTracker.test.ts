import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../agent/probes/commandRunner.js';
import { describeProbeError, ProbeTracker } from '../../../agent/probes/ProbeTracker.js';
import { logLines } from './fakeIo.js';

describe('ProbeTracker', () => {
  it('logs the first failure and the recovery, nothing for repeats or first successes', () => {
    const { log, lines } = logLines();
    const t = new ProbeTracker(log);
    expect(t.ok('vm_stat')).toBeNull();
    const enoent = new CommandError('/usr/sbin/sysctl was not found', 'ENOENT', '', '');
    expect(t.fail('sysctl', enoent)).toBe('memory probe sysctl is not available here: /usr/sbin/sysctl was not found');
    expect(t.fail('sysctl', enoent)).toBeNull();
    expect(t.fail('sysctl', new Error('/usr/sbin/sysctl timed out after 3000 ms'))).toBeNull();
    expect(t.ok('vm_stat')).toBeNull();
    expect(t.ok('sysctl')).toBe('memory probe sysctl is available again');
    expect(t.ok('sysctl')).toBeNull();
    expect(lines).toEqual([
      'memory probe sysctl is not available here: /usr/sbin/sysctl was not found',
      'memory probe sysctl is available again',
    ]);
  });

  it('keeps the latest reason in the status, sorted by name', () => {
    const t = new ProbeTracker(() => {});
    t.fail('top', 'first');
    t.ok('ps');
    t.fail('top', new Error('second\nstack-ish detail'));
    expect(t.statuses()).toEqual([
      { name: 'ps', available: true, detail: null },
      { name: 'top', available: false, detail: 'second' },
    ]);
  });

  it('attempt: a value is ok, null is "unexpected output", a throw is its message; none of them throws', async () => {
    const { log, lines } = logLines();
    const t = new ProbeTracker(log);
    await expect(t.attempt('a', async () => 42)).resolves.toBe(42);
    await expect(t.attempt('b', async () => null)).resolves.toBeNull();
    await expect(t.attempt('c', () => Promise.reject(new Error('boom')))).resolves.toBeNull();
    await expect(t.attempt('d', async () => null, 'no table in top output')).resolves.toBeNull();
    expect(lines).toEqual([
      'memory probe b is not available here: unexpected output from b',
      'memory probe c is not available here: boom',
      'memory probe d is not available here: no table in top output',
    ]);
    expect(t.statuses().map((s) => s.available)).toEqual([true, false, false, false]);
  });

  it('describeProbeError handles non-errors', () => {
    expect(describeProbeError('plain')).toBe('plain');
    expect(describeProbeError(new Error(''))).toBe('unknown error');
    expect(describeProbeError(7)).toBe('7');
  });
});
