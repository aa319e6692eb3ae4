// The webhook channel against a real HTTP server on localhost: real fetch, real sockets, real
// timeouts. Only the backoff waits are shortened (an injected schedule that records each requested
// delay and runs after 1 ms), so retry tests take milliseconds and still check the delays asked for.
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../agent/alerts/channels/retryPolicy.js';
import { webhookJson } from '../../../../agent/alerts/channels/webhookPayload.js';
import { WebhookNotifier, type Schedule, type WebhookNotifierOptions } from '../../../../agent/alerts/channels/WebhookNotifier.js';
import { alert, decodeRfc2047 } from './fixtures.js';
import { closedPort, startReceiver, type Receiver } from './receiver.js';

const DASH = 'http://127.0.0.1:7185';
const NOW = Date.parse('2026-11-26T10:00:00.000Z');

let receivers: Receiver[] = [];
let notifiers: WebhookNotifier[] = [];

afterEach(async () => {
  await Promise.all(notifiers.map((n) => n.close()));
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
  notifiers = [];
});

async function receiver(script?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

function fastSchedule(): { delays: number[]; schedule: Schedule } {
  const delays: number[] = [];
  return {
    delays,
    schedule: (fn, ms) => {
      delays.push(ms);
      const t = setTimeout(fn, 1);
      return () => clearTimeout(t);
    },
  };
}

function notifier(opts: Partial<WebhookNotifierOptions> & { url: string }) {
  const logs: string[] = [];
  const fast = fastSchedule();
  const n = new WebhookNotifier({
    format: 'json',
    dashboardUrl: DASH,
    backoffMs: 10,
    random: () => 0.5,
    now: () => NOW,
    schedule: fast.schedule,
    log: (l) => logs.push(l),
    ...opts,
  });
  notifiers.push(n);
  return { n, logs, delays: fast.delays };
}

const events = (r: Receiver) =>
  r.received.map((q) => `${(JSON.parse(q.body) as { event: string; id: number }).event} #${(JSON.parse(q.body) as { id: number }).id}`);

describe('WebhookNotifier against a real HTTP receiver', () => {
  it('200: one POST with the JSON body; counted as sent', async () => {
    const r = await receiver();
    const { n, logs } = notifier({ url: `${r.url}/hook` });
    n.send(alert(), 'fire');
    await n.whenIdle();
    expect(r.received).toHaveLength(1);
    const [req] = r.received;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/hook');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual(webhookJson(alert(), 'fire', DASH));
    expect(n.status()).toEqual({
      name: `webhook:${r.url}/ho…`,
      ok: true,
      sent: 1,
      failed: 0,
      lastError: null,
      lastSentAt: '2026-11-26T10:00:00.000Z',
      pending: 0,
    });
    expect(logs).toEqual([]);
  });

  it('ntfy format: plain-text body, ntfy headers, a non-ASCII title that survives the trip', async () => {
    const r = await receiver();
    const { n } = notifier({ url: `${r.url}/alerts`, format: 'ntfy' });
    n.send(alert({ severity: 'critical', title: 'qwen3 — mémoire saturée 🔥', message: 'Mémoire saturée — 🔥' }), 'fire');
    await n.whenIdle();
    const req = r.received[0];
    expect(req?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req?.headers['x-priority']).toBe('5');
    expect(req?.headers['x-tags']).toBe('rotating_light,mlx_fallback');
    expect(req?.headers['x-click']).toBe(`${DASH}/#alert-12`);
    expect(decodeRfc2047(req?.headers['x-title'] as string)).toBe('qwen3 — mémoire saturée 🔥');
    expect(req?.body.split('\n')[0]).toBe('Mémoire saturée — 🔥');
    expect(n.status()).toMatchObject({ ok: true, sent: 1 });
  });

  it('500 then 200: retried after the backoff, delivered once, the 500 visible as lastError', async () => {
    const r = await receiver((i) => (i === 0 ? { status: 500, body: 'boom' } : undefined));
    const { n, delays, logs } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    await n.whenIdle();
    expect(r.received).toHaveLength(2);
    expect(r.received[1]?.body).toBe(r.received[0]?.body);
    expect(delays).toEqual([backoffDelay(0, { backoffMs: 10, maxBackoffMs: 60_000, random: () => 0.5 })]);
    expect(n.status()).toMatchObject({ ok: true, sent: 1, failed: 0, pending: 0, lastError: 'HTTP 500 from webhook: boom' });
    expect(logs).toEqual([]);
  });

  it('429 with Retry-After: waits what the server asked (in seconds), not its own backoff', async () => {
    const r = await receiver((i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '7' }, body: 'slow down' } : undefined));
    const { n, delays } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    await n.whenIdle();
    expect(delays).toEqual([7000]);
    expect(r.received).toHaveLength(2);
    expect(n.status()).toMatchObject({ ok: true, sent: 1, failed: 0 });
  });

  it('400: not retried; failed, ok=false, the start of the body in lastError; logged once', async () => {
    const body = `{"code":40013,"http":400,"error":"invalid request: ${'x'.repeat(400)}"}`;
    const r = await receiver(() => ({ status: 400, body }));
    const { n, delays, logs } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    n.send(alert({ id: 13 }), 'fire');
    await n.whenIdle();
    expect(r.received).toHaveLength(2);
    expect(delays).toEqual([]);
    const s = n.status();
    expect(s).toMatchObject({ ok: false, sent: 0, failed: 2, pending: 0 });
    expect(s.lastError).toBe(`HTTP 400 from webhook: ${body.slice(0, 200)}`);
    expect(logs).toEqual([`notifications: webhook:${r.url}/ is failing: HTTP 400 from webhook: ${body.slice(0, 200)}`]);
  });

  it('a closed port: retries with growing delays, then gives up with the reason', async () => {
    const port = await closedPort();
    const { n, delays, logs } = notifier({ url: `http://127.0.0.1:${port}/hook`, retries: 3, random: () => 0 });
    n.send(alert(), 'fire');
    await n.whenIdle();
    // Equal jitter with random 0: half of 10, 20, 40.
    expect(delays).toEqual([5, 10, 20]);
    const s = n.status();
    expect(s).toMatchObject({ ok: false, sent: 0, failed: 1, pending: 0 });
    expect(s.lastError).toMatch(/^could not reach webhook: .*ECONNREFUSED.* \(gave up after 4 attempts\)$/);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/is failing: could not reach webhook/);
  });

  it('a receiver that never answers: each attempt is cut at timeoutMs', async () => {
    const r = await receiver(() => 'hang');
    const { n } = notifier({ url: r.url, timeoutMs: 150, retries: 1 });
    const t0 = Date.now();
    n.send(alert(), 'fire');
    await n.whenIdle();
    const elapsed = Date.now() - t0;
    expect(r.received).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(3000);
    expect(n.status()).toMatchObject({ ok: false, failed: 1, lastError: 'webhook timed out after 150 ms (gave up after 2 attempts)' });
  });

  it('order is kept: a resolve sent right after a fire waits until the fire is through its retries', async () => {
    const r = await receiver((i) => (i === 0 ? { status: 503 } : undefined));
    const { n } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    n.send(alert({ state: 'resolved', resolvedAt: '2026-11-26T10:01:00.000Z' }), 'resolve');
    await n.whenIdle();
    expect(events(r)).toEqual(['fire #12', 'fire #12', 'resolve #12']);
    expect(n.status()).toMatchObject({ sent: 2, failed: 0, lastError: 'HTTP 503 from webhook: (empty body)' });
  });

  it('maxPending: beyond it the oldest waiting notification is dropped and counted failed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await receiver((i) => (i === 0 ? (res) => void gate.then(() => res.end('ok')) : undefined));
    const { n } = notifier({ url: r.url, maxPending: 2 });
    for (const id of [1, 2, 3, 4]) n.send(alert({ id }), 'fire');
    await r.waitFor(1);
    expect(n.status()).toMatchObject({
      pending: 2,
      failed: 2,
      ok: false,
      lastError: 'fire #3 not delivered: too many pending (more than 2): dropped the oldest',
    });
    release();
    await n.whenIdle();
    expect(events(r)).toEqual(['fire #1', 'fire #4']);
    expect(n.status()).toMatchObject({ pending: 0, sent: 2, failed: 2, ok: true });
  });

  it('credentials and the query string never show in the name, statuses or logs, but are sent', async () => {
    const r = await receiver();
    const url = `http://alice:s3cret@127.0.0.1:${r.port}/topic?auth=tok123`;
    const { n } = notifier({ url });
    expect(n.name).toBe(`webhook:http://127.0.0.1:${r.port}/to…`);
    n.send(alert(), 'fire');
    await n.whenIdle();
    expect(r.received[0]?.url).toBe('/topic?auth=tok123');
    expect(r.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);

    const port = await closedPort();
    const down = notifier({ url: `https://alice:s3cret@127.0.0.1:${port}/topic?auth=tok123`, retries: 0 });
    down.n.send(alert(), 'fire');
    await down.n.whenIdle();
    const shown = JSON.stringify([down.n.name, down.n.status(), down.logs]);
    expect(down.n.status().ok).toBe(false);
    for (const secret of ['s3cret', 'tok123', 'alice']) expect(shown).not.toContain(secret);
  });

  it('logs once per change of state, not per failure', async () => {
    const r = await receiver((i) => (i < 3 ? { status: 400, body: 'no' } : undefined));
    const { n, logs } = notifier({ url: r.url });
    for (const id of [1, 2, 3, 4, 5]) n.send(alert({ id }), 'fire');
    await n.whenIdle();
    expect(n.status()).toMatchObject({ ok: true, sent: 2, failed: 3 });
    expect(logs).toEqual([
      `notifications: webhook:${r.url}/ is failing: HTTP 400 from webhook: no`,
      `notifications: webhook:${r.url}/ delivers again`,
    ]);
  });

  it('a redirect is not followed (it would turn the POST into a GET) and is reported', async () => {
    const r = await receiver(() => ({ status: 301, headers: { Location: 'https://ntfy.example/alerts' } }));
    const { n } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    await n.whenIdle();
    expect(r.received).toHaveLength(1);
    expect(n.status()).toMatchObject({
      ok: false,
      failed: 1,
      lastError: 'HTTP 301 from webhook: redirects are not followed, use https://ntfy.example/alerts',
    });
  });

  it('close() during a backoff wait: the wait is cut short and one last attempt is made', async () => {
    const r = await receiver((i) => (i === 0 ? { status: 500 } : undefined));
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    // A backoff that would never end.
    const { n } = notifier({ url: r.url, schedule: () => (sleeping(), () => {}) });
    n.send(alert(), 'fire');
    await asleep;
    await n.close();
    expect(r.received).toHaveLength(2);
    expect(n.status()).toMatchObject({ sent: 1, failed: 0, pending: 0 });
    // Closed: later notifications are refused, counted, and never throw.
    n.send(alert({ id: 99 }), 'fire');
    expect(n.status()).toMatchObject({ failed: 1, lastError: 'fire #99 not delivered: the channel is closed' });
  });

  it('close() while a request is in flight: a failure gets one immediate retry, and no more', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = await receiver((i) =>
      i === 0
        ? (res) =>
            void gate.then(() => {
              res.writeHead(502);
              res.end('bad gateway');
            })
        : { status: 502, body: 'bad gateway' },
    );
    const { n, delays } = notifier({ url: r.url });
    n.send(alert(), 'fire');
    await r.waitFor(1);
    const closed = n.close();
    release();
    await closed;
    expect(r.received).toHaveLength(2);
    expect(delays).toEqual([]);
    expect(n.status()).toMatchObject({
      ok: false,
      sent: 0,
      failed: 1,
      pending: 0,
      lastError: 'HTTP 502 from webhook: bad gateway (not retried: shutting down)',
    });
  });

  it('close() is bounded: a hung request is aborted and what is left is dropped as failed', async () => {
    const r = await receiver(() => 'hang');
    const { n } = notifier({ url: r.url, timeoutMs: 60_000, closeTimeoutMs: 100 });
    n.send(alert({ id: 1 }), 'fire');
    n.send(alert({ id: 2 }), 'fire');
    await r.waitFor(1);
    const t0 = Date.now();
    await n.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    await n.whenIdle();
    expect(r.received).toHaveLength(1);
    expect(n.status()).toMatchObject({ ok: false, sent: 0, failed: 2, pending: 0 });
  });

  it('an invalid URL is a failing channel, not a crash, and does not echo the value', () => {
    const { n, logs } = notifier({ url: 'ntfy.sh/my-secret-topic' });
    expect(n.name).toBe('webhook:(invalid URL)');
    expect(() => n.send(alert(), 'fire')).not.toThrow();
    expect(n.status()).toMatchObject({ ok: false, failed: 2, pending: 0 });
    expect(logs).toEqual(['notifications: webhook:(invalid URL) is failing: the --webhook value is not an absolute http(s) URL']);
    expect(JSON.stringify([n.status(), logs])).not.toContain('my-secret-topic');
  });

  it('send() never throws, even for a record it cannot serialise', async () => {
    const r = await receiver();
    const { n } = notifier({ url: r.url });
    const broken = alert({ evidence: undefined as unknown as string[] });
    expect(() => n.send(broken, 'fire')).not.toThrow();
    await n.whenIdle();
    expect(r.received).toHaveLength(0);
    expect(n.status()).toMatchObject({ ok: false, failed: 1 });
    expect(n.status().lastError).toMatch(/^could not build the request: /);
  });
});
