// The transparent proxy against a stand-in Ollama (node:http in the test): streaming without
// buffering, bodies byte for byte, headers, errors, aborts, what is recorded, and the merge with the
// log's row of the same request.
import { createHash } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../shared/records.js';
import { Bus } from '../../agent/bus.js';
import { RequestMemory } from '../../agent/senses/RequestMemory.js';
import { parseConfig } from '../../agent/config/parseConfig.js';
import { runAgent } from '../../agent/main.js';
import { ProxyRecorder } from '../../agent/proxy/ProxyRecorder.js';
import type { ProxyRecord } from '../../agent/proxy/ExchangeRecording.js';
import { ProxyServer } from '../../agent/proxy/ProxyServer.js';
import { openDatabase } from '../../agent/store/openDatabase.js';
import { Store } from '../../agent/store/Store.js';
import type { NewRequest } from '../../agent/correlate/records.js';
import { ginLine } from '../helpers/gin.js';
import { MIGRATIONS_DIR, useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** A stand-in Ollama: routes by path; `raw` handlers get the request before its body is read. */
async function fakeOllama(routes: Record<string, Handler>, raw: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {}) {
  const seen: { method: string; url: string; rawHeaders: string[] }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders });
    const path = req.url!.split('?')[0]!;
    if (raw[path]) return raw[path](req, res);
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => void (routes[path] ?? ((_q, r) => r.writeHead(404).end('404 page not found')))(req, res, Buffer.concat(parts)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, seen, server };
}

async function proxyTo(upstreamPort: number, onRecord: (r: ProxyRecord) => void = () => {}) {
  const proxy = new ProxyServer({
    spec: { listen: { host: '127.0.0.1', port: 0 }, upstream: { host: '127.0.0.1', port: upstreamPort } },
    onRecord,
    log: () => {},
  });
  await proxy.start();
  cleanup.push(() => proxy.stop());
  return proxy;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

function send(port: number, method: string, path: string, body?: string | Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const DONE = {
  model: 'qwen3:8b',
  created_at: '2026-01-01T00:00:00Z',
  done: true,
  done_reason: 'stop',
  total_duration: 2_000_000_000,
  load_duration: 50_000_000,
  prompt_eval_count: 20,
  prompt_eval_duration: 100_000_000,
  eval_count: 120,
  eval_duration: 1_500_000_000,
};

describe('proxy forwarding', () => {
  it('streams NDJSON chunk by chunk: the client has chunk 1 before the upstream sends chunk 2', async () => {
    let clientGotFirst!: () => void;
    const firstArrived = new Promise<void>((r) => (clientGotFirst = r));
    const up = await fakeOllama({
      '/api/chat': async (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(JSON.stringify({ model: 'qwen3:8b', message: { role: 'assistant', content: 'Hel' }, done: false }) + '\n');
        await firstArrived; // no buffering anywhere, or this never resolves
        res.write(JSON.stringify({ model: 'qwen3:8b', message: { role: 'assistant', content: 'lo' }, done: false }) + '\n');
        res.end(JSON.stringify({ ...DONE, message: { role: 'assistant', content: '' } }) + '\n');
      },
    });
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const lines = await new Promise<string[]>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/api/chat', headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
            if (text.includes('Hel')) clientGotFirst();
          });
          res.on('end', () => resolve(text.trim().split('\n')));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'qwen3:8b', messages: [{ role: 'user', content: 'hi' }] }));
    });
    expect(lines).toHaveLength(3);
    await until(() => records.length === 1);
    const r = records[0]!;
    expect(r).toMatchObject({
      method: 'POST',
      path: '/api/chat',
      status: 200,
      model: 'qwen3:8b',
      stream: null,
      aborted: false,
      upstreamError: null,
    });
    expect(r.scan).toMatchObject({
      done: true,
      doneReason: 'stop',
      promptEvalCount: 20,
      evalCount: 120,
      promptEvalDuration: 100_000_000,
      evalDuration: 1_500_000_000,
      loadDuration: 50_000_000,
      totalDuration: 2_000_000_000,
    });
    expect(r.ttfbMs).toBeGreaterThan(0);
    expect(r.totalMs).toBeGreaterThanOrEqual(r.ttfbMs!);
    expect(r.responseBytes).toBe(lines.join('\n').length + 1);
  });

  it('forwards a non-streamed /api/generate and /api/embed, and records their counters', async () => {
    const up = await fakeOllama({
      '/api/generate': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ ...DONE, model: 'llama3.2:3b', response: 'Hi there' }));
      },
      '/api/embed': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({
            model: 'all-minilm:latest',
            embeddings: [[0.1, 0.2]],
            total_duration: 14_000_000,
            load_duration: 1_000_000,
            prompt_eval_count: 8,
          }),
        );
      },
    });
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const g = await send(proxy.port, 'POST', '/api/generate?x=1', JSON.stringify({ model: 'llama3.2:3b', prompt: 'hi', stream: false }));
    expect(JSON.parse(g.body.toString())).toMatchObject({ response: 'Hi there', eval_count: 120 });
    const e = await send(proxy.port, 'POST', '/api/embed', JSON.stringify({ model: 'all-minilm', input: 'hi' }));
    expect(e.status).toBe(200);
    await until(() => records.length === 2);
    expect(records[0]).toMatchObject({
      path: '/api/generate',
      model: 'llama3.2:3b',
      stream: false,
      scan: { evalCount: 120, promptEvalCount: 20, doneReason: 'stop' },
    });
    expect(records[1]).toMatchObject({
      path: '/api/embed',
      model: 'all-minilm:latest',
      scan: { promptEvalCount: 8, evalCount: null, totalDuration: 14_000_000 },
    });
  });

  it('streams /v1/chat/completions SSE and records the usage chunk of stream_options.include_usage', async () => {
    const up = await fakeOllama({
      '/v1/chat/completions': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(
          'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n',
        );
        res.write(
          'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
        );
        res.write(
          'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":31,"completion_tokens":64,"total_tokens":95}}\n\n',
        );
        res.end('data: [DONE]\n\n');
      },
    });
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const r = await send(
      proxy.port,
      'POST',
      '/v1/chat/completions',
      JSON.stringify({ model: 'qwen3:8b', stream: true, stream_options: { include_usage: true }, messages: [] }),
    );
    expect(r.headers['content-type']).toBe('text/event-stream');
    expect(r.body.toString()).toContain('data: [DONE]');
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ stream: true, model: 'qwen3:8b', scan: { usageInput: 31, usageOutput: 64 } });
  });

  it('passes an upstream 500 through unchanged', async () => {
    const up = await fakeOllama({
      '/api/chat': (_q, res) => {
        res.writeHead(500, 'Internal Server Error', { 'Content-Type': 'application/json; charset=utf-8', 'X-Ollama': 'yes' });
        res.end('{"error":"model runner has unexpectedly stopped"}');
      },
    });
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const r = await send(proxy.port, 'POST', '/api/chat', '{"model":"m"}');
    expect(r.status).toBe(500);
    expect(r.headers['x-ollama']).toBe('yes');
    expect(r.body.toString()).toBe('{"error":"model runner has unexpectedly stopped"}');
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ status: 500, upstreamError: null });
    expect(proxy.status()).toMatchObject({ upstreamState: 'reachable', upstreamErrors: 0 });
  });

  it('answers 502 with Ollama-style JSON when the upstream is down, and says so in its status', async () => {
    // A port nothing listens on.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(deadPort, (r) => records.push(r));
    const r = await send(proxy.port, 'POST', '/api/chat', JSON.stringify({ model: 'qwen3:8b', messages: [] }));
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toContain('application/json');
    const body = JSON.parse(r.body.toString()) as { error: string };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toContain('ECONNREFUSED');
    expect(proxy.status()).toMatchObject({ upstreamState: 'unreachable', upstreamErrors: 1 });
    expect(proxy.status().lastError).toContain(`127.0.0.1:${deadPort}`);
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ status: 502, model: 'qwen3:8b' });
    expect(records[0]!.upstreamError).toContain('ECONNREFUSED');
  });

  it('cancels the upstream request when the client disconnects mid-stream', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => (upstreamClosed = r));
    const up = await fakeOllama(
      {},
      {
        '/api/generate': (req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
          const timer = setInterval(() => res.write('{"response":"tok","done":false}\n'), 5);
          res.on('close', () => {
            clearInterval(timer);
            if (!res.writableFinished) upstreamClosed();
          });
          req.resume();
        },
      },
    );
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/api/generate', agent: false }, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.end('{"model":"m","prompt":"long story"}');
    await closed; // Ollama sees its request go away: the generation stops
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ aborted: true, status: 200, scan: { done: false } });
  });

  it('breaks the client response when Ollama dies mid-stream, instead of ending it cleanly', async () => {
    const up = await fakeOllama({
      '/api/chat': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write('{"message":{"content":"a"},"done":false}\n', () => setTimeout(() => res.socket?.destroy(), 20));
      },
    });
    const records: ProxyRecord[] = [];
    const proxy = await proxyTo(up.port, (r) => records.push(r));
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/api/chat', agent: false }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve('ended'));
        res.on('error', () => resolve('broken'));
        res.on('aborted', () => resolve('broken'));
      });
      req.on('error', () => resolve('broken'));
      req.end('{}');
    });
    expect(outcome).toBe('broken');
    await until(() => records.length === 1);
    expect(records[0]).toMatchObject({ aborted: true, status: 200 });
    expect(proxy.status().lastError).toContain('midway');
  });

  it('forwards a 5 MB request body byte for byte and keeps headers (hop-by-hop dropped)', async () => {
    const up = await fakeOllama({
      '/api/echo': (req, res, body) => {
        res.writeHead(201, [
          'Content-Type',
          'application/json',
          'Set-Cookie',
          'a=1',
          'Set-Cookie',
          'b=2',
          'X-Custom-Case',
          'Yes',
          'Connection',
          'X-Upstream-Private',
          'X-Upstream-Private',
          'p',
        ]);
        res.end(JSON.stringify({ sha: createHash('sha256').update(body).digest('hex'), length: body.length, headers: req.rawHeaders }));
      },
    });
    const proxy = await proxyTo(up.port);
    const big = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const r = await send(proxy.port, 'PUT', '/api/echo?q=1', big, {
      'Content-Type': 'application/octet-stream',
      'X-Client-Thing': 'abc',
      Authorization: 'Bearer t',
      Connection: 'keep-alive, X-Private-Hop',
      'X-Private-Hop': 'drop me',
    });
    expect(r.status).toBe(201);
    const got = JSON.parse(r.body.toString()) as { sha: string; length: number; headers: string[] };
    expect(got.length).toBe(big.length);
    expect(got.sha).toBe(createHash('sha256').update(big).digest('hex'));
    // Request headers as the client sent them (names' case kept), minus the hop-by-hop ones.
    const pairs = (raw: string[]) => Object.fromEntries(raw.flatMap((v, i) => (i % 2 === 0 ? [[v, raw[i + 1]]] : [])));
    expect(pairs(got.headers)).toMatchObject({
      'X-Client-Thing': 'abc',
      Authorization: 'Bearer t',
      'Content-Length': String(big.length),
      Host: `127.0.0.1:${proxy.port}`,
    });
    expect(got.headers.map((h) => h.toLowerCase())).not.toContain('x-private-hop');
    expect(up.seen.at(-1)!.url).toBe('/api/echo?q=1');
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(r.rawHeaders).toContain('X-Custom-Case');
    expect(r.headers['x-upstream-private']).toBeUndefined();
  });

  it('keeps forwarding when recording fails', async () => {
    const up = await fakeOllama({
      '/api/generate': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ response: 'ok', ...DONE }));
      },
    });
    const proxy = await proxyTo(up.port, () => {
      throw new Error('disk full');
    });
    for (let i = 0; i < 3; i++) {
      const r = await send(proxy.port, 'POST', '/api/generate', '{"model":"m","stream":false}');
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body.toString())).toMatchObject({ response: 'ok' });
    }
    await until(() => proxy.status().recordErrors === 3);
    expect(proxy.status()).toMatchObject({ forwarded: 3, upstreamState: 'reachable' });
  });
});

// ---- the recorder: merge with the log's row, or a proxy-only row ---------------------------------

function proxyRecord(over: Partial<ProxyRecord> & { endedAt: number }): ProxyRecord {
  return {
    startedAt: over.endedAt - 3000,
    method: 'POST',
    path: '/api/chat',
    status: 200,
    client: '127.0.0.1',
    ttfbMs: 200,
    totalMs: 3000,
    requestBytes: 100,
    responseBytes: 5000,
    aborted: false,
    model: 'qwen3.5:35b-a3b',
    stream: true,
    upstreamError: null,
    scan: {
      model: 'qwen3.5:35b-a3b',
      done: true,
      doneReason: 'stop',
      promptEvalCount: 1000,
      evalCount: 300,
      promptEvalDuration: 500_000_000,
      evalDuration: 2_000_000_000,
      loadDuration: 1_000_000,
      totalDuration: 2_900_000_000,
      usageInput: null,
      usageOutput: null,
    },
    ...over,
  };
}

function logRequest(ts: number, over: Partial<NewRequest> = {}): NewRequest {
  return {
    key: ts,
    at: new Date(ts).toISOString(),
    ts,
    method: 'POST',
    path: '/api/chat',
    status: 200,
    latencyMs: 2999.5,
    client: '127.0.0.1',
    kind: 'inference',
    model: null,
    backend: 'mlx',
    promptTokens: null,
    completionTokens: null,
    prefillTps: null,
    decodeTps: null,
    ctxUsed: null,
    ctxLimit: 32768,
    truncated: null,
    loadKey: null,
    peakMemoryBytes: null,
    modelMemoryBytes: null,
    kvBytes: null,
    kvUsedBytes: null,
    kvFill: null,
    ...over,
  };
}

function openStore() {
  const db = openDatabase(join(tmp(), 'data'), MIGRATIONS_DIR);
  cleanup.push(() => db.close());
  return { db, store: new Store(db) };
}

describe('proxy recorder', () => {
  it('merges into the log row of the same request (tokens from the proxy, backend from the log) and publishes it', async () => {
    const { db, store } = openStore();
    const bus = new Bus();
    const published: RequestRecord[] = [];
    bus.subscribe((m) => m.type === 'request' && published.push(m));
    const end = Date.parse('2026-03-01T10:00:05.400Z');
    // The GIN line prints whole seconds: its end time is up to a second early.
    const cp = store.resumePoint('/log');
    store.writeBatch(
      [
        { kind: 'request', record: logRequest(end - 400) },
        { kind: 'request', record: logRequest(end - 400, { key: 2, latencyMs: 12.3 }) }, // same second, another request
        { kind: 'request', record: logRequest(end - 400, { key: 3, path: '/api/generate' }) },
      ],
      cp,
      0,
    );
    const recorder = new ProxyRecorder({ db, bus, sourceId: store.resumePoint('proxy:x').sourceId, holdMs: 0 });
    recorder.record(proxyRecord({ endedAt: end }));
    const [row] = recorder.flush(Infinity);
    expect(row).toMatchObject({
      id: 1,
      source: 'both',
      backend: 'mlx',
      model: 'qwen3.5:35b-a3b',
      promptTokens: 1000,
      completionTokens: 300,
      decodeTps: 150,
      prefillTps: 2000,
      latencyMs: 2999.5,
      ctxLimit: 32768,
    });
    expect(published).toEqual([expect.objectContaining({ id: 1, source: 'both', completionTokens: 300 })]);
    expect(store.requests(10).map((r) => r.source)).toEqual(['log', 'log', 'both']);
    const raw = db
      .prepare('SELECT request_id, ttfb_ms, eval_count, eval_duration, load_duration, done_reason, merged FROM proxy_requests')
      .all();
    expect(raw).toEqual([
      {
        request_id: 1,
        ttfb_ms: 200,
        eval_count: 300,
        eval_duration: 2_000_000_000,
        load_duration: 1_000_000,
        done_reason: 'stop',
        merged: 1,
      },
    ]);
    // The rollups follow the merged figures (the row moved from model '' to its name).
    const rollups = db
      .prepare('SELECT model, requests, completion_tokens, decode_n FROM request_rollups WHERE bucket_ms = 60000 ORDER BY model')
      .all();
    expect(rollups).toEqual([
      { model: '', requests: 2, completion_tokens: 0, decode_n: 0 },
      { model: 'qwen3.5:35b-a3b', requests: 1, completion_tokens: 300, decode_n: 1 },
    ]);
    // A second proxy record of the same request finds no unmerged row of its latency: it becomes its own row.
    recorder.record(proxyRecord({ endedAt: end }));
    expect(recorder.flush(Infinity)).toEqual([expect.objectContaining({ source: 'proxy' })]);
  });

  it('stores a proxy-only row when no log row matches (other status, too far apart, or no log at all)', () => {
    const { db, store } = openStore();
    const bus = new Bus();
    const end = Date.parse('2026-03-01T10:00:05.000Z');
    store.writeBatch(
      [
        { kind: 'request', record: logRequest(end - 5000) },
        { kind: 'request', record: logRequest(end, { key: 2, status: 500 }) },
      ],
      store.resumePoint('/log'),
      0,
    );
    const before = store.requestCount();
    const recorder = new ProxyRecorder({
      db,
      bus,
      sourceId: store.resumePoint('proxy:x').sourceId,
      holdMs: 0,
      onStored: (m) => m || store.noteRequestsInserted(1),
    });
    recorder.record(
      proxyRecord({
        endedAt: end,
        path: '/v1/chat/completions',
        model: 'llama3:latest',
        scan: {
          ...proxyRecord({ endedAt: 0 }).scan,
          promptEvalCount: null,
          evalCount: null,
          promptEvalDuration: null,
          evalDuration: null,
          usageInput: 12,
          usageOutput: 34,
        },
      }),
    );
    recorder.record(proxyRecord({ endedAt: end }));
    const rows = recorder.flush(Infinity);
    expect(rows).toEqual([
      expect.objectContaining({
        source: 'proxy',
        path: '/v1/chat/completions',
        kind: 'inference',
        model: 'llama3:latest',
        promptTokens: 12,
        completionTokens: 34,
        decodeTps: null,
        backend: null,
        latencyMs: 3000,
      }),
      expect.objectContaining({
        source: 'proxy',
        path: '/api/chat',
        status: 200,
        promptTokens: 1000,
        completionTokens: 300,
        decodeTps: 150,
        ctxUsed: 1300,
      }),
    ]);
    expect(rows[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(rows[0]!.at)).toBe(end);
    expect(store.requestCount()).toBe(before + 2);
    expect(db.prepare("SELECT count(*) AS n FROM requests WHERE source = 'log'").get()).toEqual({ n: 2 });
  });

  it("gives a proxy-only row the machine sample nearest its end, as the log's rows get it", () => {
    const { db, store } = openStore();
    const end = Date.parse('2026-03-01T10:00:05.000Z');
    const live = new RequestMemory(5000);
    live.noteSample({
      at: new Date(end - 2000).toISOString(),
      totalBytes: null,
      usedBytes: 40e9,
      availableBytes: null,
      wiredBytes: null,
      compressedBytes: null,
      swapUsedBytes: 1e9,
      swapTotalBytes: null,
      swapoutsDelta: null,
      pressure: 'critical',
      pressureValue: null,
      pressureSource: null,
      ollamaFootprintBytes: 30e9,
      ollamaProcesses: null,
      gpuUsedBytes: null,
      gpuTotalBytes: null,
    });
    const recorder = new ProxyRecorder({ db, bus: new Bus(), sourceId: store.resumePoint('proxy:x').sourceId, holdMs: 0, live });
    recorder.record(proxyRecord({ endedAt: end }));
    recorder.record(proxyRecord({ endedAt: end - 3_600_000 }));
    const [fresh, old] = recorder.flush(Infinity);
    const machine = { memoryUsedBytes: 40e9, memoryPressure: 'critical', swapUsedBytes: 1e9, ollamaFootprintBytes: 30e9 };
    expect(fresh).toMatchObject({ source: 'proxy', ...machine, kvFill: null, peakMemoryBytes: null });
    expect(old).toMatchObject({ source: 'proxy', memoryUsedBytes: null, memoryPressure: null });
    // The row as stored is the row published.
    expect(store.requests(10).find((r) => r.id === fresh!.id)).toEqual(fresh);
  });

  it('holds a record until the log has had its chance, and survives a failing database', async () => {
    const { db, store } = openStore();
    const faults: unknown[] = [];
    const recorder = new ProxyRecorder({ db, bus: new Bus(), sourceId: 1, holdMs: 100, onFault: (e) => faults.push(e) });
    const end = Date.now();
    recorder.record(proxyRecord({ endedAt: end }));
    expect(recorder.flush()).toEqual([]); // still held
    // The log row arrives during the hold.
    store.writeBatch([{ kind: 'request', record: logRequest(end - 300) }], store.resumePoint('/log'), 0);
    await until(() => store.requests(1)[0]!.source === 'both');
    db.exec('DROP TABLE proxy_requests');
    recorder.record(proxyRecord({ endedAt: end }));
    await until(() => faults.length === 1);
    expect(store.requests(5).map((r) => r.source)).toEqual(['both']); // rolled back as a whole
    recorder.stop();
  });

  it('waits past the hold while the log is read behind its end, so a late access line is merged instead of becoming a second row', () => {
    const { db, store } = openStore();
    let clock = Date.parse('2026-03-01T10:00:05.000Z');
    let behind = true;
    const recorder = new ProxyRecorder({
      db,
      bus: new Bus(),
      sourceId: store.resumePoint('proxy:x').sourceId,
      holdMs: 2000,
      maxHoldMs: 30_000,
      now: () => clock,
      logCaughtUp: () => !behind,
    });
    const end = clock;
    recorder.record(proxyRecord({ endedAt: end }));
    clock += 10_000; // far past the hold, the log still being read
    expect(recorder.flush()).toEqual([]);
    store.writeBatch([{ kind: 'request', record: logRequest(end) }], store.resumePoint('/log'), 0);
    behind = false;
    expect(recorder.flush()).toEqual([expect.objectContaining({ source: 'both', completionTokens: 300 })]);
    expect(store.requests(5).map((r) => r.source)).toEqual(['both']);
    recorder.stop();
  });

  it('stores a proxy-only row once the longest wait is over when the log never catches up, and writes everything held on stop', () => {
    const { db, store } = openStore();
    let clock = Date.parse('2026-03-01T10:00:05.000Z');
    const recorder = new ProxyRecorder({
      db,
      bus: new Bus(),
      sourceId: store.resumePoint('proxy:x').sourceId,
      holdMs: 2000,
      maxHoldMs: 30_000,
      now: () => clock,
      logCaughtUp: () => false,
    });
    const start = clock;
    recorder.record(proxyRecord({ endedAt: start }));
    clock += 1000;
    recorder.record(proxyRecord({ endedAt: clock, path: '/api/generate' }));
    expect(recorder.flush(start + 29_999)).toEqual([]);
    expect(recorder.flush(start + 30_000)).toEqual([expect.objectContaining({ source: 'proxy', path: '/api/chat' })]);
    recorder.stop();
    expect(store.requests(5).map((r) => r.path)).toEqual(['/api/generate', '/api/chat']);
  });

  it('looks again on its own while the log is behind, and merges once it has caught up', async () => {
    const { db, store } = openStore();
    let behind = true;
    const recorder = new ProxyRecorder({
      db,
      bus: new Bus(),
      sourceId: store.resumePoint('proxy:x').sourceId,
      holdMs: 20,
      logCaughtUp: () => !behind,
    });
    const end = Date.now();
    recorder.record(proxyRecord({ endedAt: end }));
    await new Promise((r) => setTimeout(r, 300));
    expect(store.requests(5)).toEqual([]); // past the hold, still waiting for the log
    store.writeBatch([{ kind: 'request', record: logRequest(end - 300) }], store.resumePoint('/log'), 0);
    behind = false;
    await until(() => store.requests(1)[0]?.source === 'both');
    expect(store.requests(5).map((r) => r.source)).toEqual(['both']);
    recorder.stop();
  });
});

// ---- the whole agent: --proxy with a GIN line through the real pipeline ---------------------------

describe('agent with --proxy', () => {
  it('forwards through LISTEN, merges with the GIN line of the log, and shows the proxy in /api/health', async () => {
    const up = await fakeOllama({
      '/api/chat': (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write('{"model":"qwen3:8b","message":{"role":"assistant","content":"Hi"},"done":false}\n');
        res.end(JSON.stringify({ ...DONE, message: { role: 'assistant', content: '' } }) + '\n');
      },
      '/api/tags': (_q, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"models":[]}'),
    });
    const free = http.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const listenPort = (free.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, '');
    const { config } = parseConfig(
      ['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--proxy', `127.0.0.1:${listenPort}=127.0.0.1:${up.port}`],
      {},
    );
    expect(config.ollama).toBe(`http://127.0.0.1:${up.port}`);
    const agent = await runAgent(config, { migrationsDir: MIGRATIONS_DIR, dashboardDir: join(dir, 'none') });
    cleanup.push(() => agent.stop());

    const r = await send(listenPort, 'POST', '/api/chat', JSON.stringify({ model: 'qwen3:8b', messages: [] }));
    expect(r.status).toBe(200);
    // Ollama's access line for it, as the log would have it (local time, whole seconds).
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    appendFileSync(
      log,
      ginLine({
        date: `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())}`,
        time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
        latency: '2.1ms',
      }) + '\n',
    );
    // And one request the log never shows (no GIN line): a proxy-only row.
    await send(listenPort, 'GET', '/api/tags');
    type Page = { items: RequestRecord[] };
    const rows = await until(async () => {
      const page = (await (await fetch(`${agent.url}/api/requests`)).json()) as Page;
      return page.items.length === 2 && page.items.every((x) => x.source !== 'log') && page.items;
    }, 15_000);
    expect(rows.find((x) => x.path === '/api/chat')).toMatchObject({
      source: 'both',
      model: 'qwen3:8b',
      promptTokens: 20,
      completionTokens: 120,
      decodeTps: 80,
    });
    expect(rows.find((x) => x.path === '/api/tags')).toMatchObject({ source: 'proxy', kind: 'other', method: 'GET' });
    const health = (await (await fetch(`${agent.url}/api/health`)).json()) as { proxy: Record<string, unknown> };
    expect(health.proxy).toMatchObject({
      state: 'listening',
      upstreamState: 'reachable',
      upstream: `127.0.0.1:${up.port}`,
      merged: 1,
      proxyOnly: 1,
      recordErrors: 0,
    });
  });

  it('Ollama down behind the proxy: 502 JSON to the client, one upstream_down incident per outage, and a critical alert', async () => {
    // A port nothing listens on.
    const free = http.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const deadPort = (free.address() as AddressInfo).port;
    const listen = http.createServer();
    await new Promise<void>((r) => listen.listen(0, '127.0.0.1', r));
    const listenPort = (listen.address() as AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    await new Promise<void>((r) => listen.close(() => r()));
    const dir = tmp();
    const { config } = parseConfig(
      [
        '--log',
        join(dir, 'server.log'),
        '--port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--proxy',
        `127.0.0.1:${listenPort}=127.0.0.1:${deadPort}`,
      ],
      {},
    );
    const agent = await runAgent(config, { migrationsDir: MIGRATIONS_DIR, dashboardDir: join(dir, 'none') });
    cleanup.push(() => agent.stop());
    for (let i = 0; i < 3; i++) {
      const r = await send(listenPort, 'POST', '/api/chat', JSON.stringify({ model: 'qwen3:8b', messages: [] }));
      expect(r.status).toBe(502);
      expect(JSON.parse(String(r.body))).toEqual({ error: expect.stringMatching(/ollama/i) });
    }
    const incidents = await until(async () => {
      const items = ((await (await fetch(`${agent.url}/api/incidents`)).json()) as { items: { kind: string; detail: string }[] }).items;
      return items.length > 0 && items;
    });
    expect(incidents).toEqual([
      expect.objectContaining({ kind: 'upstream_down', detail: expect.stringContaining(`127.0.0.1:${deadPort}`) }),
    ]);
    const alerts = await until(async () => {
      const items = ((await (await fetch(`${agent.url}/api/alerts`)).json()) as { items: { kind: string; severity: string }[] }).items;
      return items.length > 0 && items;
    });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'upstream_down', severity: 'critical' })]);
  });
});
