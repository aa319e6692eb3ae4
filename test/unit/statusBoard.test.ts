import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { StatusBoard } from '../../agent/StatusBoard.js';

afterEach(() => vi.useRealTimers());

function board() {
  const bus = new Bus();
  const published: unknown[] = [];
  bus.subscribe((m) => published.push(m));
  let reads = 0;
  const b = new StatusBoard(bus, 250, () => Date.now());
  b.show({
    agentVersion: '1',
    ollama: () => ({ url: 'u', state: 'unknown', version: null, lastError: null, checkedAt: null }),
    sources: () => [],
    requestCount: () => ++reads,
    loggedVersion: () => '0.33.0',
  });
  return { b, published };
}

describe('StatusBoard', () => {
  it('coalesces a burst of changes into one status message', () => {
    vi.useFakeTimers();
    const { b, published } = board();
    for (let i = 0; i < 100; i++) b.changed();
    vi.advanceTimersByTime(300);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: 'status',
      status: { machine: null, probes: [], channels: [], ollama: { version: '0.33.0' } },
    });
  });

  it('publishes nothing once stopped, even when parts still report (their data may be closed)', () => {
    vi.useFakeTimers();
    const { b, published } = board();
    b.changed();
    b.stop();
    b.changed();
    vi.advanceTimersByTime(1000);
    expect(published).toEqual([]);
  });

  it('publishes a change reported before it was shown its parts once they are shown', () => {
    vi.useFakeTimers();
    const bus = new Bus();
    const published: unknown[] = [];
    bus.subscribe((m) => published.push(m));
    const b = new StatusBoard(bus, 250, () => Date.now());
    b.changed();
    vi.advanceTimersByTime(1000);
    expect(published).toEqual([]);
    b.show({
      agentVersion: '1',
      ollama: () => ({ url: 'u', state: 'unknown', version: null, lastError: null, checkedAt: null }),
      sources: () => [],
      requestCount: () => 0,
      loggedVersion: () => null,
    });
    vi.advanceTimersByTime(300);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ type: 'status', status: { agentVersion: '1', requestCount: 0 } });
  });
});
