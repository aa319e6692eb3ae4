import { describe, expect, it } from 'vitest';
import { staleReason, staleText } from '../../dashboard/src/lib/stale.js';

describe('staleReason', () => {
  it.each([
    ['connecting', true, null, null],
    ['reconnecting', true, null, null],
    ['open', true, 1000, null],
    ['open', false, 1000, 'unresponsive'],
    ['reconnecting', true, 1000, 'disconnected'],
    ['connecting', false, 1000, 'disconnected'],
  ] as const)('%s, answering %s, last data %s → %s', (state, answering, last, expected) => {
    expect(staleReason(state, answering, last)).toBe(expected);
  });
});

describe('staleText', () => {
  it('names the cause and the time of the last data', () => {
    expect(staleText('disconnected', 5, () => '12:00:05')).toBe(
      'Lost the connection to the ollama-lens agent: the figures below are from 12:00:05 and are not live. Actions are paused until it is back.',
    );
    expect(staleText('unresponsive', 5, () => '12:00:05')).toMatch(/^The ollama-lens agent is not answering: .* 12:00:05/);
  });
});
