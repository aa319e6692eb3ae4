// The request detail panel in a real browser (Debian chromium via playwright-core) against a real
// running demo: a row with memory figures is opened from the table with the keyboard, and the panel
// shows its memory and its load; Escape closes it and gives focus back to the row.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';

/** Before the demo starts: rows after it are the live ones (the simulated past's loads are no longer in /api/ps). */
let startedAt: number;
beforeAll(() => {
  startedAt = Date.now();
});
// Its own data folder, for the whole file (the demo runs across tests).
const dataDir = mkdtempSync(join(tmpdir(), 'ollama-lens-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const suite = useBrowserSuite({ demo: { args: ['--data-dir', dataDir], speed: 4 } });

describe('request detail panel', () => {
  it("opens from the table with the keyboard and shows the request's memory and its load", async () => {
    const { page, problems } = await suite.open(undefined, { viewport: { width: 1280, height: 900 } });

    // A live inference row whose KV fill and machine sample are known (the demo's MLX and Metal requests);
    // live, because its load's /api/ps size is asked for below and the simulated past's loads are gone.
    const known = page
      .getByTestId('request-row')
      .filter({ has: page.locator('[data-testid="request-kv-bar"]:not([data-fill=""])') })
      .filter({ has: page.locator('[data-testid="request-pressure"]:not([data-pressure=""])') });
    const liveIds = () =>
      known.evaluateAll(
        (rows, since) =>
          rows
            .filter((r) => Date.parse(r.querySelector('time')?.getAttribute('datetime') ?? '') >= since)
            .map((r) => r.getAttribute('data-id')),
        startedAt,
      );
    await expect.poll(async () => (await liveIds()).length, { timeout: 45_000 }).toBeGreaterThan(0);
    // Pinned by id: the demo keeps adding rows on top, so `first()` would move.
    const id = (await liveIds())[0]!;
    const row = page.locator(`[data-testid="request-row"][data-id="${id}"]`);
    expect(await row.getByTestId('request-memory').textContent()).toMatch(/model memory \d+(\.\d)? [GM]iB · KV cache \d+% full/);

    await row.getByTestId('request-open').focus();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('request-detail');
    await panel.waitFor();
    expect(await panel.getAttribute('data-id')).toBe(id);
    // Focus moves into the panel, so a keyboard user is where the content is.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('request-detail-title');

    const field = (key: string) => panel.locator(`[data-testid="detail-field"][data-key="${key}"] dd`);
    expect(await field('kvFill').textContent()).toMatch(/\d+%/);
    expect(await field('kvBytes').textContent()).toMatch(/\d+(\.\d)? [KMG]iB/);
    expect(await field('modelMemoryBytes').textContent()).toMatch(/\d+(\.\d)? GiB/);
    expect(await field('memoryUsedBytes').textContent()).toMatch(/\d+(\.\d)? GiB/);
    expect(await field('memoryPressure').textContent()).toMatch(/normal|warning|critical/);

    // Its load: engine and backend of the runner that served it.
    const load = (key: string) => panel.locator(`[data-testid="detail-load-field"][data-key="${key}"] dd`);
    await load('engine').waitFor({ timeout: 10_000 });
    expect(await load('engine').textContent()).toMatch(/^(mlx|llama\.cpp)$/);
    expect(await load('backend').textContent()).toMatch(/^(MLX|Metal)$/);
    expect(await load('ctx').textContent()).toMatch(/\d/);

    // The machine's memory around it.
    await expect
      .poll(() => panel.getByTestId('detail-memory').textContent(), { timeout: 10_000 })
      .toMatch(/Machine memory used ±5 min around the request: .+ to .+, \d+ samples/);
    await page.screenshot({ path: join(SHOTS, 'request-detail.png') });

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('tr')?.dataset.id)).toBe(id);
    expect(problems).toEqual([]);
  });
});
