// Alert banners in a real browser against a real running demo. The first group feeds chosen alerts
// and channel states through the demo's own WebSocket (playwright rewrites the frames) so every
// state of the banner is exercised; the last test uses only what the demo's engine raises.

import { join } from 'node:path';
import { type Page, type Route, type WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AlertRecord, ChannelStatus } from '../../shared/alerts.js';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite, watchProblems } from '../helpers/browserSuite.js';

const suite = useBrowserSuite({ demo: {} });

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function alert(id: number, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    kind: 'mlx_fallback',
    severity: 'warning',
    subject: 'model:llama3.3:70b',
    model: 'llama3.3:70b',
    state: 'firing',
    title: 'llama3.3:70b ran on llama.cpp/Metal although MLX was expected',
    message:
      'The model is a GGUF build, which MLX cannot run. MLX is often about twice as fast on Apple Silicon: pull an MLX build of the model, or fix the reason above.',
    evidence: ['load #3 at 13:02: engine llama.cpp, backend metal, OLLAMA_USE_MLX=1'],
    count: 1,
    firstAt: minutesAgo(38),
    lastAt: minutesAgo(1),
    resolvedAt: null,
    acknowledgedAt: null,
    notifications: 1,
    lastNotifiedAt: minutesAgo(38),
    incidentId: null,
    loadId: null,
    requestId: null,
    ...overrides,
  };
}

const FIRING: AlertRecord[] = [
  alert(101, { count: 12 }),
  alert(102, {
    kind: 'runner_crash',
    severity: 'critical',
    subject: 'model:qwen3.5:35b-a3b',
    model: 'qwen3.5:35b-a3b',
    title: 'qwen3.5:35b-a3b: the runner crashed',
    message:
      'llama runner process has terminated: signal: killed. Requests in flight failed: if it repeats, look for out-of-memory messages; a smaller model or num_ctx, or updating Ollama, usually helps.',
    evidence: ['runner pid 4127 exited: signal: killed', 'runner pid 4398 exited: signal: killed'],
    count: 2,
    firstAt: minutesAgo(12),
    lastAt: minutesAgo(3),
  }),
  alert(103, {
    kind: 'context_near_limit',
    subject: 'model:qwen2.5:7b',
    model: 'qwen2.5:7b',
    title: 'qwen2.5:7b is close to its context window',
    message:
      'Request #881 used 7,702 of 8,192 tokens (94%). Ollama will soon cut or shift the prompt without telling the client: raise num_ctx or start a new conversation.',
    evidence: ['request #881: prompt 7,530 + completion 172 = 7,702 of 8,192 tokens'],
    count: 3,
    firstAt: minutesAgo(20),
    lastAt: minutesAgo(2),
  }),
  alert(100, {
    kind: 'memory_pressure',
    subject: 'machine',
    model: null,
    title: 'Memory pressure is high on this machine',
    message: 'free 9% (kern.memorystatus_level). The system is compressing and swapping memory and models slow down sharply.',
    count: 5,
    firstAt: minutesAgo(50),
    lastAt: minutesAgo(4),
    acknowledgedAt: minutesAgo(30),
  }),
];

const RESOLVED: AlertRecord[] = [
  alert(99, {
    kind: 'gpu_fallback',
    subject: 'model:llama3.2:3b',
    model: 'llama3.2:3b',
    title: 'llama3.2:3b ran on the CPU although a GPU is available',
    state: 'resolved',
    firstAt: minutesAgo(90),
    lastAt: minutesAgo(70),
    resolvedAt: minutesAgo(40),
  }),
];

const FAILING_CHANNEL: ChannelStatus = {
  name: 'webhook:https://ntfy.sh/lens-alerts',
  ok: false,
  sent: 3,
  failed: 2,
  lastError: 'HTTP 502 Bad Gateway',
  lastSentAt: minutesAgo(45),
  pending: 1,
};

interface Injection {
  alerts: AlertRecord[];
  channels: ChannelStatus[];
}

/**
 * Relay the page's WebSocket to the demo, replacing the snapshot's alerts and the status's channels
 * and dropping the demo's own alert deltas; `push` sends a delta of our own. Frames are renumbered
 * so injected deltas fit the client's strictly increasing `seq`.
 */
/** The parts of a server message that inject() rewrites. */
interface Relayed {
  type: string;
  seq: number;
  snapshot?: { alerts: unknown; status: { channels: unknown } };
  status?: { channels: unknown };
}

async function inject(page: Page, injection: Injection): Promise<{ push(alert: AlertRecord): void }> {
  let client: WebSocketRoute | null = null;
  let seq = 0;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    client = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((raw) => {
      // The dashboard asks for batch frames: a JSON array of messages, each rewritten alone.
      const parsed = JSON.parse(String(raw)) as unknown;
      for (const m of (Array.isArray(parsed) ? parsed : [parsed]) as Relayed[]) rewrite(m);
    });
    const rewrite = (m: Relayed): void => {
      if (m.type === 'alert') return;
      if (m.type === 'hello' && m.snapshot) {
        m.snapshot.alerts = injection.alerts;
        m.snapshot.status.channels = injection.channels;
      }
      if (m.type === 'status' && m.status) m.status.channels = injection.channels;
      m.seq = ++seq;
      ws.send(JSON.stringify(m));
    };
  });
  return {
    push(a) {
      if (client === null) throw new Error('no WebSocket yet');
      client.send(JSON.stringify({ type: 'alert', seq: ++seq, alert: a }));
    },
  };
}

/** The fake ack endpoint: 404 for `missing`, else 200 with the acknowledged record, after `delayMs`. */
async function fakeAck(page: Page, missing: number[], delayMs = 400): Promise<number[]> {
  const calls: number[] = [];
  await page.route('**/api/alerts/*/ack', async (route: Route) => {
    const id = Number(/\/api\/alerts\/(\d+)\/ack$/.exec(route.request().url())?.[1]);
    calls.push(id);
    expect(route.request().method()).toBe('POST');
    await new Promise((r) => setTimeout(r, delayMs));
    const known = [...FIRING, ...RESOLVED].find((a) => a.id === id);
    if (known === undefined || missing.includes(id)) {
      await route.fulfill({ status: 404, json: { error: { code: 'not_found', message: `no alert ${id}` } } });
    } else {
      await route.fulfill({ status: 200, json: { alert: { ...known, acknowledgedAt: new Date().toISOString() } } });
    }
  });
  return calls;
}

/** The failed acknowledgement's 404 is expected; anything else is not. */
const EXPECTED = /status of 404/;

describe('alert banners (alerts fed through the demo WebSocket)', () => {
  it('shows one banner per firing alert, critical first, and follows a #alert-<id> link', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const problems = watchProblems(page, EXPECTED);
    await inject(page, { alerts: [...FIRING, ...RESOLVED], channels: [FAILING_CHANNEL] });
    await page.goto(`${suite.demo.url}/#alert-103`);

    const region = page.getByRole('region', { name: 'Alerts' });
    await region.waitFor({ timeout: 10_000 });
    // New alerts are spoken by the rate-limited announcer, not by the whole region.
    expect(await region.getAttribute('aria-live')).toBeNull();
    expect(await page.getByTestId('alert-announcer').getAttribute('aria-live')).toBe('polite');
    const banners = region.getByTestId('alert-banner');
    expect(await banners.evaluateAll((els) => els.map((e) => e.id))).toEqual(['alert-102', 'alert-103', 'alert-101', 'alert-100']);

    // The linked alert is scrolled into view, ringed and focused.
    const linked = page.locator('#alert-103');
    await expect.poll(() => linked.getAttribute('class')).toMatch(/\bhighlighted\b/);
    await expect.poll(() => linked.evaluate((e) => e === document.activeElement)).toBe(true);
    const box = await linked.boundingBox();
    expect(box !== null && box.y >= 0 && box.y + box.height <= 800).toBe(true);

    const crash = page.locator('#alert-102');
    expect(await crash.getAttribute('data-severity')).toBe('critical');
    const crashText = (await crash.textContent()) ?? '';
    expect(crashText).toContain('Critical');
    expect(crashText).toContain('qwen3.5:35b-a3b: the runner crashed');
    expect(crashText).toContain('llama runner process has terminated');
    expect(await crash.getByTestId('alert-seen').textContent()).toMatch(/^seen 2 times · first \d\d:\d\d · last \d\d:\d\d$/);
    // The latest evidence line, behind a disclosure.
    const evidence = crash.getByTestId('alert-evidence');
    expect(await evidence.isVisible()).toBe(false);
    await crash.getByText('Evidence', { exact: true }).click();
    expect(await evidence.textContent()).toBe('runner pid 4398 exited: signal: killed');
    expect(await page.locator('#alert-101').textContent()).toContain('Warning');

    // Already acknowledged: stays while firing, dimmed, no button.
    const acked = page.locator('#alert-100');
    expect(await acked.getAttribute('data-acknowledged')).toBe('true');
    expect(await acked.getByTestId('alert-acknowledged').textContent()).toMatch(/Acknowledged \d\d:\d\d/);
    expect(await acked.getByTestId('alert-ack').count()).toBe(0);

    // Each Acknowledge button names its alert.
    expect(await page.getByRole('button', { name: 'Acknowledge alert: qwen3.5:35b-a3b: the runner crashed' }).count()).toBe(1);

    // Failing notification channel, in the header.
    expect(await page.getByTestId('channel-status').textContent()).toContain(
      'Notifications failing: webhook:https://ntfy.sh/lens-alerts — HTTP 502 Bad Gateway',
    );
    // Resolved recently: one compact toggle.
    expect(await page.getByTestId('alerts-resolved').locator('summary').textContent()).toContain('1 alert resolved recently');

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'alerts-light-1280x800.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('acknowledges from the keyboard, shows the pending state, and an inline error when it fails', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page, EXPECTED);
    await inject(page, { alerts: FIRING, channels: [] });
    const calls = await fakeAck(page, [101]);
    await page.goto(suite.demo.url);

    // Failure: the server's message, under the banner; the button is usable again.
    const fallback = page.locator('#alert-101');
    const fallbackButton = fallback.getByTestId('alert-ack');
    await fallbackButton.click();
    expect(await fallbackButton.textContent()).toMatch(/Acknowledging…/);
    expect(await fallbackButton.getAttribute('aria-disabled')).toBe('true');
    await fallback.getByTestId('alert-ack-error').waitFor();
    expect(await fallback.getByTestId('alert-ack-error').textContent()).toContain('Could not acknowledge: no alert 101');
    expect(await fallbackButton.getAttribute('aria-disabled')).toBe('false');
    expect(await fallback.getAttribute('data-acknowledged')).toBe('false');
    await fallback.screenshot({ path: join(SHOTS, 'alerts-ack-error.png') });

    // Success, from the keyboard: the banner stays, collapsed, with no button; focus stays on it.
    const crash = page.locator('#alert-102');
    await crash.getByTestId('alert-ack').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => crash.getAttribute('data-acknowledged')).toBe('true');
    expect(await crash.getByTestId('alert-ack').count()).toBe(0);
    expect(await crash.textContent()).toMatch(/Acknowledged \d\d:\d\d/);
    expect(await crash.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(calls).toEqual([101, 102]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('adds, updates and resolves banners from live alert deltas', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const feed = await inject(page, { alerts: [], channels: [] });
    await page.goto(suite.demo.url);
    await page.getByTestId('request-row').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('alert-banner').count()).toBe(0);

    // One timestamp for both: two calls can straddle a millisecond.
    const at = minutesAgo(0);
    const oom = alert(200, {
      kind: 'oom',
      severity: 'critical',
      title: 'mixtral:8x22b ran out of memory',
      count: 1,
      firstAt: at,
      lastAt: at,
    });
    feed.push(oom);
    await page.locator('#alert-200').waitFor();
    expect(await page.locator('#alert-200').getByTestId('alert-seen').textContent()).toMatch(/^seen once · at \d\d:\d\d$/);
    feed.push({ ...oom, count: 4 });
    await expect.poll(() => page.locator('#alert-200').getByTestId('alert-seen').textContent()).toMatch(/^seen 4 times/);
    feed.push({ ...oom, count: 4, state: 'resolved', resolvedAt: new Date().toISOString() });
    await expect.poll(() => page.getByTestId('alert-banner').count()).toBe(0);
    // Nothing fires: no region, no box.
    expect(await page.getByRole('region', { name: 'Alerts' }).count()).toBe(0);
    expect((await page.getByTestId('alerts').boundingBox())?.height ?? 0).toBe(0);
    await page.close();
  });

  it('adds nothing while no alert fires and every channel works', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await inject(page, { alerts: RESOLVED, channels: [{ ...FAILING_CHANNEL, ok: true, lastError: null }] });
    await page.goto(suite.demo.url);
    await page.getByTestId('request-row').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('region', { name: 'Alerts' }).count()).toBe(0);
    expect(await page.getByTestId('alert-banner').count()).toBe(0);
    expect(await page.getByTestId('channel-status').count()).toBe(0);
    expect((await page.getByTestId('alerts').boundingBox())?.height ?? 0).toBe(0);
    await page.close();
  });

  it('follows a link to an alert that has resolved since to the resolved list', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await inject(page, { alerts: RESOLVED, channels: [] });
    await page.goto(`${suite.demo.url}/#alert-99`);
    const entry = page.locator('#alert-99');
    await entry.waitFor({ timeout: 10_000 });
    expect(await page.getByRole('region', { name: 'Alerts' }).count()).toBe(1);
    expect(await page.getByTestId('alert-banner').count()).toBe(0);
    expect(await page.getByTestId('alerts-resolved').getAttribute('open')).not.toBeNull();
    expect(await entry.textContent()).toMatch(/Warning\s*llama3\.2:3b ran on the CPU although a GPU is available\s*— resolved \d\d:\d\d/);
    await expect.poll(() => entry.getAttribute('class')).toMatch(/\bhighlighted\b/);
    await page.screenshot({ path: join(SHOTS, 'alerts-resolved-link.png'), clip: { x: 0, y: 0, width: 1280, height: 260 } });
    await page.close();
  });

  it('reads well in the dark colour scheme and on a phone', async () => {
    for (const [name, viewport] of [
      ['alerts-dark-1280x800', { width: 1280, height: 800 }],
      ['alerts-dark-phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await suite.browser.newPage({ viewport, colorScheme: 'dark' });
      await inject(page, { alerts: [...FIRING, ...RESOLVED], channels: [FAILING_CHANNEL] });
      await page.goto(suite.demo.url);
      await page.getByTestId('alert-banner').first().waitFor({ timeout: 10_000 });
      await page.locator('#alert-102').getByText('Evidence', { exact: true }).click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: viewport.width < 500 });
      await page.close();
    }
  });

  it('says on the MLX pill what the MLX alerts say (one derivation): unavailable while the library alert fires', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page);
    const library = alert(110, {
      kind: 'mlx_unavailable',
      subject: 'machine',
      model: null,
      title: 'MLX is not available to Ollama',
      evidence: ['MLX dynamic library not available: failed to load MLX dynamic library'],
    });
    const feed = await inject(page, { alerts: [library], channels: [] });
    await page.goto(suite.demo.url);

    const pill = page.getByTestId('mlx-eligibility');
    await expect.poll(() => pill.getAttribute('data-state')).toBe('unavailable');
    expect(await pill.textContent()).toContain('MLX unavailable: library not loaded');
    expect(await page.locator('#alert-110').textContent()).toContain('MLX is not available to Ollama');
    // The demo's Mac could run MLX: the hardware says eligible, the log says not now.
    expect(await pill.getAttribute('data-eligible')).toBe('true');

    feed.push({ ...library, state: 'resolved', resolvedAt: new Date().toISOString() });
    await expect.poll(() => pill.getAttribute('data-state')).toBe('eligible');
    expect(await pill.textContent()).toContain('MLX eligible');
    feed.push(alert(111));
    await expect.poll(() => pill.textContent()).toContain('MLX eligible · fell back');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('alerts the demo raises (needs the agent side: engine, /api/alerts, WS alert deltas)', () => {
  it('shows a banner for a firing demo alert; Acknowledge persists on the agent', async () => {
    const firing = async (): Promise<AlertRecord[]> => {
      const res = await fetch(`${suite.demo.url}/api/alerts?state=firing`);
      return res.ok ? ((await res.json()) as { items: AlertRecord[] }).items : [];
    };
    await expect.poll(async () => (await firing()).filter((a) => a.acknowledgedAt === null).length, { timeout: 45_000 }).toBeGreaterThan(0);

    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchProblems(page, EXPECTED);
    await page.goto(suite.demo.url);
    const open = page.getByTestId('alert-banner').filter({ has: page.getByTestId('alert-ack') });
    await open.first().waitFor({ timeout: 15_000 });
    const banner = open.first();
    const id = Number(await banner.getAttribute('data-alert-id'));
    const expected = (await firing()).find((a) => a.id === id);
    expect(expected, `alert ${id} is firing on the agent`).toBeDefined();
    expect(await banner.textContent()).toContain(expected!.title);

    await banner.getByTestId('alert-ack').click();
    const same = page.locator(`#alert-${id}`);
    // Acknowledged (or, if the demo resolved it meanwhile, gone from the banners).
    await expect
      .poll(async () => ((await same.count()) === 0 ? 'resolved' : await same.getAttribute('data-acknowledged')))
      .toMatch(/true|resolved/);

    const all = (await (await fetch(`${suite.demo.url}/api/alerts?limit=1000`)).json()) as { items: AlertRecord[] };
    expect(all.items.find((a) => a.id === id)?.acknowledgedAt).toEqual(expect.any(String));
    await page.screenshot({ path: join(SHOTS, 'alerts-demo-1280x800.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
