// The whole agent's first start on a log, in a new process: runAgent as `ollama-lens` runs it (HTTP
// server, WebSocket hub, alerts, metrics, senses; Ollama unreachable, no client connected), timed from
// the call until its source has read the log to the end. What replayBackfill leaves out is here: every
// listener on the bus gets each stored request. Prints nothing itself; run.mjs prints the figure.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseConfig } from '../dist/agent/config/parseConfig.js';
import { runAgent } from '../dist/agent/main.js';

/** { ms, linesRead } of a first start on `log`, with its data under `parent`. */
export async function firstStart(log, parent) {
  const dir = mkdtempSync(join(parent, 'first-start-'));
  try {
    // Port 9 (discard): nothing listens there, so Ollama is unreachable at once, as on a machine without it.
    const { config } = parseConfig(['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--ollama', 'http://127.0.0.1:9'], {});
    const size = statSync(log).size;
    const t = performance.now();
    const agent = await runAgent(config);
    try {
      for (;;) {
        const source = agent.sources()[0];
        if (source !== undefined && source.offset >= size && source.lagBytes === 0) {
          return { ms: performance.now() - t, linesRead: source.linesRead };
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await agent.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** firstStart in a new node process; the same result. */
export async function firstStartInChild(log, parent) {
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), log, parent], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [log, parent] = process.argv.slice(2);
  process.stdout.write(`\n${JSON.stringify(await firstStart(log, parent))}\n`);
}
