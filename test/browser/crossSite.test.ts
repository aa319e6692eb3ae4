// Cross-site requests in a real browser: a page served from a second local origin tries to acknowledge an
// alert of a real agent with a form POST and a no-cors fetch — the two requests a foreign page can make
// without a CORS preflight. The alert stays unacknowledged; the dashboard's own button still works.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../shared/alerts.js';
import type { AgentProcess } from '../helpers/agentProcess.js';
import { useBrowserSuite } from '../helpers/browserSuite.js';
import { ginLineAt, slogTime } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const suite = useBrowserSuite();
let agent: AgentProcess;
let attacker: Server;
let attackerPort: number;

/** The foreign page: both attacks, then `window.done`. */
const attackPage = (target: string): string => `<!doctype html><meta charset="utf-8"><title>elsewhere</title>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${target}" target="sink"><input name="x" value="1"></form>
<script>
  const frame = document.querySelector('iframe');
  const formDone = new Promise((resolve) => frame.addEventListener('load', () => resolve('loaded'), { once: true }));
  document.getElementById('f').submit();
  const fetchDone = fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    .then((r) => 'fetch ' + r.type, (e) => 'fetch failed ' + e.message);
  Promise.all([formDone, fetchDone]).then((r) => { window.done = r; });
</script>`;

async function alerts(): Promise<AlertRecord[]> {
  return ((await (await fetch(`${agent.url}/api/alerts?limit=1000`)).json()) as { items: AlertRecord[] }).items;
}

beforeAll(async () => {
  const dir = tmp();
  const log = join(dir, 'server.log');
  writeFileSync(log, `time=${slogTime()} level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"\n`);
  agent = await suite.agent(['--log', log, '--port', '0', '--data-dir', join(dir, 'data')]);
  appendFileSync(
    log,
    `time=${slogTime()} level=WARN source=runner.go:131 msg="truncating input prompt" limit=2048 prompt=5065 keep=5 new=2048\n${ginLineAt(new Date(), { latency: '2.5s', path: '/api/generate' })}\n`,
  );
  let target = '';
  attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackPage(target)));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
  const [first] = await until(async () => {
    const items = await alerts();
    return items.length > 0 && items;
  });
  target = `${agent.url}/api/alerts/${first!.id}/ack`;
});

afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
});

describe('acknowledging from another local origin', () => {
  it.each(['127.0.0.1', 'localhost'])(
    'a page on http://%s:<another port> cannot acknowledge by form POST or no-cors fetch',
    async (host) => {
      const { page } = await suite.open(`http://${host}:${attackerPort}/`);
      const outcome = await page.waitForFunction(() => (window as unknown as { done?: string[] }).done, undefined, { timeout: 15_000 });
      // Both requests really left the page (so the test cannot pass by their never being sent).
      expect(await outcome.jsonValue()).toEqual(['loaded', 'fetch opaque']);
      await page.close();
      const [alert] = await alerts();
      expect(alert!.state).toBe('firing');
      expect(alert!.acknowledgedAt).toBeNull();
    },
  );

  it("the dashboard's own Acknowledge still works", async () => {
    const { page } = await suite.open(agent.url, { viewport: { width: 1280, height: 800 } });
    const [alert] = await alerts();
    const banner = page.locator(`#alert-${alert!.id}`);
    await banner.getByTestId('alert-ack').click();
    await expect.poll(async () => (await alerts())[0]!.acknowledgedAt, { timeout: 15_000 }).toEqual(expect.any(String));
    // The page learns it over the WebSocket, a render batch after the API has it.
    await expect.poll(() => banner.getAttribute('data-acknowledged'), { timeout: 15_000 }).toBe('true');
    await page.close();
  });
});
