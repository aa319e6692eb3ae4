// The seeded query fuzzer: thousands of requests over every route and parameter, with values and names
// chosen to break a parser (prototype names, broken percent-encoding, huge numbers, odd dates, control
// characters, duplicates). The rule: never a 5xx, and every error in the one JSON envelope. The seed
// is printed with the figures; FUZZ_SEED=N and FUZZ_CASES=N reproduce or widen a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERIES_GROUPS, SERIES_METRICS, SERIES_STATS, SERIES_STEPS } from '../../shared/series.js';
import { INCIDENT_KINDS } from '../../shared/records.js';
import { hostileApp } from './app.js';
import { PROTOTYPE_NAMES } from './names.js';
import { mulberry32 } from '../../agent/demo/rng.js';

const SEED = Number(process.env.FUZZ_SEED ?? 24);
const CASES = Number(process.env.FUZZ_CASES ?? 6000);

/** The demo's seeded generator: the same cases on every run. */
const rng = (seed: number): (() => number) => mulberry32(seed).next;

const ROUTES: Record<string, readonly string[]> = {
  '/api/health': [],
  '/api/requests': ['limit', 'before'],
  '/api/loads': ['limit', 'before', 'from', 'to'],
  '/api/incidents': ['limit', 'before', 'from', 'to'],
  '/api/memory': ['range', 'from', 'to', 'points'],
  '/api/models': [],
  '/api/alerts': ['state', 'kind', 'range', 'from', 'to', 'limit', 'before'],
  '/api/series': ['metric', 'stat', 'range', 'from', 'to', 'step', 'group', 'model', 'backend', 'kind'],
  '/api/compare': ['range', 'from', 'to'],
  '/metrics': [],
};

const GOOD: Record<string, readonly string[]> = {
  limit: ['1', '100', '1000'],
  before: ['1', '2', '999'],
  points: ['10', '720', '5000'],
  range: ['15m', '1h', '6h', '24h', '7d', '30d'],
  from: ['2026-11-26T08:00:00Z', '1764144000000', '2026-11-25'],
  to: ['2026-11-27T08:00:00Z', '1764230400000'],
  state: ['firing', 'resolved'],
  kind: [...INCIDENT_KINDS],
  metric: [...SERIES_METRICS],
  stat: [...SERIES_STATS],
  step: ['auto', ...Object.keys(SERIES_STEPS)],
  group: [...SERIES_GROUPS],
  model: ['llama3.1:8b', 'qwen3:30b-a3b'],
  backend: ['metal', 'cuda', 'cpu', 'mlx'],
};

const HOSTILE = [
  ...PROTOTYPE_NAMES,
  '',
  ' ',
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%0A',
  '%1B%5B2J',
  '%C0%AE',
  '+',
  '-',
  '--1',
  '0',
  '-1',
  '-0',
  '1.5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '-Infinity',
  '9'.repeat(20),
  '9'.repeat(400),
  String(Number.MAX_SAFE_INTEGER + 2),
  '2026-13-45T99:99:99Z',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  '-271821-04-20T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE requests; --',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '{"a":1}',
  'a'.repeat(5000),
  '😀'.repeat(100),
  '\u202Eevil',
  'é',
  '%F0%9F%98%80',
  '%FF%FE',
  'x'.repeat(201),
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A value as it goes on the wire: mostly encoded, sometimes raw (broken encodings stay broken). */
function wire(r: () => number, v: string): string {
  return r() < 0.6 ? encodeURIComponent(v) : v.replace(/[&#\s]/g, (c) => encodeURIComponent(c));
}

function makeCase(r: () => number): { method: string; url: string; headers: Record<string, string> } {
  if (r() < 0.08) {
    // The one state-changing route, with a fuzzed id.
    const id = r() < 0.5 ? pick(r, HOSTILE) : pick(r, ['1', '2', '3', '99999']);
    const headers: Record<string, string> =
      r() < 0.7
        ? { 'content-type': 'application/json' }
        : pick<Record<string, string>>(r, [
            {},
            { 'content-type': 'text/plain' },
            { origin: 'http://evil.example', 'content-type': 'application/json' },
          ]);
    return { method: pick(r, ['POST', 'POST', 'PUT', 'DELETE', 'PATCH']), url: `/api/alerts/${wire(r, id)}/ack`, headers };
  }
  if (r() < 0.04) return { method: 'GET', url: `/api/${wire(r, pick(r, HOSTILE))}`, headers: {} };
  const route = pick(r, Object.keys(ROUTES));
  const params = ROUTES[route]!;
  const pairs: string[] = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const roll = r();
    const name = roll < 0.8 && params.length > 0 ? pick(r, params) : roll < 0.9 ? pick(r, PROTOTYPE_NAMES) : pick(r, HOSTILE);
    const value = r() < 0.45 && Object.hasOwn(GOOD, name) ? pick(r, GOOD[name]!) : pick(r, HOSTILE);
    pairs.push(r() < 0.05 ? wire(r, name) : `${wire(r, name)}=${wire(r, value)}`);
  }
  return { method: r() < 0.95 ? 'GET' : 'HEAD', url: pairs.length > 0 ? `${route}?${pairs.join('&')}` : route, headers: {} };
}

const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('query fuzzer', () => {
  it(`${CASES} seeded cases over every route and parameter: no 5xx, every error in the envelope`, async () => {
    const { app } = hostileApp(dir);
    const r = rng(SEED);
    const problems: string[] = [];
    const byStatus = new Map<number, number>();
    let fiveXx = 0;
    for (let i = 0; i < CASES; i++) {
      const c = makeCase(r);
      let res: Response;
      try {
        res = await app.request(c.url, { method: c.method, headers: c.headers });
      } catch (err) {
        problems.push(`${c.method} ${c.url}: threw ${(err as Error).message}`);
        continue;
      }
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      if (res.status >= 500) fiveXx++;
      const text = await res.text();
      if (res.status >= 500) problems.push(`${c.method} ${c.url}: ${res.status} ${text.slice(0, 200)}`);
      else if (res.status >= 400 && c.method !== 'HEAD') {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        const e = (body as { error?: { code?: unknown; message?: unknown } }).error;
        const ok =
          typeof body === 'object' &&
          body !== null &&
          Object.keys(body).length === 1 &&
          typeof e?.code === 'string' &&
          typeof e?.message === 'string';
        if (!ok || !/^application\/json/.test(res.headers.get('content-type') ?? '')) {
          problems.push(`${c.method} ${c.url}: ${res.status} not in the envelope: ${text.slice(0, 200)}`);
        }
      }
    }
    const statuses = [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      `query fuzzer: seed ${SEED}, ${CASES} cases tried, ${fiveXx} answered 5xx, ${problems.length} problems; statuses ${statuses}`,
    );
    expect(problems.slice(0, 10)).toEqual([]);
    expect(fiveXx).toBe(0);
    // The mix really reached the handlers: successes and refusals both.
    expect(byStatus.get(200) ?? 0).toBeGreaterThan(CASES / 20);
    expect(byStatus.get(400) ?? 0).toBeGreaterThan(CASES / 10);
  });
});
