// Cross-site requests (and the guard's headers): a page on any site could form-POST or no-cors fetch
// /api/alerts/ID/ack and silence every alert's reminders. Every state-changing request now needs a
// same-origin browser context (Sec-Fetch-Site, Origin) and a JSON content type; the real-browser
// version of this is test/browser/crossSite.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { originAllowed, type AccessPolicy } from '../../agent/http/accessGuard.js';
import { hostileApp } from './app.js';

const PORT = 7878;
const loop: AccessPolicy = { boundHost: '127.0.0.1', port: () => PORT, token: null };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function setup(access: AccessPolicy = loop) {
  const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-test-'));
  dirs.push(dir);
  return hostileApp(dir, access);
}

const OURS = `http://localhost:${PORT}`;

describe('state-changing requests from another site', () => {
  it.each([
    [
      'a form POST from a foreign site',
      { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      'cross_site',
    ],
    [
      'a form POST without Fetch metadata (older browser)',
      { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      'cross_site',
    ],
    [
      'a no-cors fetch (text/plain) from a foreign site',
      { origin: 'https://evil.example', 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-site': 'cross-site' },
      'cross_site',
    ],
    [
      'another local site on port 80 (Origin without a port)',
      { origin: 'http://localhost', 'content-type': 'application/json' },
      'cross_site',
    ],
    [
      'another local site on another port',
      { origin: 'http://127.0.0.1:3000', 'content-type': 'application/json', 'sec-fetch-site': 'same-site' },
      'cross_site',
    ],
    ['a sandboxed page (Origin: null)', { origin: 'null', 'content-type': 'application/json' }, 'cross_site'],
    [
      'JSON declared, but the browser says cross-site',
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      'cross_site',
    ],
    [
      'our own origin, but a form type',
      { origin: OURS, 'content-type': 'multipart/form-data; boundary=x', 'sec-fetch-site': 'same-origin' },
      'json_required',
    ],
    ['no content type at all', {}, 'json_required'],
  ])('%s → 403 in the envelope, and the alert stays unacknowledged', async (_name, headers, code) => {
    const { app, alerts } = setup();
    const res = await app.request('/api/alerts/1/ack', { method: 'POST', headers, body: 'x=1' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(alerts.byId(1)!.acknowledgedAt).toBeNull();
  });

  it('refuses every other non-GET method and route the same way', async () => {
    const { app } = setup();
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/api/alerts/1/ack', '/api/alerts/1', '/api/requests', '/']) {
        const res = await app.request(path, { method, headers: { origin: 'https://evil.example', 'content-type': 'application/json' } });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: 'cross_site' } });
      }
    }
  });

  it("accepts the dashboard's own ack (same origin, JSON) and a non-browser client's (JSON, no Origin)", async () => {
    const { app, alerts } = setup();
    const ours = await app.request('/api/alerts/1/ack', {
      method: 'POST',
      headers: { origin: OURS, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(ours.status).toBe(200);
    expect(alerts.byId(1)!.acknowledgedAt).not.toBeNull();
    const curl = await app.request('/api/alerts/2/ack', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(curl.status).toBe(200);
    expect(alerts.byId(2)!.acknowledgedAt).not.toBeNull();
  });

  it('lets GETs through from anywhere the Host check allows (reads change nothing; CORS keeps their answers from foreign pages)', async () => {
    const { app } = setup();
    expect((await app.request('/api/alerts', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status).toBe(
      200,
    );
  });
});

describe('Origin is exactly ours', () => {
  it.each([
    [undefined, true],
    [`http://localhost:${PORT}`, true],
    [`http://127.0.0.1:${PORT}`, true],
    [`http://[::1]:${PORT}`, true],
    ['http://localhost', false],
    ['https://localhost', false],
    [`http://localhost:${PORT + 1}`, false],
    [`http://localhost:${PORT}/path`, false],
    [`http://evil.example:${PORT}`, false],
    ['null', false],
    [`file://localhost:${PORT}`, false],
  ])('%s → %s', (origin, want) => {
    expect(originAllowed(origin, loop)).toBe(want);
  });

  it('accepts a port-less Origin only when we really are on the default port', () => {
    expect(originAllowed('http://localhost', { ...loop, port: () => 80 })).toBe(true);
  });
});

describe("the guard's own replies", () => {
  it('carry nosniff and no-referrer on its 401, 403 and 303', async () => {
    const token = 'f00dcafe0123456789abcdef';
    const { app } = setup({ ...loop, token });
    const replies = [
      await app.request('/api/health'),
      await app.request('http://evil.example/api/health'),
      await app.request(`/?token=${token}`),
      await app.request('/api/alerts/1/ack', { method: 'POST', headers: { authorization: `Bearer ${token}` } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([401, 403, 303, 403]);
    for (const r of replies) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
