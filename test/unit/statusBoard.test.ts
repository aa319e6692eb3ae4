import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bus } from '../../agent/bus.js';
import { StatusBoard } from '../../agent/StatusBoard.js';

afterEach(() => vi.useRealTimers());

function board() {
  const bus = new Bus();
  const published: unknown[] = [];
  bus.subscribe((m) => published.push(m));
  let reads = 0;
  const b = new StatusBoard(
    {
      agentVersion: '1', ollama: () => ({ url: 'u', state: 'unknown', version: null, lastError: null, checkedAt: null }),
      sources: () => [], requestCount: () => ++reads, loggedVersion: () => '0.33.0',
    },
    bus, 250, () => Date.now(),
  );
  return { b, published };
}

describe('StatusBoard', () => {
  it('coalesces a burst of changes into one status message', () => {
    vi.useFakeTimers();
    const { b, published } = board();
    for (let i = 0; i < 100; i++) b.changed();
    vi.advanceTimersByTime(300);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ type: 'status', status: { machine: null, probes: [], channels: [], ollama: { version: '0.33.0' } } });
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
});
