import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, UsageError } from '../config/parseConfig.js';
import { demoMachineLabel, demoMemoryProbe } from '../demo/demoMemory.js';
import { startDemo } from '../demo/index.js';
import { setLogLevel } from '../log.js';
import { runAgent } from '../main.js';
import { demoHelp } from './help.js';
import { untilSignal } from './lifecycle.js';

export async function demoCommand(argv: string[]): Promise<number> {
  const { config, help, explicit } = parseConfig(argv, process.env);
  if (help) {
    console.log(demoHelp());
    return 0;
  }
  for (const key of ['logs', 'ollama'] as const) {
    if (explicit.has(key)) {
      throw new UsageError(`the demo writes its own log and serves its own Ollama API; drop ${key === 'logs' ? '--log' : '--ollama'}`);
    }
  }
  setLogLevel(config.logLevel);
  const workDir = mkdtempSync(join(tmpdir(), 'ollama-lens-demo-'));
  const dataDir = explicit.has('dataDir') ? config.dataDir : join(workDir, 'data');
  const speed = Number(process.env.OLLAMA_LENS_DEMO_SPEED ?? '1');
  const demo = await startDemo({ dir: join(workDir, 'logs'), speed: Number.isFinite(speed) && speed > 0 ? speed : 1 });
  let agent;
  try {
    // The memory figures come from the simulated Mac, not this machine: they follow what the simulated
    // Ollama has loaded and go through its memory-pressure episode.
    agent = await runAgent({ ...config, logs: [demo.logPath], ollama: demo.ollamaUrl, dataDir }, undefined, { memoryProbe: demoMemoryProbe(demo.state) });
  } catch (err) {
    await demo.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  console.log(
    [
      'ollama-lens demo is running (simulated Ollama; your real Ollama and data are not touched)',
      `  dashboard:  ${agent.url}`,
      `  log:        ${demo.logPath}  (written by the simulator)`,
      `  Ollama API: ${demo.ollamaUrl}  (simulated)`,
      `  machine:    ${demoMachineLabel()}`,
      `  data:       ${agent.dbPath}${explicit.has('dataDir') ? '' : '  (temporary, removed on exit)'}`,
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  return untilSignal(async () => {
    await demo.stop();
    await agent.stop();
    rmSync(workDir, { recursive: true, force: true });
  });
}
