// The dashboard in a real browser against a real running demo: axe-core finds nothing at
// 1440 and 390 px, light and dark; tabbing backwards never leaves focus under the sticky header.
// (The long tasks while 10 requests/s arrive are measured in renderCost.test.ts.)
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const suite = useBrowserSuite({ demo: {} });

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

describe('accessibility', () => {
  for (const width of [1440, 390]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`axe finds nothing at ${width} px, ${scheme}`, async () => {
        // bypassCSP only lets the test inject axe; the page's own policy stays in force otherwise.
        const { page } = await suite.open(undefined, {
          viewport: { width, height: 900 },
          colorScheme: scheme,
          bypassCSP: true,
          rowsWithinMs: 30_000,
        });
        await page
          .getByTestId('history')
          .first()
          .waitFor()
          .catch(() => undefined);
        await page.waitForTimeout(1500);
        const violations = await axe(page);
        await page.screenshot({ path: join(SHOTS, `dashboard-${width}-${scheme}.png`) });
        expect(violations).toEqual([]);
        await page.close();
      }, 60_000);
    }
  }

  it('never leaves focus under the sticky header when tabbing backwards', async () => {
    const { page } = await suite.open(undefined, { viewport: { width: 1440, height: 800 }, rowsWithinMs: 30_000 });
    await page.keyboard.press('End');
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    const hidden: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Shift+Tab');
      const where = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const header = document.querySelector('header');
        if (el === null || header === null || header.contains(el) || el === document.body) return null;
        const box = el.getBoundingClientRect();
        const below = header.getBoundingClientRect().bottom;
        // A focusable region taller than the space below the header (the scrolling table) cannot
        // start below it; it must still show, not sit wholly under it.
        const fits = box.height <= window.innerHeight - below;
        const hidden = fits ? box.top < below - 1 : box.bottom <= below + 20;
        return hidden ? `${el.tagName} ${el.textContent?.trim().slice(0, 40)} at ${Math.round(box.top)}` : null;
      });
      if (where !== null) hidden.push(where);
    }
    expect(hidden).toEqual([]);
  }, 60_000);
});
