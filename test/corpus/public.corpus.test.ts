// `analyze` over the project's own corpus of re-authored real logs (test/corpus/public), checked against
// the facts written down by reading each log before the parser ran (its .expect.json, format in README.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../agent/analyze/analyzeLog.js';

const DIR = join(import.meta.dirname, 'public');

interface Expect {
  source: string;
  notes?: string;
  unparsed?: number;
  servers: { version?: string | null; devices?: number }[];
  loads: Record<string, unknown>[];
  requests: number;
  inferenceRequests: number;
  requestFacts?: ({ index: number } & Record<string, unknown>)[];
  incidents: string[];
  notIncidents: string[];
}

/** A case's load as toMatchObject wants it: load seconds are printed with more digits than anyone reads, one decimal place is the fact. */
function expectedLoad(l: Record<string, unknown>): Record<string, unknown> {
  const { loadSeconds, ...exact } = l;
  const approx =
    typeof loadSeconds === 'number' ? { loadSeconds: expect.closeTo(loadSeconds, 1) } : 'loadSeconds' in l ? { loadSeconds } : {};
  return { ...exact, ...approx };
}

const logs = readdirSync(DIR)
  .filter((f) => f.endsWith('.log'))
  .sort();
const index = readFileSync(join(DIR, 'INDEX.md'), 'utf8');

describe('the project corpus of re-authored real logs', () => {
  it('holds the logs, each listed in INDEX.md with an expectation file', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) {
      expect(existsSync(join(DIR, f.replace(/\.log$/, '.expect.json'))), `${f} has no .expect.json`).toBe(true);
      expect(index, `${f} is not in INDEX.md`).toContain(f);
    }
  });

  it.each(logs)('%s', async (file) => {
    const want = JSON.parse(readFileSync(join(DIR, file.replace(/\.log$/, '.expect.json')), 'utf8')) as Expect;
    expect(want.source, 'source').toMatch(/^https:\/\//);
    const { result: r, samples } = await analyzeFiles([join(DIR, file)]);
    expect(r.unparsed, `unparsed lines, e.g. ${JSON.stringify(samples)}`).toBeLessThanOrEqual(
      want.unparsed ?? Math.max(2, Math.floor(r.lines * 0.01)),
    );
    expect(r.servers.length, 'servers').toBe(want.servers.length);
    want.servers.forEach((s, i) => {
      const got = r.servers[i]!;
      expect({ version: got.version, devices: got.devices.length }, `server ${i}`).toMatchObject(s);
    });
    expect(r.loads.length, `loads: ${JSON.stringify(r.loads)}`).toBe(want.loads.length);
    want.loads.forEach((l, i) => {
      const got = r.loads[i] as unknown as Record<string, unknown>;
      expect(got, `load ${i}`).toMatchObject(expectedLoad(l));
    });
    expect(r.requests.length, 'requests').toBe(want.requests);
    expect(r.requests.filter((q) => q.kind === 'inference').length, 'inference requests').toBe(want.inferenceRequests);
    for (const { index: at, ...facts } of want.requestFacts ?? []) {
      expect(r.requests[at], `request ${at}`).toBeDefined();
      expect(r.requests[at], `request ${at}`).toMatchObject(facts);
    }
    const kinds = [...new Set(r.incidents.map((i) => i.kind))];
    for (const k of want.incidents) expect(kinds, `must report ${k}`).toContain(k);
    for (const k of want.notIncidents) expect(kinds, `must not report ${k}`).not.toContain(k);
  });
});
