// The systemd user unit that runs the agent (`ollama-lens service install` on Linux). Pure: the same
// input always gives the same text, so tests compare it exactly.

export const SYSTEMD_UNIT_NAME = 'ollama-lens.service';

export interface SystemdUnitOptions {
  /** argv of the agent: the absolute node binary, the absolute cli.js, then the agent's flags. */
  command: readonly string[];
  description?: string;
}

// Words made only of these need no quotes. Everything else (spaces, quotes, backslashes, `;`, control
// characters, non-ASCII…) is double-quoted so systemd's word splitting and C unescaping give it back.
const PLAIN = /^[A-Za-z0-9_@%$+=:,./-]+$/;

/**
 * One argument as systemd's ExecStart= reads it back unchanged (systemd.service(5), "Command lines";
 * systemd.unit(5), "Specifiers"). `%` is doubled because specifiers are expanded inside quotes too, and
 * `$` is doubled because `$VAR`/`${VAR}` are substituted; inside double quotes `\` and `"` are escaped and
 * control characters become C escapes (a raw newline would end the line).
 */
export function systemdQuote(arg: string): string {
  const literal = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (arg !== '' && PLAIN.test(arg)) return literal;
  const escaped = literal.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
  return `"${escaped}"`;
}

/** The command line of ExecStart=: each argument quoted on its own. */
export function systemdExecStart(command: readonly string[]): string {
  if (command.length === 0 || !command[0]!.startsWith('/')) throw new Error('ExecStart needs an absolute path to the program');
  return command.map(systemdQuote).join(' ');
}

export function systemdUnit(opts: SystemdUnitOptions): string {
  const description = (opts.description ?? 'ollama-lens: which backend served each Ollama request')
    .replace(/[\r\n]+/g, ' ')
    .replace(/%/g, '%%');
  return [
    '# Written by `ollama-lens service install`; `ollama-lens service uninstall` removes it.',
    '[Unit]',
    `Description=${description}`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${systemdExecStart(opts.command)}`,
    'Restart=on-failure',
    'RestartSec=5',
    // The agent commits its batch on SIGTERM; give it time before systemd resorts to SIGKILL.
    'TimeoutStopSec=20',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}
