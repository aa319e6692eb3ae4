import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemorySample } from '../../shared/memory.js';
import { parseConfig, UsageError } from '../config/parseConfig.js';
import { demoMachineLabel, demoMemoryProbe } from '../demo/demoMemory.js';
import { startDemo } from '../demo/index.js';
import { setLogLevel } from '../log.js';
import { runAgent } from '../main.js';
import { defaultPaths, type RunningAgent } from '../runningAgent.js';
import { identityOf } from '../source/fileIdentity.js';
import { MemorySampleStore } from '../store/MemorySampleStore.js';
import { openDatabase } from '../store/openDatabase.js';
import { demoHelp } from './help.js';
import { showBacklogProgress } from './backlogProgress.js';
import { untilSignal } from './lifecycle.js';

/** The simulated past: a week of ordinary use, so every history chart has data at first paint. */
const PAST_DAYS = 7;

export async function demoCommand(argv: string[]): Promise<number> {
  const { config, help, explicit } = parseConfig(argv, process.env);
  if (help) {
    console.log(demoHelp());
    return 0;
  }
  for (const [key, flag] of [
    ['logs', '--log'],
    ['ollama', '--ollama'],
    ['proxy', '--proxy'],
  ] as const) {
    if (explicit.has(key)) {
      throw new UsageError(`the demo writes its own log, serves its own Ollama API and runs its own proxy; drop ${flag}`);
    }
  }
  setLogLevel(config.logLevel);
  const workDir = mkdtempSync(join(tmpdir(), 'ollama-lens-demo-'));
  const dataDir = explicit.has('dataDir') ? config.dataDir : join(workDir, 'data');
  const speed = Number(process.env.OLLAMA_LENS_DEMO_SPEED ?? '1');
  const pastDays = Number(process.env.OLLAMA_LENS_DEMO_PAST_DAYS ?? PAST_DAYS);
  const demo = await startDemo({
    dir: join(workDir, 'logs'),
    speed: Number.isFinite(speed) && speed > 0 ? speed : 1,
    pastDays: Number.isFinite(pastDays) && pastDays >= 0 ? Math.min(pastDays, 30) : PAST_DAYS,
  });
  let agent: RunningAgent;
  try {
    storePastMemory(dataDir, demo.pastSamples);
    // The memory figures come from the simulated Mac, not this machine: they follow what the simulated
    // Ollama has loaded and go through its memory-pressure episode.
    // Part of the demo's MLX traffic goes through the agent's proxy: those rows get exact tokens.
    const proxy = `127.0.0.1:${await freePort()}=${new URL(demo.ollamaUrl).host}`;
    agent = await runAgent({ ...config, logs: [demo.logPath], ollama: demo.ollamaUrl, dataDir, proxy }, undefined, {
      memoryProbe: demoMemoryProbe(demo.state),
    });
  } catch (err) {
    await demo.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  console.log(
    [
      'ollama-lens demo is running (simulated Ollama; your real Ollama and data are not touched)',
      `  dashboard:  ${agent.url}`,
      `  log:        ${demo.logPath}  (written by the simulator, after ${PAST_DAYS_TEXT(demo.pastBytes)})`,
      `  Ollama API: ${demo.ollamaUrl}  (simulated)`,
      `  proxy:      ${agent.proxyUrl ?? 'off'}  (part of the demo's MLX chats go through it: exact tokens)`,
      `  machine:    ${demoMachineLabel()}`,
      `  data:       ${agent.dbPath}${explicit.has('dataDir') ? '' : '  (temporary, removed on exit)'}`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  // The live stories begin once the past is read: read together with it, they would count as a
  // backfill and raise no alert.
  const running = agent;
  const stopProgress = showBacklogProgress(() => running.sources());
  const live = waitForPast(running, demo.logPath).then(() => demo.go(running.proxyUrl ?? undefined));
  return untilSignal(async () => {
    stopProgress();
    await live.catch(() => undefined);
    await demo.stop();
    await agent.stop();
    rmSync(workDir, { recursive: true, force: true });
  });
}

const PAST_DAYS_TEXT = (bytes: number): string =>
  bytes > 0 ? `a simulated past of ${(bytes / 1024 ** 2).toFixed(1)} MiB` : 'no simulated past';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** No probe ran in the simulated past: its samples go straight into the database the agent opens. */
function storePastMemory(dataDir: string, samples: readonly MemorySample[]): void {
  if (samples.length === 0) return;
  const db = openDatabase(dataDir, defaultPaths().migrationsDir);
  try {
    const store = new MemorySampleStore(db);
    db.transaction(() => {
      for (const s of samples) store.insert(s);
    })();
  } finally {
    db.close();
  }
}

/** Resolves once the agent has read server.log (the past's last file) to its end. */
async function waitForPast(agent: RunningAgent, logPath: string): Promise<void> {
  const st = statSync(logPath, { throwIfNoEntry: false });
  if (!st) return;
  const identity = identityOf(st);
  for (;;) {
    const source = agent.sources().find((s) => s.path === logPath);
    if (source !== undefined && source.identity === identity && source.offset >= st.size) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
