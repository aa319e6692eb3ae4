// Issue 25 by keyboard only, in chromium against a real agent on a log written for it (four firing
// alerts, 120 requests, a failed load): Tab reaches every control, each one visible and clear of the
// sticky header; Enter and Space work on the request rows, the toggletips, the chart data, paging,
// export and Acknowledge; "Acknowledge all" says its count, acknowledges them all and leaves focus on
// an alert. The toggletips that replaced the tooltips are checked on the demo too (its model cards).
import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../shared/alerts.js';
import type { AgentProcess } from '../helpers/agentProcess.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';
import { ginLineAt, slogTime } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const suite = useBrowserSuite({ demo: {} });

const ROWS = 120;
const BLOB = '/Users/me/.ollama/models/blobs/sha256-d5422ff93680f280861bc677af32c8773303a955e4bb6dce9420bdc3c73bbd03';

/**
 * A log that leaves four firing alerts (partial offload, OOM and crash of load #1, a truncation) and
 * ROWS requests over the last minutes: more than one page of the table.
 */
function writeLog(path: string): void {
  const now = Date.now();
  const t = `time=${slogTime(new Date(now))}`;
  const rows = Array.from({ length: ROWS }, (_, i) =>
    ginLineAt(new Date(now - (ROWS - i) * 2000), { status: i % 7 === 0 ? 500 : 200, path: '/api/generate' }),
  );
  writeFileSync(
    path,
    [
      ...rows,
      `${t} level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.33.0)"`,
      `${t} level=INFO source=types.go:32 msg="inference compute" id=0 library=Metal name=MTL0 description="Apple M3 Max" total="96.0 GiB" available="96.0 GiB"`,
      `${t} level=INFO source=server.go:109 msg="using llama-server for model" model=${BLOB}`,
      `${t} level=INFO source=llama_server.go:433 msg="starting llama-server" cmd="/x/llama-server --model ${BLOB} -c 8192 -np 1"`,
      'load_tensors: offloaded 31/33 layers to GPU',
      'llama_kv_cache:       MTL0 KV buffer size =   896.00 MiB',
      `${t} level=INFO source=llama_server.go:1362 msg="llama-server started in 3.87 seconds"`,
      'ggml_metal_synchronize: error: command buffer 0 failed with status 5',
      `${t} level=ERROR source=llama_server.go:985 msg="llama-server terminated" error="exit status 2"`,
      ginLineAt(new Date(now), { status: 500, path: '/api/generate', latency: '5.1s' }),
      `${t} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048`,
      ginLineAt(new Date(now), { path: '/api/generate', latency: '2.5s' }),
      '',
    ].join('\n'),
  );
}

async function startAgent(): Promise<AgentProcess> {
  const dir = tmp();
  const log = join(dir, 'server.log');
  writeLog(log);
  return suite.agent(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
}

async function firing(agent: AgentProcess): Promise<AlertRecord[]> {
  return ((await (await fetch(`${agent.url}/api/alerts?state=firing`)).json()) as { items: AlertRecord[] }).items;
}

/** Where the focused element is, and why a sighted keyboard user could not see it (null: they can). */
interface Focused {
  key: string;
  hidden: string | null;
}

/** Marks the focused element with its order of arrival; `key` is "again" once the walk comes back round. */
function inspectFocus(page: Page, order: number): Promise<Focused> {
  return page.evaluate((n) => {
    const el = document.activeElement as HTMLElement | null;
    if (el === null || el === document.body || el === document.documentElement) return { key: 'body', hidden: null };
    const name = `${el.tagName.toLowerCase()}[${el.dataset.testid ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}]`;
    if (el.dataset.walk !== undefined) return { key: 'again', hidden: null };
    el.dataset.walk = String(n);
    const header = document.querySelector('header');
    const below = header === null || header.contains(el) ? 0 : header.getBoundingClientRect().bottom;
    // A styled radio is a transparent input whose label shows the focus ring: the label is what is seen.
    const seen = (Number(getComputedStyle(el).opacity) === 0 && el instanceof HTMLInputElement && el.closest('label')) || el;
    const box = seen.getBoundingClientRect();
    const style = getComputedStyle(seen);
    let hidden: string | null = null;
    if (box.width < 1 || box.height < 1) hidden = 'no size';
    else if (style.visibility === 'hidden' || Number(style.opacity) === 0) hidden = 'invisible';
    else if (box.bottom <= below + 4 || box.top >= window.innerHeight - 4)
      hidden = `outside the view (top ${Math.round(box.top)}, header ${Math.round(below)})`;
    else if (box.height <= window.innerHeight - below && box.top < below - 1)
      hidden = `under the sticky header (top ${Math.round(box.top)}, header ${Math.round(below)})`;
    else {
      // Something else painted over its visible middle (a popover, the header)?
      const top = Math.max(box.top, below);
      const bottom = Math.min(box.bottom, window.innerHeight);
      const hit = document.elementFromPoint(Math.min(box.left + box.width / 2, window.innerWidth - 1), (top + bottom) / 2);
      if (hit !== null && hit !== seen && !seen.contains(hit) && !hit.contains(seen))
        hidden = `covered by ${hit.tagName.toLowerCase()}.${hit.className}`;
    }
    return { key: name, hidden };
  }, order);
}

/** Tabs from the top of the page until focus comes back round; every stop and the ones hidden. */
async function tabWalk(page: Page, limit = 500): Promise<{ stops: string[]; hidden: string[] }> {
  const stops: string[] = [];
  const hidden: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await inspectFocus(page, i);
    if (f.key === 'again' || (f.key === 'body' && stops.length > 0)) return { stops, hidden };
    if (f.key === 'body') continue;
    stops.push(f.key);
    if (f.hidden !== null) hidden.push(`${f.key}: ${f.hidden}`);
  }
  throw new Error(`focus did not come back round within ${limit} tab stops`);
}

const activeTestId = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName);

describe('keyboard only', () => {
  it('Acknowledge all says its count, acknowledges every firing alert and leaves focus on a visible alert', async () => {
    const agent = await startAgent();
    await expect.poll(async () => (await firing(agent)).length, { timeout: 20_000 }).toBe(4);
    const { page, problems } = await suite.open(agent.url, { viewport: { width: 1280, height: 800 } });
    const all = page.getByTestId('alert-ack-all');
    await all.waitFor({ timeout: 15_000 });
    expect(await all.textContent()).toMatch(/Acknowledge all 4 firing alerts/);
    expect(await all.getAttribute('data-count')).toBe('4');

    await all.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await firing(agent)).every((a) => a.acknowledgedAt !== null), { timeout: 10_000 }).toBe(true);
    await all.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('alert-ack').count()).toBe(0);
    // Focus is on the first alert, on screen and below the sticky header — not dropped to <body>.
    expect(await activeTestId(page)).toBe('alert-banner');
    expect(await page.evaluate(() => document.activeElement === document.querySelector('[data-testid="alert-banner"]'))).toBe(true);
    const { hidden } = await inspectFocus(page, -1);
    expect(hidden).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reaches every control with Tab, each visible and clear of the sticky header; Enter and Space work', async () => {
    const agent = await startAgent();
    await expect.poll(async () => (await firing(agent)).length, { timeout: 20_000 }).toBe(4);
    const { page, problems } = await suite.open(agent.url, {
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      rowsWithinMs: 20_000,
    });
    await page.getByTestId('alert-ack').first().waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-show-data"]').length > 0, undefined, {
      timeout: 20_000,
    });

    const { stops, hidden } = await tabWalk(page);
    console.log(`keyboard walk: ${stops.length} tab stops`);
    expect(hidden).toEqual([]);
    // Every kind of control is on the walk.
    const reached = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-walk]')].map(
        (e) => e.dataset.testid ?? e.querySelector<HTMLElement>('[data-testid]')?.dataset.testid ?? '',
      ),
    );
    for (const testid of [
      'alert-ack-all',
      'alert-ack',
      'filter-status',
      'export-csv',
      'export-json',
      'request-open',
      'request-page-older',
      'chart-show-data',
      'toggletip',
    ]) {
      expect(reached, testid).toContain(testid);
    }
    // The header's pills are toggletips: the button walked to holds the pill.
    expect(await page.getByTestId('connection-status').evaluate((e) => e.closest('[data-walk]') !== null)).toBe(true);

    // A request row: Enter opens its detail panel, Escape closes it; Space opens it too.
    const open = page.getByTestId('request-open').nth(3);
    const id = await page.getByTestId('request-row').nth(3).getAttribute('data-id');
    await open.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('request-detail').getAttribute('data-id')).toBe(id);
    await page.keyboard.press('Escape');
    await page.getByTestId('request-detail').waitFor({ state: 'detached' });
    await open.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('request-detail').getAttribute('data-id')).toBe(id);
    await page.getByTestId('request-detail-close').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('request-detail').waitFor({ state: 'detached' });

    // A toggletip: Enter shows its note, Space hides it, Escape closes it again after Enter.
    const pill = page.getByTestId('toggletip').filter({ has: page.getByTestId('connection-status') });
    const note = page.locator(`#${await pill.getAttribute('aria-controls')}`);
    await pill.focus();
    await page.keyboard.press('Enter');
    expect(await pill.getAttribute('aria-expanded')).toBe('true');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toMatch(/Connected to the ollama-lens agent/);
    await page.keyboard.press('Space');
    expect(await note.isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    expect(await note.isVisible()).toBe(false);
    expect(await pill.getAttribute('aria-expanded')).toBe('false');

    // A chart's data: Enter puts its table on screen.
    const show = page.getByTestId('chart-show-data').first();
    const data = page.locator(`#${await show.getAttribute('aria-controls')}`);
    await show.focus();
    await page.keyboard.press('Enter');
    expect(await show.getAttribute('aria-expanded')).toBe('true');
    expect(await data.locator('tbody tr').first().isVisible()).toBe(true);
    await page.keyboard.press('Space');
    expect(await show.getAttribute('aria-expanded')).toBe('false');

    // Paging: Enter on Older shows the next page; Space on Newest comes back.
    const first = await page.getByTestId('request-row').first().getAttribute('data-id');
    const last = Number(await page.getByTestId('request-row').last().getAttribute('data-id'));
    await page.getByTestId('request-page-older').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('request-row').first().getAttribute('data-id')).toBe(String(last - 1));
    await page.getByTestId('request-page-newest').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('request-row').first().getAttribute('data-id')).toBe(first);

    // Export: Enter on the CSV link downloads the rows in view.
    await page.getByTestId('export-csv').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.trim().split('\n').length).toBeGreaterThan(ROWS);

    // Acknowledge: Space on one alert's button acknowledges it, and focus stays on that alert.
    const ack = page.getByTestId('alert-ack').first();
    const alertId = await page.getByTestId('alert-banner').filter({ has: ack }).first().getAttribute('data-alert-id');
    await ack.focus();
    await page.keyboard.press('Space');
    await expect
      .poll(async () => (await firing(agent)).find((a) => String(a.id) === alertId)?.acknowledgedAt ?? null, { timeout: 10_000 })
      .toEqual(expect.any(String));
    await expect
      .poll(() =>
        page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('[data-alert-id]')?.getAttribute('data-alert-id')),
      )
      .toBe(alertId);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("opens by keyboard what tooltips used to hold: pills, alert times, a model card's figures, the context note", async () => {
    const { page, problems } = await suite.open(undefined, { viewport: { width: 1440, height: 900 } });
    await page.getByTestId('loaded-model').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('alert-banner').first().waitFor({ timeout: 30_000 });
    /** Focus the toggletip around `inner` (or inside it), press Enter: its note says `expected`; Escape hides it. */
    const check = async (inner: string, expected: RegExp) => {
      const around = page.getByTestId('toggletip').filter({ has: page.getByTestId(inner) });
      const tip = (await around.count()) > 0 ? around.first() : page.getByTestId(inner).first().getByTestId('toggletip');
      await tip.focus();
      await page.keyboard.press('Enter');
      const note = page.locator(`#${await tip.getAttribute('aria-controls')}`);
      expect(await note.isVisible(), inner).toBe(true);
      expect(await note.textContent(), inner).toMatch(expected);
      // On top where it stands: not clipped by a box around it, nor covered.
      await note.scrollIntoViewIfNeeded();
      const onTop = await note.evaluate((n) => {
        const b = n.getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return hit !== null && (hit === n || n.contains(hit));
      });
      expect(onTop, inner).toBe(true);
      await page.keyboard.press('Escape');
      expect(await note.isVisible(), inner).toBe(false);
    };
    await check('ollama-status', /Ollama answers/);
    await check('alert-seen', /First seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC[+-]\d\d:\d\d/);
    await check('model-resident', /in GPU memory/);
    await check('model-kv', /Estimate|Ollama's log says/);
    await check('context-window', /the window it ran with/);

    // A request row's old tooltips are in its detail panel: an MLX row without output tokens says why.
    const mlx = page
      .getByTestId('request-row')
      .filter({ has: page.getByTestId('request-completion').getByText('—', { exact: true }) })
      .filter({ has: page.getByText('MLX', { exact: true }) })
      .first();
    await mlx.waitFor({ timeout: 30_000 });
    const id = await mlx.getAttribute('data-id');
    await page.locator(`[data-testid="request-row"][data-id="${id}"] [data-testid="request-open"]`).focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('request-detail');
    await expect.poll(() => panel.getAttribute('data-id')).toBe(id);
    expect(await panel.getByTestId('detail-token-note').textContent()).toMatch(/MLX logs no output-token count/);
    expect(await panel.locator('[data-testid="detail-field"][data-key="at"] dd').textContent()).toMatch(
      /^\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC[+-]\d\d:\d\d\s*$/,
    );
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('keeps an open note on a phone screen: no sideways scroll whichever header note is open', async () => {
    const { page, problems } = await suite.open(undefined, { viewport: { width: 390, height: 844 } });
    await page.getByTestId('memory-status').waitFor({ timeout: 30_000 });
    const tips = page.locator('header').getByTestId('toggletip');
    const count = await tips.count();
    expect(count).toBeGreaterThan(3);
    const overflowing: string[] = [];
    for (let i = 0; i < count; i++) {
      const tip = tips.nth(i);
      await tip.focus();
      await page.keyboard.press('Enter');
      const note = page.locator(`#${await tip.getAttribute('aria-controls')}`);
      await expect.poll(() => note.isVisible()).toBe(true);
      // Measured after the note has lined itself up (a frame after opening).
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const box = (await note.boundingBox())!;
      if (box.x < 0 || box.x + box.width > 390)
        overflowing.push(`${await tip.textContent()}: ${Math.round(box.x)} to ${Math.round(box.x + box.width)}`);
      await page.keyboard.press('Escape');
    }
    expect(overflowing).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
