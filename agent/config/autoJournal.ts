// On Linux, Ollama's systemd install logs to the journal of unit `ollama`, not to
// a file. When nothing was asked for explicitly and the default log file does not exist, follow that
// journal if the unit is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Config } from './schema.js';

export const OLLAMA_UNIT = 'ollama';

export interface AutoJournalDeps {
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
  /** Whether systemd knows the unit (`systemctl list-unit-files ollama.service`). */
  unitInstalled: (unit: string) => boolean;
}

export const systemDeps: AutoJournalDeps = {
  platform: process.platform,
  exists: existsSync,
  unitInstalled: (unit) => {
    const r = spawnSync('systemctl', ['list-unit-files', `${unit}.service`, '--no-legend', '--no-pager'], {
      encoding: 'utf8',
      timeout: 3000,
    });
    return r.status === 0 && r.stdout.includes(`${unit}.service`);
  },
};

/** The sources to follow: the config's, or the `ollama` journal in place of a default log that is not there. */
export function withAutoJournal(config: Config, explicit: ReadonlySet<keyof Config>, deps: AutoJournalDeps = systemDeps): Config {
  // Following a journal replaces the default log file; an explicit --log is followed as well.
  if (config.journal.length > 0) return explicit.has('logs') ? config : { ...config, logs: [] };
  if (deps.platform !== 'linux' || explicit.has('logs') || explicit.has('journal')) return config;
  if (config.logs.some((p) => deps.exists(p)) || !deps.unitInstalled(OLLAMA_UNIT)) return config;
  return { ...config, logs: [], journal: [OLLAMA_UNIT] };
}
