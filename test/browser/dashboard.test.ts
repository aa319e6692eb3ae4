// The dashboard in a real browser (Debian chromium via playwright-core) against a real running demo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', '..', '.tmp', 'screenshots');

let demo: AgentProcess;
let browser: Browser;

beforeAll(async () => {
  demo = await startAgentProcess(['demo', '--port', '0'], { OLLAMA_LENS_DEMO_SPEED: '3' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('dashboard on the demo', () => {
  it('shows requests arriving live, with no CSP or script errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(demo.url);
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 10_000 }).toMatch(/live/i);

    const rows = page.getByTestId('request-row');
    await rows.first().waitFor({ timeout: 30_000 });
    const before = await rows.count();
    const firstId = await rows.first().getAttribute('data-id');
    // The simulator keeps writing: a new row must appear on top without reloading.
    await expect.poll(async () => rows.first().getAttribute('data-id'), { timeout: 30_000 }).not.toBe(firstId);
    expect(await rows.count()).toBeGreaterThan(before);

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

    // "Loaded now": a labelled section with either a real table (header row + model rows) or the empty state.
    const loaded = page.getByTestId('loaded-models');
    await loaded.waitFor();
    expect(await page.getByRole('region', { name: /^Loaded now/ }).count()).toBe(1);
    // Until /api/ps has answered the section says it is asking; then rows or "No model loaded".
    await expect
      .poll(async () => (await loaded.getByTestId('loaded-model').count()) > 0 || !/Asking Ollama/.test((await loaded.textContent()) ?? ''), { timeout: 15_000 })
      .toBe(true);
    const modelRows = await loaded.getByTestId('loaded-model').count();
    if (modelRows > 0) {
      expect(await loaded.getByRole('columnheader', { name: /Expires/ }).count()).toBe(1);
      expect((await loaded.getByTestId('loaded-model').first().locator('th').textContent())?.trim()).not.toBe('');
    } else {
      expect(await loaded.getByTestId('loaded-models-empty').textContent()).toMatch(/No model loaded|Ollama unreachable/);
    }
    await page.screenshot({ path: join(SHOTS, 'demo-1280x800.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is usable on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(demo.url);
    await page.getByTestId('request-row').first().waitFor({ timeout: 30_000 });
    // The page itself must not scroll sideways; only the table's own container may.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'demo-phone.png') });
    await page.close();
  });
});
