import { describe, expect, it } from 'vitest';
import { activityByModel } from '../../dashboard/src/lib/modelActivity.js';
import { record } from './fixtures.js';

describe('activityByModel', () => {
  it('finds per model the newest request with context figures and the newest speeds', () => {
    // Newest first, as the store keeps them.
    const rows = [
      record(6, { model: 'a', ctxUsed: null, prefillTps: null, decodeTps: null, status: 500 }),
      record(5, { model: 'b', ctxUsed: 100, ctxLimit: 8192 }),
      record(4, { model: 'a', ctxUsed: null, prefillTps: null, decodeTps: 40 }),
      record(3, { model: 'a', ctxUsed: 7000, ctxLimit: 8192, prefillTps: 800, decodeTps: 50 }),
      record(2, { model: 'a', ctxUsed: 6000, ctxLimit: 8192, prefillTps: 700 }),
      record(1, { model: null, ctxUsed: 10 }),
    ];
    const a = activityByModel(rows).get('a');
    expect(a?.context?.id).toBe(3);
    expect(a?.prefillTps).toBe(800);
    expect(a?.decodeTps).toBe(40);
    expect(activityByModel(rows).get('b')?.context?.id).toBe(5);
    expect(activityByModel(rows).get('b')?.prefillTps).toBeNull();
    expect(activityByModel([]).size).toBe(0);
  });
});
