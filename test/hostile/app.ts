// The real Hono app over a real SQLite file, with a few rows and alerts, for the hostile suite's
// in-process cases (app.request()).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AccessPolicy } from '../../agent/http/accessGuard.js';
import { createApp } from '../../agent/http/createApp.js';
import { AlertStore, type AlertFields } from '../../agent/store/AlertStore.js';
import { MemorySampleStore } from '../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import { INCIDENT_KINDS } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';
import { MIGRATIONS_DIR } from '../helpers/tmp.js';

export const STATUS: AgentStatus = {
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

export const alertFields = (over: Partial<AlertFields> = {}): AlertFields => ({
  kind: 'context_truncated',
  severity: 'warning',
  subject: 'model:llama3.1:8b',
  model: 'llama3.1:8b',
  state: 'firing',
  title: 'llama3.1:8b hit its context window',
  message: 'Ollama cut the prompt.',
  evidence: ['truncated 9000 → 8192'],
  count: 1,
  firstAt: '2026-11-26T08:00:00.000Z',
  lastAt: '2026-11-26T08:00:00.000Z',
  resolvedAt: null,
  acknowledgedAt: null,
  notifications: 0,
  lastNotifiedAt: null,
  incidentId: null,
  loadId: null,
  requestId: null,
  ...over,
});

export interface HostileApp {
  app: Hono;
  alerts: AlertStore;
}

export function hostileApp(dir: string, access?: AccessPolicy): HostileApp {
  const db = openDatabase(join(dir, 'data'), MIGRATIONS_DIR);
  const store = new Store(db);
  const alerts = new AlertStore(db);
  alerts.insert(alertFields());
  alerts.insert(alertFields({ kind: 'oom', severity: 'critical', subject: 'server', model: null }));
  const dashboardDir = join(dir, 'dash');
  mkdirSync(dashboardDir, { recursive: true });
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>ollama-lens</title>');
  const app = createApp({
    store,
    status: () => STATUS,
    dashboardDir,
    memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
    models: () => ({ items: [], checkedAt: null }),
    alerts: { list: (q) => alerts.list(q), acknowledge: (id) => alerts.acknowledge(id, new Date().toISOString()), kinds: INCIDENT_KINDS },
    access,
    metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => 'up 1\n' },
  });
  return { app, alerts };
}
