import { existsSync } from 'node:fs';
import { withAutoJournal } from '../config/autoJournal.js';
import { assertSafeExposure, dashboardLine } from '../http/exposure.js';
import { parseConfig } from '../config/parseConfig.js';
import { setLogLevel } from '../log.js';
import type { Config } from '../config/schema.js';
import { runAgent } from '../main.js';
import { mainHelp } from './help.js';
import { showBacklogProgress } from './backlogProgress.js';
import { untilSignal } from './lifecycle.js';
import { ollamaBannerLine, ollamaProblem } from './ollamaAnswers.js';

export async function runCommand(argv: string[]): Promise<number> {
  const { config, help, explicit } = parseConfig(argv, process.env);
  if (help) {
    console.log(mainHelp());
    return 0;
  }
  assertSafeExposure(config);
  setLogLevel(config.logLevel);
  return serve(withAutoJournal(config, explicit));
}

/** Starts the agent, prints where everything is, and runs until a signal. */
export async function serve(config: Config, banner: string[] = []): Promise<number> {
  const [agent, problem] = await Promise.all([runAgent(config), ollamaProblem(config.ollama)]);
  const lines = [
    `ollama-lens is running`,
    ...banner,
    `  dashboard:  ${dashboardLine(agent.url, config.token, process.stdout.isTTY === true)}`,
    ...config.logs.map((p) => `  log:        ${p}${existsSync(p) ? '' : '  (not there yet — waiting for it to appear)'}`),
    ...config.journal.map((u) => `  journal:    unit ${u} (journalctl -u ${u})`),
    ollamaBannerLine(config.ollama, problem),
    `  data:       ${agent.dbPath}`,
    `Press Ctrl+C to stop.`,
  ];
  console.log(lines.join('\n'));
  const stopProgress = showBacklogProgress(() => agent.sources());
  return untilSignal(() => {
    stopProgress();
    return agent.stop();
  });
}
