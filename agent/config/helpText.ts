import { OPTIONS, type OptionScope } from './schema.js';

export function optionsHelp(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  scopes: OptionScope[] = ['agent', 'analysis'],
): string {
  const rows = OPTIONS.filter((o) => scopes.includes(o.scope)).map((o) => {
    const left = o.valueName ? `  ${o.flag} ${o.valueName}` : `  ${o.flag}`;
    return `${left.padEnd(22)} ${o.help}\n${' '.repeat(23)}default: ${o.defaultLabel(env, platform)}; env: ${o.env}`;
  });
  return ['Options:', ...rows, `${'  -h, --help'.padEnd(22)} show this help`].join('\n');
}
