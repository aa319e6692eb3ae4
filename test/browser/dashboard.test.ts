// The dashboard in a real browser (Debian chromium via playwright-core) against a real running demo.

import { join } from 'node:path';
import { PAGE_SIZE } from '../../dashboard/src/lib/requestPages.js';
import { describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';

const suite = useBrowserSuite({ demo: {} });

describe('dashboard on the demo', () => {
  it('shows requests arriving live, with no CSP or script errors', async () => {
    const { page, problems } = await suite.open(undefined, { viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 10_000 }).toMatch(/live/i);

    const rows = page.getByTestId('request-row');
    await rows.first().waitFor({ timeout: 30_000 });
    const firstId = await rows.first().getAttribute('data-id');
    // The simulator keeps writing: a new row must appear on top without reloading.
    await expect.poll(async () => rows.first().getAttribute('data-id'), { timeout: 30_000 }).not.toBe(firstId);
    // One page is rendered however many rows arrive (the demo's past alone fills it).
    expect(await rows.count()).toBe(PAGE_SIZE);
    // The demo has no proxy: every row comes from the log and carries no source tag.
    expect(await page.getByTestId('request-source').count()).toBe(0);

    await expect.poll(() => page.getByTestId('ollama-status').textContent()).toMatch(/0\.33\.0/);
    expect(await page.getByTestId('source-status').first().textContent()).toContain('server.log');

    // Machine and memory pills: filled from the agent's probes, not left at their "unknown" placeholders.
    const machine = page.getByTestId('machine-status');
    await expect.poll(() => machine.textContent(), { timeout: 15_000 }).toMatch(/\S · \d+(\.\d)? [KMGT]iB/);
    expect(await machine.textContent()).not.toMatch(/unknown/i);
    const memory = page.getByTestId('memory-status');
    await expect.poll(() => memory.textContent(), { timeout: 15_000 }).toMatch(/^\W*Memory: .+ · .+ used · /);
    expect(await memory.textContent()).not.toMatch(/Memory: unknown/);
    // The pressure level is spelled out (or explicitly unknown); colour is never the only signal.
    expect(await memory.textContent()).toMatch(/Memory: (normal|warning|critical|pressure unknown)/);

    // "Loaded now": a labelled section with one card per loaded model (or its empty state).
    const loaded = page.getByTestId('loaded-models');
    await loaded.waitFor();
    expect(await page.getByRole('region', { name: /^Loaded now/ }).count()).toBe(1);
    // The demo loads qwen3.5:35b-a3b (MLX) and llama3.1:8b (Metal) within seconds: a card with its backend badge.
    const cards = loaded.getByTestId('loaded-model');
    await cards.first().waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => (await loaded.getByTestId('model-backend').allTextContents()).join(' '), { timeout: 15_000 })
      .toMatch(/\b(MLX|Metal)\b/);
    const card = cards.first();
    expect((await card.getByRole('heading').textContent())?.trim()).not.toBe('');
    expect(await card.textContent()).toMatch(/GPU layers/i);
    expect(await card.getByTestId('model-room').textContent()).toMatch(/^(free memory fits ≈ [\d,.]+[MB]? more KV tokens?|—)$/);

    // The context gauge: a meter with numbers, once a request on a loaded model reported its context.
    const gauge = loaded.getByRole('meter').first();
    await gauge.waitFor({ timeout: 30_000 });
    const now = Number(await gauge.getAttribute('aria-valuenow'));
    const max = Number(await gauge.getAttribute('aria-valuemax'));
    expect(Number.isFinite(now) && now >= 0).toBe(true);
    expect(max).toBeGreaterThan(0);
    expect(now).toBeLessThanOrEqual(max);
    expect(await gauge.getAttribute('aria-valuetext')).toMatch(/^[\d,]+ \/ [\d,]+ tokens · \d+%/);
    expect(await gauge.getAttribute('aria-labelledby')).toBeTruthy();
    expect(await loaded.getByTestId('context-label').first().textContent()).toMatch(/[\d,]+ \/ [\d,]+ tokens · \d+%/);

    // First screen on a laptop: status strip, alert banners and the model cards, without scrolling.
    expect((await card.boundingBox())!.y + (await card.boundingBox())!.height).toBeLessThanOrEqual(800);
    await page.screenshot({ path: join(SHOTS, 'demo-1280x800.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters the request feed by model, backend and status class; shows context % and truncation in words', async () => {
    const { page, problems } = await suite.open(undefined, { viewport: { width: 1280, height: 800 } });
    // Scoped to the Requests section: the History section has tables and selects of its own.
    const feed = page.getByTestId('requests');
    const rows = feed.getByTestId('request-row');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await feed.getByRole('columnheader', { name: 'Context' }).count()).toBe(1);
    expect(await feed.getByRole('columnheader', { name: 'Truncated' }).count()).toBe(1);
    // Context %: a percentage or "—", never an invented 0.
    for (const text of await feed.getByTestId('request-ctx').allTextContents()) expect(text.trim()).toMatch(/^(\d+%|—)$/);
    for (const text of await feed.getByTestId('request-truncated').allTextContents()) expect(text.trim()).toMatch(/^(✂ truncated|no|—)$/);

    // Labelled selects.
    const modelSelect = feed.getByLabel('Model', { exact: true });
    const backendSelect = feed.getByLabel('Backend', { exact: true });
    const statusSelect = feed.getByLabel('Status', { exact: true });
    for (const select of [modelSelect, backendSelect, statusSelect]) expect(await select.evaluate((e) => e.tagName)).toBe('SELECT');

    // By model: wait for an inference request, pick its model; every row shown is that model.
    await expect.poll(async () => (await modelSelect.locator('option').count()) >= 2, { timeout: 30_000 }).toBe(true);
    const model = (await modelSelect.locator('option').nth(1).getAttribute('value'))!;
    await modelSelect.selectOption(model);
    await expect.poll(() => feed.getByTestId('filter-summary').textContent()).toMatch(/^Showing \d+ of \d+ requests?$/);
    const models = await rows.locator('td:nth-child(6)').allTextContents();
    expect(models.length).toBeGreaterThan(0);
    expect(new Set(models.map((m) => m.trim()))).toEqual(new Set([model]));

    // By backend too: every row shown has that badge.
    const backend = backendSelect.locator('option').nth(1);
    const backendLabel = (await backend.textContent())!.trim();
    await backendSelect.selectOption(await backend.getAttribute('value'));
    await expect
      .poll(async () => {
        const shown = await rows.locator('td:nth-child(7)').allTextContents();
        return shown.length === 0 || shown.every((b) => b.trim() === backendLabel);
      })
      .toBe(true);

    // By status class: clear, then keep only 2xx.
    await feed.getByTestId('filter-reset').click();
    expect(await feed.getByTestId('filter-summary').count()).toBe(0);
    await statusSelect.selectOption('2xx');
    await expect
      .poll(async () => (await rows.locator('td:nth-child(4)').allTextContents()).every((s) => /^2\d\d$/.test(s.trim())))
      .toBe(true);
    await statusSelect.selectOption('5xx');
    await expect
      .poll(async () => {
        const shown = (await rows.locator('td:nth-child(4)').allTextContents()).map((s) => s.trim());
        return (
          shown.every((s) => /^5\d\d$/.test(s)) && (shown.length > 0 || (await feed.getByTestId('requests-filtered-empty').count()) === 1)
        );
      })
      .toBe(true);
    await feed.getByTestId('filter-reset').click();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads well in the dark colour scheme (theme follows the system)', async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await page.getByTestId('loaded-model').first().waitFor({ timeout: 20_000 });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(17, 20, 24)');
    await page.screenshot({ path: join(SHOTS, 'demo-dark-1280x800.png') });
    await page.close();
  });

  it('is usable on a phone-sized screen', async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 390, height: 844 }, rowsWithinMs: 30_000 });
    // The page itself must not scroll sideways; only the table's own container may.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'demo-phone.png') });
    // The model cards stack: one column, each as wide as the screen allows.
    const cards = page.getByTestId('loaded-model');
    await cards.first().waitFor({ timeout: 20_000 });
    const boxes = await cards.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, right: r.right })));
    for (const box of boxes) {
      expect(box.x).toBeLessThan(20);
      expect(box.right).toBeLessThanOrEqual(390);
    }
    await cards.first().scrollIntoViewIfNeeded();
    await page.getByTestId('loaded-models').screenshot({ path: join(SHOTS, 'demo-phone-cards.png') });
    await page.close();
  });
});
