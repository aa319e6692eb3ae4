// Stale data must not look healthy. A real agent (child process) on a real log with a
// firing alert: stopping it shows the stale banner with the time of the last data, greys the live
// figures and pauses Acknowledge; restarting it on the same port and data clears all of that.
// Freezing it (SIGSTOP: the socket stays open, nothing answers) is caught by the health check.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
let browser: Browser;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const a of agents) {
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGCONT');
    await a.stop('SIGKILL');
  }
});

const iso = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, '.000Z');
const gin = (d = new Date()): string => {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `[GIN] ${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} - ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} | 200 |  2.5s |       127.0.0.1 | POST     "/api/generate"`;
};

describe('stale state', () => {
  it('says so with the time of the last data, greys figures and pauses actions until the agent is back', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    // A truncation raises a firing alert with an Acknowledge button.
    writeFileSync(
      log,
      `time=${iso()} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n` +
        `time=${iso()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n${gin()}\n`,
    );
    const args = (port: string) => ['--log', log, '--port', port, '--data-dir', join(dir, 'data')];
    const first = await startAgentProcess(args('0'));
    agents.push(first);
    const port = new URL(first.url).port;

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/WebSocket connection to .* failed|Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(first.url);
    const banner = page.getByTestId('stale-banner');
    const ack = page.getByTestId('alert-ack').first();
    await ack.waitFor({ timeout: 15_000 });
    await page.getByTestId('request-row').first().waitFor();
    expect(await banner.count()).toBe(0);
    expect(await ack.getAttribute('aria-disabled')).toBe('false');
    const requestsFilter = () => page.getByTestId('requests').evaluate((e) => getComputedStyle(e).filter);
    expect(await requestsFilter()).toBe('none');

    const stoppedAt = new Date();
    expect(await first.stop('SIGTERM')).toBe(0);
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.getAttribute('data-reason')).toBe('disconnected');
    const text = (await banner.textContent()) ?? '';
    expect(text).toMatch(/Lost the connection .* figures below are from \d\d:\d\d:\d\d and are not live/);
    // The time shown is the last data's, not the time of the disconnect or later.
    const [hh, mm, ss] = /(\d\d):(\d\d):(\d\d)/.exec(text)!.slice(1).map(Number) as [number, number, number];
    const shownSeconds = hh * 3600 + mm * 60 + ss;
    const stoppedSeconds = stoppedAt.getHours() * 3600 + stoppedAt.getMinutes() * 60 + stoppedAt.getSeconds();
    expect((stoppedSeconds - shownSeconds + 86_400) % 86_400).toBeLessThan(60);
    expect(await ack.getAttribute('aria-disabled')).toBe('true');
    expect(await requestsFilter()).toBe('grayscale(1)');
    expect(await page.getByTestId('ollama-status').evaluate((e) => getComputedStyle(e).filter)).toBe('grayscale(1)');
    // A paused button does nothing: no request, no error under the banner.
    await ack.click({ force: true });
    expect(await page.getByTestId('alert-ack-error').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'stale.png') });

    const second = await startAgentProcess(args(port));
    agents.push(second);
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    expect(await ack.getAttribute('aria-disabled')).toBe('false');
    expect(await requestsFilter()).toBe('none');
    await ack.click();
    await page.getByTestId('alert-acknowledged').first().waitFor({ timeout: 10_000 });

    // Frozen: the socket stays open but nothing answers; the health check notices.
    second.child.kill('SIGSTOP');
    await banner.waitFor({ timeout: 40_000 });
    expect(await banner.getAttribute('data-reason')).toBe('unresponsive');
    expect(await banner.textContent()).toMatch(/not answering/);
    second.child.kill('SIGCONT');
    await banner.waitFor({ state: 'detached', timeout: 40_000 });
    expect(problems).toEqual([]);
  }, 150_000);
});
