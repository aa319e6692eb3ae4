// The history section in a real browser (Debian chromium via playwright-core) against a real demo:
// charts get data, the range picker refetches (by mouse and keyboard), the compare table and the
// timelines render, light and dark. Works whether or not the agent has /api/series yet.

import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite, watchProblems } from '../helpers/browserSuite.js';

const suite = useBrowserSuite({ demo: {} });

/** The browser's own line for a history route this agent lacks (shown as "not available yet"). */
const MISSING_ROUTE = /status of 404.*\/api\/(series|compare)\b/;

const points = (page: Page, chart: string) => page.locator(`[data-chart="${chart}"]`).getAttribute('data-points').then(Number);
const summary = (page: Page, chart: string) => page.locator(`[data-chart="${chart}"] [data-testid="chart-summary"]`).textContent();

describe('history on the demo', () => {
  it('draws charts, switches ranges (mouse, keyboard, custom) and shows compare and timelines, with no errors', async () => {
    const { page, problems } = await suite.open(undefined, {
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
      ignore: MISSING_ROUTE,
    });

    const history = page.getByTestId('history');
    await history.waitFor();
    expect(await page.getByRole('region', { name: /^History/ }).count()).toBe(1);
    // Seven charts, each with a heading and an accessible summary.
    const charts = history.getByTestId('history-chart');
    expect(await charts.count()).toBe(7);
    for (const id of ['decode-backend', 'prefill-backend', 'decode-model', 'request-rate', 'memory', 'context', 'kv-fill']) {
      const chart = history.locator(`[data-chart="${id}"]`);
      expect(await chart.locator('h3').count()).toBe(1);
      expect(await chart.locator('canvas').count()).toBe(1);
      expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(/, last 24 h: /);
    }

    // Once requests exist, a range switch refetches and the context chart has points.
    await page.getByTestId('request-row').first().waitFor({ timeout: 30_000 });
    const oneHour = page.waitForRequest((r) => r.url().includes('/api/series?') && r.url().includes('range=1h'));
    await history.getByRole('radio', { name: '1 h' }).check();
    await oneHour;
    await expect.poll(() => points(page, 'context'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => summary(page, 'context'))
      .toMatch(/^context used per request, last 1 h: \d+ requests?, median [\d,]+ of [\d,]+ tokens/);
    await expect.poll(() => summary(page, 'memory'), { timeout: 20_000 }).toMatch(/^memory, last 1 h: .+ used/);
    expect(await points(page, 'memory')).toBeGreaterThan(0);
    // Decode speed: data once the agent has /api/series, else the explicit placeholder.
    const decode = (await summary(page, 'decode-backend')) ?? '';
    expect(decode).toMatch(/^decode tok\/s by backend, last 1 h: (.+ median \d|no data|history not available yet)/);
    const notes = await history.locator('[data-chart="decode-backend"] [data-testid="chart-note"]').allTextContents();
    expect(notes.includes('history not available yet'), notes.join(' | ')).toBe(/not available/.test(decode));
    // The textual equivalent exists for a chart with data.
    expect(await history.locator('[data-chart="context"] table caption').textContent()).toMatch(/context used per request: data/);

    // Compare table: a table or a clear empty/unavailable line; and the two timelines.
    const compare = history.getByTestId('compare');
    await expect
      .poll(async () => (await compare.getByTestId('compare-table').count()) + (await compare.getByTestId('compare-empty').count()), {
        timeout: 15_000,
      })
      .toBe(1);
    // With a table, its speed-up column and a first speed-up that reads as one; without, neither.
    const hasTable = (await compare.getByTestId('compare-table').count()) === 1;
    expect(await compare.getByRole('columnheader', { name: /Speed-up/ }).count()).toBe(hasTable ? 1 : 0);
    const speedups = (await compare.getByTestId('compare-speedup').allTextContents()).map((s) => s.trim());
    expect(speedups.length > 0).toBe(hasTable);
    for (const s of speedups.slice(0, 1)) expect(s).toMatch(/^(MLX|Metal) \d+\.\d× faster$|^about the same$|^not comparable: /);
    await expect.poll(() => history.getByTestId('history-loads').textContent(), { timeout: 15_000 }).not.toMatch(/Loading/);
    expect(await history.getByTestId('history-load').count()).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.waitForTimeout(300);
    await history.screenshot({ path: join(SHOTS, 'history-light.png') });

    // Keyboard: the radios are one tab stop; an arrow key moves to 24 h and refetches.
    await history.getByRole('radio', { name: '1 h' }).focus();
    const day = page.waitForRequest((r) => r.url().includes('/api/series?') && r.url().includes('range=24h'));
    await page.keyboard.press('ArrowRight');
    await day;
    await expect.poll(() => summary(page, 'context')).toMatch(/, last 24 h: /);

    // 7 d by mouse: the URL and the summaries follow.
    const week = page.waitForRequest((r) => r.url().includes('/api/compare?range=7d'));
    await history.getByRole('radio', { name: '7 d' }).check();
    await week;
    await expect.poll(() => summary(page, 'memory')).toMatch(/^memory, last 7 d: /);

    // Custom: two labelled datetime-local inputs; Apply sends from/to.
    await history.getByRole('radio', { name: 'Custom…' }).check();
    const from = history.getByLabel('From', { exact: true });
    const to = history.getByLabel('To', { exact: true });
    expect(await from.getAttribute('type')).toBe('datetime-local');
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = (d: Date) =>
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const start = new Date(Date.now() - 2 * 3_600_000);
    await from.fill(local(start));
    await to.fill(local(new Date(Date.now() + 60_000)));
    const custom = page.waitForRequest((r) => r.url().includes('/api/series?') && /[?&]from=/.test(r.url()) && /[&]to=/.test(r.url()));
    await history.getByRole('button', { name: 'Apply' }).click();
    await custom;
    await expect.poll(() => summary(page, 'context')).toMatch(/^context used per request, \d+ \w{3} \d{2}:\d{2} – \d+ \w{3} \d{2}:\d{2}: /);
    await expect.poll(() => points(page, 'context'), { timeout: 15_000 }).toBeGreaterThan(0);
    // A bad pair is refused in words, without a request.
    await to.fill(local(new Date(start.getTime() - 3_600_000)));
    await history.getByRole('button', { name: 'Apply' }).click();
    expect(await history.getByRole('alert').textContent()).toBe('The end must be after the start.');

    // Dark: the theme follows prefers-color-scheme on the live page.
    await history.getByRole('radio', { name: '1 h' }).check();
    await expect.poll(() => points(page, 'context'), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400);
    await history.screenshot({ path: join(SHOTS, 'history-dark.png') });

    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws full series and the MLX vs Metal verdict from a fake /api/series and /api/compare', async () => {
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const problems = watchProblems(page, MISSING_ROUTE);
    const STEP = 5 * 60_000;
    // 24 h of made-up rollups: MLX about twice Metal, a quiet gap in the night, a CPU hour.
    await page.route('**/api/series?**', async (route) => {
      const url = new URL(route.request().url());
      const to = Date.now();
      const from = to - 24 * 3_600_000;
      const start = Math.floor(from / STEP) * STEP;
      const wave = (i: number, base: number) => Math.round(base * (1 + 0.08 * Math.sin(i / 9)) * 10) / 10;
      const points = (base: number, skip: (i: number) => boolean = () => false) => {
        const out: [number, number][] = [];
        for (let t = start, i = 0; t < to; t += STEP, i++) if (!skip(i)) out.push([t, wave(i, base)]);
        return out;
      };
      const night = (i: number) => i > 60 && i < 100;
      const metric = url.searchParams.get('metric');
      const group = url.searchParams.get('group');
      const prefill = metric === 'prefill_tps' ? 12 : 1;
      const series =
        metric === 'requests'
          ? [{ model: null, backend: null, points: points(6, night).map(([t, v], i) => [t, Math.round(v + (i % 7))]) }]
          : group === 'model'
            ? [
                { model: 'qwen3.5:35b-a3b', backend: null, points: points(82, night) },
                { model: 'llama3.1:8b', backend: null, points: points(58, night) },
              ]
            : [
                { model: null, backend: 'metal', points: points(41 * prefill, night) },
                { model: null, backend: 'mlx', points: points(82 * prefill, night) },
                { model: null, backend: 'cpu', points: points(9 * prefill, (i) => i < 200 || i > 212) },
              ];
      await route.fulfill({
        json: {
          metric,
          stat: url.searchParams.get('stat'),
          step: '5m',
          stepMs: STEP,
          from: new Date(start).toISOString(),
          to: new Date(to).toISOString(),
          source: 'minute',
          series,
        },
      });
    });
    await page.route('**/api/compare?**', (route) =>
      route.fulfill({
        json: {
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date().toISOString(),
          source: 'hour',
          items: [
            {
              model: 'qwen3.5:35b-a3b',
              backends: {
                mlx: { requests: 1204, decodeP50: 82.4, decodeP95: 91.2, prefillP50: 1480, latencyP50: 2310 },
                metal: { requests: 311, decodeP50: 43.1, decodeP95: 47.9, prefillP50: 690, latencyP50: 4820 },
              },
              decodeSpeedup: 1.91,
            },
            {
              model: 'llama3.1:8b',
              backends: { metal: { requests: 88, decodeP50: 58, decodeP95: 63, prefillP50: 775, latencyP50: 2400 } },
              decodeSpeedup: null,
            },
          ],
        },
      }),
    );
    await page.goto(suite.demo.url);
    const history = page.getByTestId('history');
    await expect
      .poll(() => summary(page, 'decode-backend'), { timeout: 15_000 })
      .toMatch(/^decode tok\/s by backend, last 24 h: MLX median \d+, Metal \d+, CPU \d/);
    expect(await points(page, 'decode-backend')).toBeGreaterThan(400);
    expect(await summary(page, 'request-rate')).toMatch(/^requests per minute, last 24 h: [\d,]+ requests, peak \d/);
    expect(await history.getByTestId('compare-speedup').first().textContent()).toBe('MLX 1.9× faster');
    expect(await history.getByTestId('compare-speedup').nth(1).textContent()).toBe('not comparable: no MLX run in this range');
    expect(await history.getByTestId('compare-row').count()).toBe(3);
    // The hidden table is the textual equivalent of the chart.
    expect(await history.locator('[data-chart="decode-backend"] table th[scope="col"]').allTextContents()).toEqual([
      'time',
      'MLX',
      'Metal',
      'CPU',
    ]);
    // Tall enough that the section needs no scrolling (the sticky header would cover part of it).
    await page.setViewportSize({ width: 1280, height: 2600 });
    await page.waitForTimeout(300);
    await history.screenshot({ path: join(SHOTS, 'history-fake-series-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(400);
    await history.screenshot({ path: join(SHOTS, 'history-fake-series-dark.png') });

    // The same page when the agent has no /api/series: a clear placeholder, the rest still works.
    await page.unroute('**/api/series?**');
    await page.route('**/api/series?**', (route) =>
      route.fulfill({ status: 404, json: { error: { code: 'not_found', message: 'no API route GET /api/series' } } }),
    );
    const day = page.waitForResponse((r) => r.url().includes('/api/series?') && r.url().includes('range=7d'));
    await history.getByRole('radio', { name: '7 d' }).check();
    await day;
    await expect.poll(() => summary(page, 'decode-backend')).toBe('decode tok/s by backend, last 7 d: history not available yet');
    expect(await history.locator('[data-chart="decode-backend"] [data-testid="chart-note"]').textContent()).toBe(
      'history not available yet',
    );
    expect(await points(page, 'decode-backend')).toBe(0);
    await expect.poll(() => summary(page, 'memory')).toMatch(/^memory, last 7 d: /);
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await page.close();
  });

  it('fits a phone-sized screen', async () => {
    const { page, problems } = await suite.open(undefined, {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      ignore: MISSING_ROUTE,
    });
    await page.getByTestId('history').waitFor();
    await page.getByTestId('request-row').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('history').getByRole('radio', { name: '1 h' }).check();
    await expect.poll(() => points(page, 'context'), { timeout: 20_000 }).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByTestId('history').screenshot({ path: join(SHOTS, 'history-phone-dark.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
