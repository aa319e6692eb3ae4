import { OPTIONS } from './schema.js';

export function optionsHelp(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const rows = OPTIONS.map((o) => {
    const left = `  ${o.flag} ${o.valueName}`;
    return `${left.padEnd(22)} ${o.help}\n${' '.repeat(23)}default: ${o.defaultLabel(env, platform)}; env: ${o.env}`;
  });
  return ['Options:', ...rows, `${'  -h, --help'.padEnd(22)} show this help`].join('\n');
}
