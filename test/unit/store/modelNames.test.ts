import { describe, expect, it } from 'vitest';
import type { NewLoad, NewRequest } from '../../../agent/correlate/records.js';
import { ModelNames } from '../../../agent/store/ModelNames.js';
import { openDatabase } from '../../../agent/store/openDatabase.js';
import { Store } from '../../../agent/store/Store.js';
import { MIGRATIONS_DIR, useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();
const BLOB = `sha256-${'a'.repeat(64)}`;

const load = (over: Partial<NewLoad> = {}): NewLoad => ({
  key: 1,
  serverKey: null,
  at: '2026-11-26T08:00:00Z',
  ts: Date.parse('2026-11-26T08:00:00Z'),
  model: null,
  blob: BLOB,
  displayName: null,
  engine: 'llama.cpp',
  backend: 'metal',
  device: null,
  ctx: 4096,
  parallel: 1,
  kvBytes: null,
  gpuLayers: null,
  totalLayers: null,
  loadSeconds: null,
  outcome: 'ready',
  error: null,
  ...over,
});
const req = (key: number, over: Partial<NewRequest> = {}): NewRequest => ({
  key,
  loadKey: 1,
  at: '2026-11-26T08:00:05Z',
  ts: Date.parse('2026-11-26T08:00:05Z'),
  method: 'POST',
  path: '/api/chat',
  status: 200,
  latencyMs: 10,
  client: '127.0.0.1',
  kind: 'inference',
  model: null,
  backend: 'metal',
  promptTokens: null,
  completionTokens: null,
  prefillTps: null,
  decodeTps: null,
  ctxUsed: null,
  ctxLimit: null,
  truncated: null,
  peakMemoryBytes: null,
  modelMemoryBytes: null,
  kvBytes: null,
  kvUsedBytes: null,
  kvFill: null,
  ...over,
});

function open() {
  const db = openDatabase(tmp(), MIGRATIONS_DIR);
  const names = new ModelNames(db);
  return { db, names, store: new Store(db, names) };
}

describe('ModelNames', () => {
  it('names the loads, requests and incidents that carried only the blob, once', () => {
    const { db, names, store } = open();
    const cp = store.resumePoint('/log');
    store.writeBatch(
      [
        { kind: 'load', record: load() },
        { kind: 'request', record: req(10) },
        { kind: 'incident', record: { key: 11, at: null, ts: null, kind: 'oom', model: null, detail: 'x', loadKey: 1, requestKey: 10 } },
      ],
      cp,
      0,
    );
    expect(store.requests(1)[0]!.model).toBeNull();
    const renamed = names.learn({ blob: BLOB, model: 'llama3.2:3b', architecture: 'llama', format: 'gguf' }, 1);
    expect(renamed.loads.map((l) => l.model)).toEqual(['llama3.2:3b']);
    expect(renamed.requests.map((r) => [r.id, r.model])).toEqual([[store.requests(1)[0]!.id, 'llama3.2:3b']]);
    expect(store.incidents(1)[0]!.model).toBe('llama3.2:3b');
    // Learning the same thing again touches nothing.
    expect(names.learn({ blob: BLOB, model: 'llama3.2:3b', architecture: 'llama', format: 'gguf' }, 2)).toEqual({
      loads: [],
      requests: [],
    });
    db.close();
  });

  it('names later loads of the blob as they are stored, and their requests, and survives a restart', () => {
    const dir = tmp();
    {
      const db = openDatabase(dir, MIGRATIONS_DIR);
      new ModelNames(db).learn({ blob: BLOB, model: 'qwen3:8b', architecture: null, format: null }, 1);
      db.close();
    }
    const db = openDatabase(dir, MIGRATIONS_DIR);
    const store = new Store(db, new ModelNames(db));
    const out = store.writeBatch(
      [
        { kind: 'load', record: load() },
        { kind: 'request', record: req(2) },
      ],
      store.resumePoint('/log'),
      0,
    );
    expect(out.loads[0]!.model).toBe('qwen3:8b');
    expect(out.requests[0]!.model).toBe('qwen3:8b');
    // A later upsert of the same load from the log (still without a name) keeps the name.
    const again = store.writeBatch([{ kind: 'load', record: load({ kvBytes: 1024 }) }], store.resumePoint('/log'), 0);
    expect(again.loads[0]).toMatchObject({ model: 'qwen3:8b', kvBytes: 1024 });
    db.close();
  });

  it('leaves a name the log gave alone', () => {
    const { db, names, store } = open();
    store.writeBatch([{ kind: 'load', record: load({ model: 'from-log:latest' }) }], store.resumePoint('/log'), 0);
    expect(names.learn({ blob: BLOB, model: 'other:tag', architecture: null, format: null }, 1).loads).toEqual([]);
    expect(store.loads(1)[0]!.model).toBe('from-log:latest');
    db.close();
  });
});
