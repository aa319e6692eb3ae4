// The page survives the agent going away. A real agent process on a real log: the page says
// "reconnecting…" while the agent is down, and after a restart on the same port and data it shows
// every row, including the ones logged while it was down, with no console errors.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const suite = useBrowserSuite();

describe('reconnect', () => {
  it('shows "reconnecting…" while the agent is down and every row after it restarts', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    const line = (i: number) => ginLine({ time: `08:00:${String(i).padStart(2, '0')}`, path: `/api/chat`, latency: `${i + 1}.0s` }) + '\n';
    writeFileSync(log, line(0) + line(1));
    const args = (port: string) => ['--log', log, '--port', port, '--data-dir', join(dir, 'data')];
    const first = await suite.agent(args('0'));
    const port = new URL(first.url).port;

    // A refused WebSocket while the agent is down is expected, and so is a fetch cut or refused by its
    // stop (the history's first requests may still be in flight); nothing else is.
    const { page, problems } = await suite.open(first.url, {
      viewport: { width: 1280, height: 800 },
      ignore: /WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_(RESET|REFUSED)/,
    });
    const status = page.getByTestId('connection-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/live/);
    const rows = page.getByTestId('request-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);

    expect(await first.stop('SIGTERM')).toBe(0);
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/reconnecting/);
    await page.screenshot({ path: join(SHOTS, 'reconnecting.png') });
    appendFileSync(log, line(2) + line(3) + line(4));

    await suite.agent(args(port));
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/live/);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(5);
    // Still flowing after the restart.
    appendFileSync(log, line(5));
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(6);
    expect(problems).toEqual([]);
  }, 90_000);

  it('takes a burst of 1,000 requests in batched renders (at most ~4 a second), showing the newest page', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, '');
    const agent = await suite.agent(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
    const { page } = await suite.open(agent.url, { viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toMatch(/live/);
    // Count the times the request table's body changes: one callback per render.
    await page.evaluate(() => {
      const w = window as unknown as { renders: number[] };
      w.renders = [];
      const body = document.querySelector('[data-testid="request-row"]')?.parentElement ?? document.querySelector('main')!;
      new MutationObserver(() => w.renders.push(performance.now())).observe(body, { childList: true, subtree: true, characterData: true });
    });
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++)
      lines.push(ginLine({ time: `09:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` }));
    const t0 = Date.now();
    appendFileSync(log, lines.join('\n') + '\n');
    // One page is rendered, the newest first.
    await expect.poll(() => page.getByTestId('request-row').first().getAttribute('data-id'), { timeout: 20_000 }).toBe('1000');
    expect(await page.getByTestId('request-row').count()).toBe(50);
    await page.waitForTimeout(600);
    const renders = await page.evaluate(() => (window as unknown as { renders: number[] }).renders);
    const seconds = Math.max(1, (Date.now() - t0) / 1000);
    expect(renders.length).toBeGreaterThan(0);
    expect(renders.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 2);
    const total = ((await (await fetch(`${agent.url}/api/requests?limit=1`)).json()) as { total: number }).total;
    expect(total).toBe(1000);
  }, 60_000);
});
