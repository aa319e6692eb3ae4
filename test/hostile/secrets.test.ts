// A webhook that echoes the request in its error reply put the `Authorization: Basic`
// value (base64 of user:password), a bare query-token value and others into /api/health, the agent's
// warning log and the dashboard. Every form a secret can take is now cut wherever outside text is shown.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dashboardLine } from '../../agent/http/exposure.js';
import { Redactor } from '../../agent/secrets/Redactor.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';
import { startReceiver, type Receiver } from '../unit/alerts/channels/receiver.js';

const tmp = useTmpDir();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const USER = 'alice';
const PASS = 'p@ss:w0rd/x y';
const QUERY_TOKEN = 's3cretvalue';
const AGENT_TOKEN = 'f00dcafe0123456789abcdef';

/** Every form in which the secrets above may come back. */
const FORMS = [
  PASS,
  encodeURIComponent(PASS),
  encodeURIComponent(PASS).replace(/%20/g, '+'),
  Buffer.from(`${USER}:${PASS}`).toString('base64'),
  QUERY_TOKEN,
  Buffer.from(QUERY_TOKEN).toString('base64'),
  AGENT_TOKEN,
  Buffer.from(AGENT_TOKEN).toString('base64'),
];

describe('Redactor', () => {
  it('cuts a secret raw, URL-encoded (either case, + for space), base64 and base64url', () => {
    const r = new Redactor();
    r.add(PASS);
    const text = [
      PASS,
      encodeURIComponent(PASS),
      encodeURIComponent(PASS).toLowerCase().replace(/%20/g, '+'),
      Buffer.from(PASS).toString('base64'),
      Buffer.from(PASS).toString('base64url'),
    ].join(' | ');
    expect(r.redact(text)).toBe('… | … | … | … | …');
  });

  it('cuts what looks like a credential even when it is not a known one, and keeps ordinary words', () => {
    const r = new Redactor();
    expect(r.redact('got Authorization: Basic dXNlcjpwYXNz and Bearer abc.DEF-123')).toBe('got Authorization: Basic … and Bearer …');
    expect(r.redact('GET /hook?token=zzz999&x=1 {"password":"hunter2"} api_key=k1')).toBe(
      'GET /hook?token=…&x=1 {"password":"…"} api_key=…',
    );
    expect(r.redact('Basic authentication failed for the token')).toBe('Basic authentication failed for the token');
  });

  it('says nothing of values too short to be secrets', () => {
    const r = new Redactor();
    r.add('a', '', null);
    expect(r.redact('a banana')).toBe('a banana');
  });
});

describe('the start-up banner', () => {
  it('prints the ?token= URL only to a terminal, and says how to open it otherwise', () => {
    expect(dashboardLine('http://127.0.0.1:7878', AGENT_TOKEN, true)).toBe(`http://127.0.0.1:7878/?token=${AGENT_TOKEN}`);
    const logged = dashboardLine('http://127.0.0.1:7878', AGENT_TOKEN, false);
    expect(logged).not.toContain(AGENT_TOKEN);
    expect(logged).toMatch(/^http:\/\/127\.0\.0\.1:7878 .*\?token=TOKEN/);
    expect(dashboardLine('http://127.0.0.1:7878', null, false)).toBe('http://127.0.0.1:7878');
  });
});

const iso = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, '.000Z');
const p2 = (n: number): string => String(n).padStart(2, '0');
const gin = (d = new Date()): string =>
  `[GIN] ${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} - ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} | 200 |  2.5s |       127.0.0.1 | POST     "/api/generate"`;

describe('a webhook that echoes the request in its error reply (real agent)', () => {
  it('shows none of the secrets in /api/health, the warning log or the WebSocket status', async () => {
    const echo: Receiver = await startReceiver((_i, req) => ({
      status: 400,
      body:
        `bad request ${req.method} ${req.url} authorization=${req.headers.authorization} raw ${req.headers.authorization} ` +
        `value ${QUERY_TOKEN} pass ${encodeURIComponent(PASS)} and your agent token ${AGENT_TOKEN}`,
    }));
    cleanup.push(() => echo.close());
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, `time=${iso()} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n`);
    const hook = `http://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${echo.port}/hook?token=${QUERY_TOKEN}&x=1`;
    const agent: AgentProcess = await startAgentProcess([
      '--log',
      log,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--webhook',
      hook,
      '--token',
      AGENT_TOKEN,
    ]);
    cleanup.push(() => agent.stop('SIGKILL'));
    appendFileSync(
      log,
      `time=${iso()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n${gin()}\n`,
    );

    const auth = { authorization: `Bearer ${AGENT_TOKEN}` };
    const lastError = await until(async () => {
      const body = (await (await fetch(`${agent.url}/api/health`, { headers: auth })).json()) as {
        channels: { lastError: string | null }[];
      };
      return body.channels[0]?.lastError ?? undefined;
    });
    // The secret really was sent and echoed (so the test cannot pass by its never being there).
    expect(echo.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`);
    expect(lastError).toMatch(/^HTTP 400 from webhook: bad request POST /);
    const logLine = await until(() => /is failing: .*/.exec(agent.output())?.[0]);

    const snapshot = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${agent.url.replace('http', 'ws')}/ws`, { headers: auth });
      ws.once('message', (data: Buffer) => {
        ws.close();
        resolve(data.toString());
      });
      ws.once('error', reject);
    });
    expect(snapshot).toContain('from webhook');

    for (const [where, text] of [
      ['health', lastError],
      ['log', logLine],
      ['whole output', agent.output()],
      ['ws', snapshot],
    ] as const) {
      for (const form of FORMS) expect(text, `${where} holds ${form}`).not.toContain(form);
    }
  });
});
