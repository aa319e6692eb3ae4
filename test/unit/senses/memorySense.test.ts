// MemorySense stores each sample, then publishes it, then tells the parts listening after it (the
// Ollama sense recomputes the KV room from it), and never deletes old samples: retention does.
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../../../agent/bus.js';
import { emptySample, type MemoryProbe } from '../../../agent/probes/MemoryProbe.js';
import { MemorySense } from '../../../agent/senses/MemorySense.js';
import { MemorySampleStore } from '../../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';

const tmp = useTmpDir();
const senses: MemorySense[] = [];
afterEach(() => senses.splice(0).forEach((s) => s.stop()));

const probe: MemoryProbe = {
  machine: () => new Promise(() => {}),
  sample: async (now) => ({ ...emptySample(now), usedBytes: 1 }),
  statuses: () => [],
};

describe('MemorySense', () => {
  it('runs the after-sample listeners once each sample is stored and published, and keeps old samples', async () => {
    const store = new MemorySampleStore(openDatabase(tmp(), MIGRATIONS_DIR));
    const old = { ...emptySample(new Date('2020-01-01T00:00:00Z')), usedBytes: 0 };
    store.insert(old);
    const bus = new Bus();
    const seen: string[] = [];
    bus.subscribe((m) => {
      if (m.type === 'memory') seen.push(`published, stored: ${store.latest(10).some((s) => s.at === m.sample.at)}`);
    });
    let t = Date.parse('2027-01-01T00:00:00Z');
    const sense = new MemorySense({
      probe,
      store,
      bus,
      intervalMs: 60_000,
      now: () => new Date((t += 1000)),
      guarded: (_what, fn) => fn(),
      onStatusChange: () => {},
    });
    senses.push(sense);
    sense.afterSample((sample) => seen.push(`after ${sample.at}, latest: ${sense.latest()?.at === sample.at}`));
    sense.start();

    await until(() => seen.length >= 2);
    expect(seen).toEqual(['published, stored: true', `after ${new Date(t).toISOString()}, latest: true`]);
    expect(store.latest(10).map((s) => s.at)).toContain(old.at);
  });
});
