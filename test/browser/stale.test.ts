// Stale data must not look healthy. A real agent (child process) on a real log with a
// firing alert: stopping it shows the stale banner with the time of the last data, greys the live
// figures and pauses Acknowledge; restarting it on the same port and data clears all of that.
// Freezing it (SIGSTOP: the socket stays open, nothing answers) is caught by the health check.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS } from '../helpers/browser.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';
import { ginLineAt, slogTime } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const suite = useBrowserSuite();

describe('stale state', () => {
  it('says so with the time of the last data, greys figures and pauses actions until the agent is back', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    // A truncation raises a firing alert with an Acknowledge button.
    writeFileSync(
      log,
      `time=${slogTime()} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n` +
        `time=${slogTime()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n` +
        `${ginLineAt(new Date(), { latency: '2.5s', path: '/api/generate' })}\n`,
    );
    const args = (port: string) => ['--log', log, '--port', port, '--data-dir', join(dir, 'data')];
    const first = await suite.agent(args('0'));
    const port = new URL(first.url).port;

    const { page, problems } = await suite.open(first.url, {
      viewport: { width: 1280, height: 800 },
      ignore: /WebSocket connection to .* failed|Failed to load resource/,
    });
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

    const second = await suite.agent(args(port));
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
