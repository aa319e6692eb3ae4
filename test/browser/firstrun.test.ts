// A newcomer's first minute of `npm run demo`, in Debian's chromium: at first paint every history
// chart, the MLX-vs-Metal table, loads and incidents have data (the simulated past); within 60 s of the
// start the MLX fallback, the context-near-limit and the crash stories are on screen as alerts, with a
// context gauge; at phone width the request table shows model, backend and tok/s without a sideways scroll.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';

let startedAt = 0;
// Registered before the suite's own beforeAll, so the minute counts from before the demo starts.
beforeAll(() => {
  startedAt = Date.now();
});
// The demo at its own pace: what a newcomer's `npm run demo` shows.
const suite = useBrowserSuite({ demo: { speed: null, timeoutMs: 60_000 } });

/** What is left of the first minute after `npm run demo` started (never less than 1 s). */
const untilMinute = (): number => Math.max(1000, 60_000 - (Date.now() - startedAt));

const CHARTS = ['decode-backend', 'prefill-backend', 'decode-model', 'request-rate', 'memory', 'context'];

describe('the demo at first sight', () => {
  it('has data in every history chart, the compare table, loads and incidents at first paint', async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 1440, height: 1000 } });
    const history = page.getByTestId('history');
    await history.waitFor();
    for (const id of CHARTS) {
      await page.waitForFunction((c) => Number(document.querySelector(`[data-chart="${c}"]`)?.getAttribute('data-points') ?? 0) > 0, id, {
        timeout: 20_000,
      });
    }
    expect(await page.getByTestId('compare-row').count()).toBeGreaterThan(1);
    expect(await history.getByText('No data in this range').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'firstrun-desktop.png'), fullPage: true });
    await page.close();
  });

  it('shows the fallback, context and crash stories with a context gauge within 60 s of the start', { timeout: 90_000 }, async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 1440, height: 1000 } });
    for (const kind of ['mlx_fallback', 'context_near_limit', 'runner_crash']) {
      await page.locator(`[data-testid="alert-banner"][data-kind="${kind}"]`).first().waitFor({ timeout: untilMinute() });
    }
    expect(await page.getByTestId('context-gauge').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="loaded-model"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('keeps model, backend and tok/s in view at 390 px without a sideways scroll', async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 390, height: 844 }, rowsWithinMs: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'firstrun-phone.png') });
    const table = page.getByTestId('request-row').first().locator('xpath=ancestor::div[contains(@class,"scroll")]');
    const { scrollWidth, clientWidth } = await table.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth + 1);
    for (const name of ['Model', 'Backend', 'tok/s']) {
      const box = await page.locator('thead th', { hasText: name }).first().boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
});
