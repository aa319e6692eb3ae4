// The KV facts rule the correlator uses on either thread: the live agent's knowledge, read directly
// or from a snapshot, gives the same facts.
import { describe, expect, it } from 'vitest';
import { kvFacts, kvModelFrom, LISTED_CONTEXT_MS, type KvSnapshot } from '../../../agent/correlate/kvFacts.js';
import type { KvGeometry } from '../../../agent/kv/kvGeometry.js';

const geometry = { architecture: 'llama', blockCount: 32 } as KvGeometry;
const now = Date.parse('2026-12-06T10:00:00Z');
const snapshot: KvSnapshot = {
  names: [['sha256-abc', 'llama3.1:8b']],
  geometries: [['llama3.1:8b', geometry]],
  cacheType: 'q8_0',
  parallel: 4,
  listed: [['llama3.1:8b', 8192]],
  now,
};

describe('kvFacts', () => {
  const facts = kvModelFrom(snapshot);

  it('names a model by its blob, and gives the listed context only to a request that ended recently', () => {
    expect(facts(null, 'sha256-abc', now - 1000)).toEqual({ geometry, cacheType: 'q8_0', ctx: 8192, parallel: 4 });
    expect(facts('llama3.1:8b', null, now - LISTED_CONTEXT_MS - 1)).toEqual({ geometry, cacheType: 'q8_0', ctx: null, parallel: 4 });
  });

  it('knows nothing of a model that was not described', () => {
    expect(facts('qwen3:8b', null, now)).toBeNull();
    expect(facts(null, 'sha256-unknown', now)).toBeNull();
    expect(facts(null, null, now)).toBeNull();
  });

  it('reads the same from the live knowledge as from its snapshot', () => {
    const names = new Map(snapshot.names);
    const live = {
      nameOf: (b: string) => names.get(b),
      geometryOf: (n: string) => (n === 'llama3.1:8b' ? geometry : null),
      settings: () => ({ cacheType: snapshot.cacheType, parallel: snapshot.parallel }),
      listedContext: (n: string) => (n === 'llama3.1:8b' ? 8192 : undefined),
      now: () => now,
    };
    for (const [model, blob, at] of [
      ['llama3.1:8b', null, now],
      [null, 'sha256-abc', now - 2 * LISTED_CONTEXT_MS],
      ['other', null, now],
    ] as const)
      expect(kvFacts(live, model, blob, at)).toEqual(facts(model, blob, at));
  });
});
