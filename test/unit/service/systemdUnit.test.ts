import { describe, expect, it } from 'vitest';
import { systemdExecStart, systemdQuote, systemdUnit } from '../../../agent/service/systemdUnit.js';

describe('systemdQuote', () => {
  it.each([
    ['plain words stay bare', '--port', '--port'],
    ['absolute paths stay bare', '/usr/local/bin/node', '/usr/local/bin/node'],
    ['a URL without metacharacters stays bare', 'https://ntfy.sh/my-topic', 'https://ntfy.sh/my-topic'],
    ['spaces are quoted', '/Users/Jane Doe/server.log', '"/Users/Jane Doe/server.log"'],
    ['% is doubled (specifiers), bare', '100%', '100%%'],
    ['% is doubled inside quotes too', 'a b%h', '"a b%%h"'],
    ['$ is doubled (variable substitution)', 'x$HOME', 'x$$HOME'],
    ['${VAR} inside quotes is doubled too', 'a ${HOME}', '"a $${HOME}"'],
    ['double quotes are escaped', 'say "hi"', '"say \\"hi\\""'],
    ['single quotes force quoting', "it's", '"it\'s"'],
    ['backslashes are escaped', 'C:\\x', '"C:\\\\x"'],
    ['a newline becomes \\n', 'a\nb', '"a\\nb"'],
    ['a tab becomes \\t', 'a\tb', '"a\\tb"'],
    ['other control characters become \\xNN', 'a\u0001b', '"a\\x01b"'],
    ['a lone semicolon is not a command separator', ';', '";"'],
    ['& and ? are quoted', 'https://h/x?a=1&b=2', '"https://h/x?a=1&b=2"'],
    ['the empty string is kept as an argument', '', '""'],
    ['non-ASCII is quoted, not mangled', '/home/zoë/log', '"/home/zoë/log"'],
  ])('%s', (_name, input, expected) => {
    expect(systemdQuote(input)).toBe(expected);
  });

  it('refuses a relative program', () => {
    expect(() => systemdExecStart(['node', 'cli.js'])).toThrow('absolute path');
  });
});

describe('systemdUnit', () => {
  it('is exactly this for an example with spaces, % and a webhook with a query', () => {
    const unit = systemdUnit({
      command: [
        '/usr/bin/node',
        '/opt/ollama lens/dist/agent/cli.js',
        '--log',
        '/var/log/ollama 100%.log',
        '--port',
        '7900',
        '--webhook',
        'https://hooks.example/x?token=a$b&c=1',
      ],
    });
    expect(unit).toBe(`# Written by \`ollama-lens service install\`; \`ollama-lens service uninstall\` removes it.
[Unit]
Description=ollama-lens: which backend served each Ollama request

[Service]
Type=simple
ExecStart=/usr/bin/node "/opt/ollama lens/dist/agent/cli.js" --log "/var/log/ollama 100%%.log" --port 7900 --webhook "https://hooks.example/x?token=a$$b&c=1"
Restart=on-failure
RestartSec=5
TimeoutStopSec=20

[Install]
WantedBy=default.target
`);
  });
});
