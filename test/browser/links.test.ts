// A link reproduces the view. Against a real running demo (child process) in chromium:
// range, filters and an opened request are read from the URL, every change is written back as a
// history entry, back/forward walk through them, and reloading the URL gives the same view.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, csvRows } from '../../agent/http/requestCsv.js';
import type { RequestRecord } from '../../shared/records.js';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';

const suite = useBrowserSuite({ demo: {} });

/**
 * Every record `/api/requests` lists for an export link's filters and window, page by page, that was
 * stored by the time the export ran: the demo keeps logging, and a request that ends inside the window
 * may be stored a moment after the export streamed (it gets a higher id than any the export holds).
 */
async function listAll(exportLink: URL, newestExportedId: number): Promise<RequestRecord[]> {
  const params = new URLSearchParams(exportLink.searchParams);
  params.delete('format');
  const listed: RequestRecord[] = [];
  for (let before = ''; ;) {
    const { items } = (await (await fetch(`${suite.demo.url}/api/requests?limit=1000&${params}${before}`)).json()) as {
      items: RequestRecord[];
    };
    listed.push(...items);
    if (items.length < 1000) return listed.filter((r) => r.id <= newestExportedId);
    before = `&before=${items.at(-1)!.id}`;
  }
}

/** The highest id among a CSV export's rows (its first column). */
const newestCsvId = (csv: string): number =>
  Math.max(
    ...csv
      .split('\r\n')
      .slice(1)
      .filter((line) => line !== '')
      .map((line) => Number(line.split(',')[0])),
  );

const search = (page: Page) => new URL(page.url()).searchParams;
const checkedRange = (page: Page) => page.locator('input[name="history-range"]:checked').getAttribute('value');

describe('links', () => {
  it('reads range, filters and the opened request from the URL, writes changes back, and back/forward work', async () => {
    const { page, problems } = await suite.open(`${suite.demo.url}/?range=7d&status=2xx&request=3`, {
      viewport: { width: 1440, height: 900 },
      acceptDownloads: true,
      rowsWithinMs: 30_000,
    });
    const status = page.getByTestId('filter-status');
    expect(await status.inputValue()).toBe('2xx');
    expect(await checkedRange(page)).toBe('7d');
    // Reading the link does not rewrite it, nor add a history entry (a new page's about:blank + the link).
    expect(search(page).toString()).toBe('range=7d&status=2xx&request=3');
    expect(await page.evaluate(() => history.length)).toBe(2);

    await status.selectOption('5xx');
    await expect.poll(() => search(page).get('status')).toBe('5xx');
    await page.getByRole('radio', { name: '1 h' }).check();
    await expect.poll(() => search(page).get('range')).toBe('1h');
    expect(search(page).get('request')).toBe('3');

    await page.goBack();
    await expect.poll(() => checkedRange(page)).toBe('7d');
    expect(await status.inputValue()).toBe('5xx');
    await page.goBack();
    await expect.poll(() => status.inputValue()).toBe('2xx');
    expect(search(page).toString()).toBe('range=7d&status=2xx&request=3');
    await page.goForward();
    await expect.poll(() => status.inputValue()).toBe('5xx');
    await page.goForward();
    await expect.poll(() => checkedRange(page)).toBe('1h');

    // Clearing the filters drops them from the URL.
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => search(page).has('status')).toBe(false);
    expect(search(page).get('range')).toBe('1h');

    // A link opened in a fresh page shows the same view.
    await status.selectOption('2xx');
    await expect.poll(() => search(page).get('status')).toBe('2xx');
    // The export buttons download what /api/requests gives for the same range and filters: every
    // request stored before the click, and none left out up to the newest it holds.
    const storedBefore = (await (await fetch(`${suite.demo.url}/api/requests?status=2xx&limit=1`)).json()) as { items: RequestRecord[] };
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { id: number; status: number }[];
    const asked = new URL(download.url());
    expect(asked.pathname).toBe('/api/requests/export');
    expect(asked.searchParams.get('status')).toBe('2xx');
    const newestExported = Math.max(...exported.map((r) => r.id));
    expect(newestExported).toBeGreaterThanOrEqual(storedBefore.items[0]!.id);
    const listed = await listAll(asked, newestExported);
    expect(exported.length).toBeGreaterThan(0);
    expect(exported).toEqual(listed);
    expect(exported.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    // The CSV of the same view (its window ends at its own click) holds the same records, cell for cell.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvText = await readFile(await csv.path(), 'utf8');
    const csvListed = await listAll(new URL(csv.url()), newestCsvId(csvText));
    expect(csvListed.length).toBeGreaterThan(0);
    expect(csvText).toBe(CSV_HEADER + csvRows(csvListed));

    const link = page.url();
    const { page: other } = await suite.open(link, { viewport: { width: 1440, height: 900 }, rowsWithinMs: 30_000 });
    expect(await other.getByTestId('filter-status').inputValue()).toBe('2xx');
    expect(await checkedRange(other)).toBe('1h');
    expect(other.url()).toBe(link);
    await other.screenshot({ path: join(SHOTS, 'link.png') });
    expect(problems).toEqual([]);
  }, 90_000);
});
