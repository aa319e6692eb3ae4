// The request table renders one page, newest first; "Older" walks the API's `before=`
// cursor (with the filters) down to the oldest stored row; Back and "Newest" come back up.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../helpers/browserSuite.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const suite = useBrowserSuite();

const ROWS = 1234;

describe('paging', () => {
  it('reaches the oldest row page by page, with and without a filter', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      const t = `${String(8 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      lines.push(ginLine({ time: t, status: i % 10 === 0 ? 500 : 200 }));
    }
    writeFileSync(log, lines.join('\n') + '\n');
    const agent = await suite.agent(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
    const { page } = await suite.open(agent.url, { viewport: { width: 1440, height: 900 } });
    const rows = page.getByTestId('request-row');
    const older = page.getByTestId('request-page-older');
    await expect.poll(() => rows.first().getAttribute('data-id'), { timeout: 20_000 }).toBe(String(ROWS));
    expect(await rows.count()).toBe(50);

    let pages = 1;
    while ((await older.count()) > 0) {
      const last = Number(await rows.last().getAttribute('data-id'));
      await older.click();
      await expect.poll(() => rows.first().getAttribute('data-id')).toBe(String(last - 1));
      expect(await rows.count()).toBeLessThanOrEqual(50);
      pages++;
    }
    expect(pages).toBe(Math.ceil(ROWS / 50));
    expect(await rows.last().getAttribute('data-id')).toBe('1');
    expect(await page.getByTestId('request-page-position').textContent()).toMatch(/Requests #34 to #1 of 1,234 stored/);
    expect(new URL(page.url()).searchParams.get('before')).toBe('35');
    // Focus stayed in the pager when "Older" went away.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('request-page-newest');

    await page.goBack();
    await expect.poll(() => rows.last().getAttribute('data-id')).toBe('35');
    await page.getByTestId('request-page-newest').click();
    await expect.poll(() => rows.first().getAttribute('data-id')).toBe(String(ROWS));
    expect(new URL(page.url()).searchParams.has('before')).toBe(false);

    // With a filter, the older pages hold only matching rows, down to the oldest match (#1).
    await page.getByTestId('filter-status').selectOption('5xx');
    await expect
      .poll(async () =>
        (await page.locator('[data-testid="request-row"] td:nth-child(4)').allTextContents()).every((s) => s.trim() === '500'),
      )
      .toBe(true);
    let last = '';
    while ((await older.count()) > 0) {
      await older.click();
      await expect.poll(() => page.getByTestId('request-page-position').textContent()).toMatch(/Requests #/);
      last = (await rows.last().getAttribute('data-id')) ?? '';
      const statuses = await page.locator('[data-testid="request-row"] td:nth-child(4)').allTextContents();
      expect(statuses.every((s) => s.trim() === '500')).toBe(true);
    }
    expect(last).toBe('1');

    // History is one link away from the sticky header, and lands below it.
    await page.getByTestId('nav-history').click();
    await expect
      .poll(async () => {
        const top = await page.locator('#history-title').evaluate((e) => e.getBoundingClientRect().top);
        const bottom = await page.locator('header').evaluate((e) => e.getBoundingClientRect().bottom);
        return top >= bottom && top < 900;
      })
      .toBe(true);
  }, 120_000);
});
