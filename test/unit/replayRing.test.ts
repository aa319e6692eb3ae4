// The replay buffer of the WebSocket hub: the last `capacity` messages, oldest first, serialised only
// when asked for (or with the JSON they came with).
import { describe, expect, it, vi } from 'vitest';
import { ReplayRing } from '../../agent/http/ReplayRing.js';

const msg = (seq: number) => ({ seq, type: 'status', n: seq * 10 });

describe('ReplayRing', () => {
  it('keeps the last `capacity` messages, oldest first, across many turns of the ring', () => {
    const ring = new ReplayRing<ReturnType<typeof msg>>(3);
    expect(ring.first()).toBeUndefined();
    expect(ring.after(0)).toEqual([]);
    for (let seq = 1; seq <= 10; seq++) ring.push(msg(seq));
    expect(ring.size).toBe(3);
    expect(ring.first()).toEqual(msg(8));
    expect(ring.after(0)).toEqual([8, 9, 10].map((s) => JSON.stringify(msg(s))));
    expect(ring.after(9)).toEqual([JSON.stringify(msg(10))]);
    expect(ring.after(10)).toEqual([]);
  });

  it('serialises a message once, and not at all when it came with its JSON', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const ring = new ReplayRing<ReturnType<typeof msg>>(100);
      for (let seq = 1; seq <= 50; seq++) ring.push(msg(seq));
      ring.push(msg(51), 'as sent');
      expect(stringify).not.toHaveBeenCalled();
      expect(ring.after(49)).toEqual([JSON.stringify(msg(50)), 'as sent']);
      // Two messages asked for, one serialised for the answer, and once more here for the expectation.
      expect(stringify).toHaveBeenCalledTimes(2);
      ring.after(49);
      expect(stringify).toHaveBeenCalledTimes(2);
    } finally {
      stringify.mockRestore();
    }
  });

  it('holds nothing with no room', () => {
    const ring = new ReplayRing<ReturnType<typeof msg>>(0);
    ring.push(msg(1));
    expect(ring.size).toBe(0);
    expect(ring.first()).toBeUndefined();
  });
});
