// `/api/requests/export` streams exactly what paging `/api/requests` with the same filters
// gives (a real SQLite file; more rows than one export page), and rejects bad input at the edge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../agent/http/createApp.js';
import { CSV_COLUMNS, csvCell, type CsvValue } from '../../agent/http/requestCsv.js';
import { MemorySampleStore } from '../../agent/store/MemorySampleStore.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { EXPORT_PAGE } from '../../agent/store/RequestQuery.js';
import { Store } from '../../agent/store/Store.js';
import { INCIDENT_KINDS, type RequestRecord } from '../../shared/records.js';
import type { AgentStatus } from '../../shared/status.js';
import { MIGRATIONS_DIR } from '../helpers/tmp.js';

// One database for the whole file (written once, only read by the tests).
const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROWS = EXPORT_PAGE * 2 + 37;
const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 27);

const status = {
  agentVersion: '9.9.9',
  ollama: null,
  sources: [],
  requestCount: 0,
  machine: null,
  probes: [],
  channels: [],
} as unknown as AgentStatus;

function setup() {
  const db = openDatabase(join(dir, 'data'), MIGRATIONS_DIR);
  const store = new Store(db);
  const cp = store.resumePoint('/logs/server.log');
  const models = ['qwen3:8b', 'llama3.3:70b, "quoted"', null];
  const backends = ['mlx', 'metal', null] as const;
  store.writeBatch(
    Array.from({ length: ROWS }, (_, i) => {
      const ts = START + Math.floor((i * 30 * DAY) / ROWS);
      return {
        kind: 'request' as const,
        record: {
          at: new Date(ts).toISOString(),
          ts,
          method: 'POST',
          path: i % 7 === 0 ? '/api/chat?a=1,b=2' : '/api/generate',
          status: [200, 200, 404, 500][i % 4]!,
          latencyMs: i * 1.5,
          client: '127.0.0.1',
          kind: 'inference' as const,
          model: models[i % 3]!,
          backend: backends[(i % 5) % 3]!,
          promptTokens: i % 2 ? i : null,
          completionTokens: 3,
          prefillTps: null,
          decodeTps: i % 3 ? 40.25 : null,
          ctxUsed: null,
          ctxLimit: null,
          truncated: i % 11 === 0 ? true : null,
          peakMemoryBytes: i % 4 === 1 ? 1_500_000_000 + i : null,
          modelMemoryBytes: null,
          kvBytes: i % 2 ? 2_147_483_648 : null,
          kvUsedBytes: i % 2 ? i * 131_072 : null,
          kvFill: i % 2 ? (i * 131_072) / 2_147_483_648 : null,
          key: i + 1,
          loadKey: null,
        },
      };
    }),
    cp,
    0,
  );
  return createApp({
    store,
    status: () => status,
    dashboardDir: join(dir, 'no-dashboard'),
    memory: { memory: new MemorySampleStore(db), machine: () => null, probes: () => [] },
    models: () => ({ items: [], checkedAt: null }),
    alerts: { list: () => [], acknowledge: () => null, kinds: INCIDENT_KINDS },
  });
}

type App = ReturnType<typeof setup>;

async function allPages(app: App, filters: string): Promise<RequestRecord[]> {
  const out: RequestRecord[] = [];
  let before = '';
  for (;;) {
    const res = await app.request(`/api/requests?limit=1000${filters ? `&${filters}` : ''}${before}`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: RequestRecord[] };
    out.push(...items);
    if (items.length < 1000) return out;
    before = `&before=${items.at(-1)!.id}`;
  }
}

/** A minimal RFC 4180 reader, enough for what the export writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

const cell = (v: CsvValue) => (v === null ? '' : String(v));

describe('GET /api/requests/export', () => {
  const app = setup();
  const mid = new Date(START + 10 * DAY).toISOString();
  const end = new Date(START + 12 * DAY).toISOString();

  it.each([
    ['no filter', ''],
    ['one model', 'model=qwen3%3A8b'],
    ['a model name needing quotes', `model=${encodeURIComponent('llama3.3:70b, "quoted"')}`],
    ['unknown model', 'model=(unknown)'],
    ['backend and status class', 'backend=mlx&status=2xx'],
    ['unknown backend, 5xx', 'backend=(unknown)&status=5xx'],
    ['a time window', `from=${mid}&to=${end}`],
    ['window and model', `from=${START + 20 * DAY}&model=qwen3%3A8b`],
  ])('JSON and CSV equal /api/requests for %s', async (_, filters) => {
    const expected = await allPages(app, filters);
    expect(expected.length).toBeGreaterThan(0);

    const json = await app.request(`/api/requests/export?format=json${filters ? `&${filters}` : ''}`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('content-disposition')).toMatch(/attachment; filename="ollama-lens-requests\.json"/);
    expect(JSON.parse(await json.text())).toEqual(expected);

    const csv = await app.request(`/api/requests/export?format=csv${filters ? `&${filters}` : ''}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await csv.text());
    expect(header).toEqual(CSV_COLUMNS);
    expect(rows).toEqual(expected.map((r) => CSV_COLUMNS.map((c) => cell(r[c]))));
  });

  it('exports every row of the table, over several pages, newest first', async () => {
    const items = JSON.parse(await (await app.request('/api/requests/export?format=json')).text()) as RequestRecord[];
    expect(items).toHaveLength(ROWS);
    expect(items.map((r) => r.id)).toEqual(Array.from({ length: ROWS }, (_, i) => ROWS - i));
  });

  it('an empty selection is an empty array and a bare header', async () => {
    expect(await (await app.request('/api/requests/export?format=json&model=nope')).json()).toEqual([]);
    expect(await (await app.request('/api/requests/export?format=csv&model=nope')).text()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });

  it.each([
    ['format=xml', 'format must be one of csv, json'],
    ['', 'format must be one of csv, json'],
    ['format=csv&status=3xx', 'status must be one of 2xx, 4xx, 5xx'],
    ['format=csv&from=yesterday', 'from must be an ISO-8601 time'],
    [`format=csv&from=${end}&to=${mid}`, 'to must be after from'],
    ['format=csv&model=', 'model must be 1 to 200 characters'],
    ['format=csv&limit=5', 'unknown query parameter "limit"'],
  ])('rejects %s with the error envelope', async (query, message) => {
    const res = await app.request(`/api/requests/export?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: expect.stringContaining(message) } });
  });

  it('filters /api/requests itself and validates its filters', async () => {
    const res = await app.request('/api/requests?limit=5&status=4xx&backend=metal');
    const { items } = (await res.json()) as { items: RequestRecord[] };
    expect(items).toHaveLength(5);
    for (const r of items) expect([r.status, r.backend]).toEqual([404, 'metal']);
    expect((await app.request('/api/requests?status=1xx')).status).toBe(400);
  });
});

describe('a CSV cell', () => {
  it.each([
    ['plain text', '/api/chat', '/api/chat'],
    ['quotes and commas', 'a "b", c', '"a ""b"", c"'],
    ['unknown', null, ''],
    ['a number', -3, '-3'],
    ['text a spreadsheet would run as a formula', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['text starting with +, - or @', '@SUM(1)', "'@SUM(1)"],
  ])('%s', (_name, value, want) => {
    expect(csvCell(value)).toBe(want);
  });
});
