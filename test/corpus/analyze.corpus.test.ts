// `analyze` over every real user's log in ../shared/ollama-logs (read from there, never copied into
// the repository), checked against facts written down by reading each log by hand
// (test/corpus/expectations.ts, derivation in EXPECTATIONS.md).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, type Analysis } from '../../agent/analyze/analyzeLog.js';
import { EXPECTATIONS } from './expectations.js';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'ollama-logs');
const present = existsSync(CORPUS);
if (!present) {
  console.warn(`\n*** CORPUS TESTS SKIPPED: ${CORPUS} does not exist. The real-log corpus lives beside the repository. ***\n`);
}

const cache = new Map<string, Promise<Analysis>>();
const analysis = (file: string): Promise<Analysis> => {
  let p = cache.get(file);
  if (!p) cache.set(file, (p = analyzeFiles([join(CORPUS, file)])));
  return p;
};

describe.skipIf(!present)('analyze on the real log corpus', () => {
  it.each(EXPECTATIONS.map((e) => [e.file, e] as const))('%s', async (file, want) => {
    const { result: r, samples } = await analysis(file);
    // Known noise is recognised; what is left must be rare.
    expect(r.unparsed, `unparsed lines, e.g. ${JSON.stringify(samples)}`).toBeLessThanOrEqual(Math.max(2, r.lines * 0.01));
    expect(r.servers.map((s) => s.version).filter((v) => v !== null)).toEqual(want.versions);
    expect(r.servers.length).toBe(want.servers);
    expect(r.requests.length).toBe(want.requests);
    expect(r.requests.filter((q) => q.kind === 'inference').length).toBe(want.inferenceRequests);
    const statuses: Record<string, number> = {};
    for (const q of r.requests) statuses[q.status] = (statuses[q.status] ?? 0) + 1;
    expect(statuses).toEqual(want.statusCounts);

    expect(r.loads.length, 'loads').toBe(want.loads.length);
    want.loads.forEach((l, i) => {
      const got = r.loads[i]!;
      const { loadSeconds, ...exact } = l;
      expect({ ...got, loadSeconds: undefined }, `load ${i}`).toMatchObject({ ...exact, loadSeconds: undefined });
      // The second `started in` line of a load is a few ms later; the first one counts (to one decimal, as toBeCloseTo(x, 1)).
      expect(got.loadSeconds === null, `load ${i} seconds unknown`).toBe(loadSeconds === null);
      expect(Math.abs((got.loadSeconds ?? 0) - (loadSeconds ?? 0)), `load ${i} seconds`).toBeLessThan(0.05);
    });

    const kinds = new Set(r.incidents.map((i) => i.kind));
    for (const k of want.incidents) expect([...kinds], `must report ${k}`).toContain(k);
    for (const k of want.notIncidents) expect([...kinds], `must not report ${k}`).not.toContain(k);
    const truncated = r.requests.filter((q) => q.truncated === true).length;
    const truncIncidents = r.incidents.filter((i) => i.kind === 'context_truncated').length;
    expect(Math.max(truncated, truncIncidents), 'truncations').toBeLessThanOrEqual(want.truncations);
    expect(truncIncidents > 0, 'truncation incidents').toBe(want.truncations > 0);
  });

  // Only some logs had their prompt sizes read by hand (EXPECTATIONS.md says why the others are not).
  const withTokens = EXPECTATIONS.flatMap((e) => (e.promptTokens === undefined ? [] : [[e.file, e.promptTokens] as const]));
  it.each(withTokens)('%s: prompt tokens', async (file, promptTokens) => {
    const r = (await analysis(file)).result;
    expect(r.requests.filter((q) => q.promptTokens !== null).map((q) => q.promptTokens)).toEqual(promptTokens);
  });
});

const REFERENCE = join(import.meta.dirname, '..', '..', '..', 'shared', 'reference', 'ollama-log-lines.txt');

describe.skipIf(!existsSync(REFERENCE))('the documented line of every kind and era', () => {
  it('is understood, each one', async () => {
    const { readFileSync } = await import('node:fs');
    const { analyzeLines } = await import('../../agent/analyze/analyzeLog.js');
    const lines = readFileSync(REFERENCE, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(80);
    const { result, samples } = analyzeLines(lines);
    expect(result.unparsed, JSON.stringify(samples)).toBe(0);
  });
});
