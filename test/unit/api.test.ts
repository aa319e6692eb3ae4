import { describe, expect, it } from 'vitest';
import { createApp } from '../../agent/http/createApp.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { AgentStatus } from '../../shared/status.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySampleStore } from '../../agent/store/MemorySampleStore.js';
import { INCIDENT_KINDS } from '../../shared/records.js';

const tmp = useTmpDir();

const status: AgentStatus = {
  agentVersion: '9.9.9',
  ollama: { url: 'http://127.0.0.1:11434', state: 'unreachable', version: null, lastError: 'ECONNREFUSED', checkedAt: null },
  sources: [
    {
      path: '/logs/server.log',
      state: 'following',
      offset: 10,
      size: 30,
      identity: '1:2',
      lagBytes: 20,
      linesRead: 1,
      unparsed: 0,
      linesCut: 0,
      lastError: null,
    },
  ],
  requestCount: 0,
  machine: null,
  probes: [],
  channels: [],
};

function setup(withDashboard = true) {
  const dir = tmp();
  const db = openDatabase(join(dir, 'data'), MIGRATIONS_DIR);
  const store = new Store(db);
  const dashboardDir = join(dir, 'dash');
  if (withDashboard) {
    mkdirSync(dashboardDir);
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>ollama-lens</title>');
  }
  const cp = store.resumePoint('/logs/server.log');
  store.writeBatch(
    Array.from({ length: 3 }, (_, i) => ({
      kind: 'request' as const,
      record: {
        at: `2026-11-26T08:00:0${i}Z`,
        ts: 0,
        method: 'POST',
        path: '/api/chat',
        status: 200,
        latencyMs: i,
        client: '127.0.0.1',
        kind: 'inference' as const,
        model: null,
        backend: null,
        promptTokens: null,
        completionTokens: null,
        prefillTps: null,
        decodeTps: null,
        ctxUsed: null,
        ctxLimit: null,
        truncated: null,
        key: i + 1,
        loadKey: null,
        peakMemoryBytes: null,
        modelMemoryBytes: null,
        kvBytes: null,
        kvUsedBytes: null,
        kvFill: null,
      },
    })),
    cp,
    0,
  );
  return createApp({
    store,
    status: () => status,
    dashboardDir,
    memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
    models: () => ({ items: [], checkedAt: null }),
    alerts: { list: () => [], acknowledge: () => null, kinds: INCIDENT_KINDS },
  });
}

describe('HTTP API', () => {
  it('GET /api/health reports version and per-source lag', async () => {
    const res = await setup().request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      version: '9.9.9',
      sources: [{ path: '/logs/server.log', offset: 10, size: 30, lagBytes: 20 }],
    });
  });

  it('GET /api/requests pages newest first with SPEC field names', async () => {
    const app = setup();
    const body = (await (await app.request('/api/requests?limit=2')).json()) as { items: Record<string, unknown>[]; total: number };
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.id)).toEqual([3, 2]);
    expect(Object.keys(body.items[0]!)).toEqual(
      expect.arrayContaining([
        'at',
        'method',
        'path',
        'status',
        'latencyMs',
        'client',
        'kind',
        'model',
        'backend',
        'promptTokens',
        'completionTokens',
        'prefillTps',
        'decodeTps',
        'ctxUsed',
        'ctxLimit',
        'truncated',
      ]),
    );
    const older = (await (await app.request('/api/requests?before=2')).json()) as { items: { id: number }[] };
    expect(older.items.map((i) => i.id)).toEqual([1]);
  });

  it.each([
    ['/api/requests?limit=0', 'limit must be between 1 and 1000'],
    ['/api/requests?limit=5000', 'limit must be between 1 and 1000'],
    ['/api/requests?limit=ten', 'limit must be an integer'],
    ['/api/requests?before=-1', 'before must be between'],
    ['/api/requests?sort=asc', 'unknown query parameter "sort"'],
  ])('%s → 400 with the error envelope', async (url, message) => {
    const res = await setup().request(url);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(message);
  });

  it('unknown API routes are a 404 envelope', async () => {
    const res = await setup().request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no API route GET /api/nope' } });
  });

  it('serves the dashboard at / with a strict CSP', async () => {
    const res = await setup().request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ollama-lens');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('says how to build the dashboard when it is missing', async () => {
    const res = await setup(false).request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
