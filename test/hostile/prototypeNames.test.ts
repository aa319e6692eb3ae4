// Names from the query string looked up in plain objects found inherited members —
// `range=constructor` gave a 500 with a stack trace on /api/memory, /api/series, /api/compare and a
// silent empty 200 on /api/alerts. Every such name is now an own-property lookup: a 400 in the envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileApp, type HostileApp } from './app.js';
import { PROTOTYPE_NAMES } from './names.js';

// One app for the file: these requests change nothing it holds.
let dir: string;
let hostile: HostileApp;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ollama-lens-test-'));
  hostile = hostileApp(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every parameter of every route that takes a name from a fixed set. */
const NAMED_PARAMS: [string, string][] = [
  ['/api/memory', 'range'],
  ['/api/compare', 'range'],
  ['/api/alerts', 'range'],
  ['/api/series', 'range'],
  ['/api/series', 'metric'],
  ['/api/series', 'stat'],
  ['/api/series', 'step'],
  ['/api/series', 'group'],
  ['/api/series?metric=incidents', 'kind'],
  ['/api/alerts', 'state'],
  ['/api/alerts', 'kind'],
];

describe('prototype names as query values', () => {
  const cases = NAMED_PARAMS.flatMap(([route, param]) => PROTOTYPE_NAMES.map((name) => [route, param, name] as const));
  it.each(cases)('%s %s=%s → 400 in the envelope', async (route, param, name) => {
    const { app } = hostile;
    const url = `${route}${route.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(name)}`;
    const res = await app.request(url);
    expect(res.status, url).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.stringContaining(param) } });
  });

  it.each(PROTOTYPE_NAMES)('%s as a parameter name is an unknown parameter (400) on every route', async (name) => {
    const { app } = hostile;
    for (const route of [
      '/api/requests',
      '/api/loads',
      '/api/incidents',
      '/api/memory',
      '/api/models',
      '/api/alerts',
      '/api/series',
      '/api/compare',
    ]) {
      const res = await app.request(`${route}?${encodeURIComponent(name)}=1h`);
      expect(res.status, `${route} ${name}`).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    }
  });

  it.each(PROTOTYPE_NAMES)('POST /api/alerts/%s/ack → 400', async (name) => {
    const { app } = hostile;
    const res = await app.request(`/api/alerts/${encodeURIComponent(name)}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});
