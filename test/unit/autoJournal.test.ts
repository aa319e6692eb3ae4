import { describe, expect, it } from 'vitest';
import { withAutoJournal, type AutoJournalDeps } from '../../agent/config/autoJournal.js';
import { parseConfig } from '../../agent/config/parseConfig.js';
import type { Config } from '../../agent/config/schema.js';

const env = { HOME: '/home/u' };
const parse = (argv: string[]) => parseConfig(argv, env, { cwd: '/w', platform: 'linux' });
const deps = (over: Partial<AutoJournalDeps> = {}): AutoJournalDeps => ({
  platform: 'linux',
  exists: () => false,
  unitInstalled: () => true,
  ...over,
});
const sources = (c: Config) => ({ logs: c.logs, journal: c.journal });

describe('withAutoJournal', () => {
  it('follows the ollama journal on Linux when the default log is missing and the unit is installed', () => {
    const { config, explicit } = parse([]);
    expect(sources(withAutoJournal(config, explicit, deps()))).toEqual({ logs: [], journal: ['ollama'] });
  });

  it.each<[string, string[], Partial<AutoJournalDeps>, { logs: string[]; journal: string[] }]>([
    ['the default log exists', [], { exists: () => true }, { logs: ['/home/u/.ollama/logs/server.log'], journal: [] }],
    ['no ollama unit', [], { unitInstalled: () => false }, { logs: ['/home/u/.ollama/logs/server.log'], journal: [] }],
    ['not Linux', [], { platform: 'darwin' }, { logs: ['/home/u/.ollama/logs/server.log'], journal: [] }],
    ['an explicit --log', ['--log', '/var/log/o.log'], {}, { logs: ['/var/log/o.log'], journal: [] }],
    ['--journal alone replaces the default log', ['--journal', 'ollama-gpu'], {}, { logs: [], journal: ['ollama-gpu'] }],
    [
      '--journal and --log: both',
      ['--journal', 'ollama', '--log', '/var/log/o.log'],
      {},
      { logs: ['/var/log/o.log'], journal: ['ollama'] },
    ],
  ])('leaves the choice alone when %s', (_n, argv, over, want) => {
    const { config, explicit } = parse(argv);
    expect(sources(withAutoJournal(config, explicit, deps(over)))).toEqual(want);
  });
});
