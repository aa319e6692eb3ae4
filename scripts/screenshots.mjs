#!/usr/bin/env node
// `npm run screenshots`: starts the demo (free port, temporary data), waits until its first minute has
// told every story, and photographs the dashboard in Debian's chromium (playwright-core): light and
// dark, desktop (1440 px) and phone (390 px) width, into docs/. SCREENSHOTS_AFTER_S changes the wait
// (10 s: what a newcomer sees first); SCREENSHOTS_DIR the folder; CHROMIUM_PATH the browser.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureBuilt } from './ensure-built.mjs';
import { ROOT } from './build.mjs';

const out = process.env.SCREENSHOTS_DIR ?? join(ROOT, 'docs');
const afterS = Number(process.env.SCREENSHOTS_AFTER_S ?? 50);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!ensureBuilt()) process.exit(1);
mkdirSync(out, { recursive: true });
// The wait counts from the command's start, as a person's would.
const started = Date.now();
const demo = spawn(process.execPath, [join(ROOT, 'dist', 'agent', 'cli.js'), 'demo', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let text = '';
const url = await new Promise((resolve, reject) => {
  demo.stdout.on('data', (d) => {
    text += d;
    const m = /dashboard:\s+(http:\/\/\S+)/.exec(text);
    if (m) resolve(m[1]);
  });
  demo.once('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${text}`)));
});
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  await new Promise((r) => setTimeout(r, Math.max(0, afterS * 1000 - (Date.now() - started))));
  for (const scheme of ['light', 'dark']) {
    for (const [name, width, height] of [
      ['desktop', 1440, 1100],
      ['phone', 390, 844],
    ]) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme, deviceScaleFactor: name === 'phone' ? 2 : 1 });
      await page.goto(url);
      await page.waitForSelector('[data-testid="request-row"]', { timeout: 20_000 }).catch(() => undefined);
      // Charts draw after their data arrives; give them a moment.
      await page.waitForTimeout(2500);
      const file = join(out, `dashboard-${name}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: process.env.SCREENSHOTS_FULL_PAGE === '1' });
      console.log(`${file} (${((Date.now() - started) / 1000).toFixed(0)} s after the demo started)`);
      if (name === 'desktop') {
        const history = join(out, `history-${scheme}.png`);
        await page.locator('[data-testid="history"]').screenshot({ path: history });
        console.log(history);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  demo.kill('SIGTERM');
}
