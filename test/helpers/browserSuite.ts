// One set-up for every browser test file: chromium for the file, the demo agent when asked for, agents
// started by a test stopped after the file, and a page opened on the dashboard with its console watched.
import type { Browser, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startAgentProcess, type AgentProcess } from './agentProcess.js';
import { launchBrowser } from './browser.js';

const DEMO_START_MS = 30_000;

export interface DemoOptions {
  /** Extra arguments after `demo --port 0` (e.g. `--data-dir`). */
  args?: string[];
  /** The demo's clock: 3 by default, fast enough for stories within a test and slow enough to read. */
  speed?: number | null;
  /** How long the demo may take to start (its simulated past is written first): 30 s by default, for a busy machine. */
  timeoutMs?: number;
}

export interface OpenOptions extends BrowserContextOptions {
  /** Wait this long for the first request row (none by default). */
  rowsWithinMs?: number;
  /** Console messages that are expected (a refused WebSocket while the agent is down, a 404 a test asks for). */
  ignore?: RegExp;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings and uncaught exceptions since the page opened, minus `ignore`. */
  problems: string[];
}

export interface BrowserSuite {
  readonly browser: Browser;
  /** The demo agent (only with `useBrowserSuite({ demo })`). */
  readonly demo: AgentProcess;
  /** Starts an agent now; it is killed after the file (SIGCONT first, in case a test froze it). */
  agent(args: string[], env?: NodeJS.ProcessEnv): Promise<AgentProcess>;
  /** A new page on `url` (the demo's dashboard by default), its problems collected from the start. */
  open(url?: string, options?: OpenOptions): Promise<OpenedPage>;
}

/** Console errors, warnings and page errors of `page` from now on, except those matching `ignore`. */
export function watchProblems(page: Page, ignore?: RegExp): string[] {
  const problems: string[] = [];
  const keep = (text: string) => ignore === undefined || !ignore.test(text);
  page.on('console', (m: ConsoleMessage) => {
    const text = `${m.type()}: ${m.text()} (${m.location().url})`;
    if ((m.type() === 'error' || m.type() === 'warning') && keep(text)) problems.push(text);
  });
  page.on('pageerror', (e) => {
    const text = `pageerror: ${e.message}`;
    if (keep(text)) problems.push(text);
  });
  return problems;
}

/** Registers the file's beforeAll/afterAll; call it at the top level of a test file. */
export function useBrowserSuite({ demo }: { demo?: DemoOptions } = {}): BrowserSuite {
  let browser: Browser | undefined;
  let demoAgent: AgentProcess | undefined;
  const agents: AgentProcess[] = [];

  beforeAll(
    async () => {
      if (demo !== undefined) {
        const speed = demo.speed === undefined ? 3 : demo.speed;
        const env = speed === null ? {} : { OLLAMA_LENS_DEMO_SPEED: String(speed) };
        demoAgent = await startAgentProcess(['demo', '--port', '0', ...(demo.args ?? [])], env, demo.timeoutMs ?? DEMO_START_MS);
      }
      browser = await launchBrowser();
    },
    (demo?.timeoutMs ?? DEMO_START_MS) + 30_000,
  );

  afterAll(async () => {
    await browser?.close();
    await demoAgent?.stop();
    for (const a of agents) {
      if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGCONT');
      await a.stop('SIGKILL');
    }
  });

  const suite: BrowserSuite = {
    get browser() {
      if (browser === undefined) throw new Error('the browser is not started yet (use the suite inside a test)');
      return browser;
    },
    get demo() {
      if (demoAgent === undefined) throw new Error('no demo: call useBrowserSuite({ demo: {} })');
      return demoAgent;
    },
    async agent(args, env = {}) {
      const a = await startAgentProcess(args, env);
      agents.push(a);
      return a;
    },
    async open(url, { rowsWithinMs, ignore, ...options } = {}) {
      const page = await suite.browser.newPage(options);
      const problems = watchProblems(page, ignore);
      await page.goto(url ?? suite.demo.url);
      if (rowsWithinMs !== undefined) await page.getByTestId('request-row').first().waitFor({ timeout: rowsWithinMs });
      return { page, problems };
    },
  };
  return suite;
}
