import { describe, expect, it } from 'vitest';
import { launchdPlist, xmlEscape } from '../../../agent/service/launchdPlist.js';

describe('xmlEscape', () => {
  it.each([
    ['plain text', '/usr/local/bin/node', '/usr/local/bin/node'],
    ['&', 'a&b', 'a&amp;b'],
    ['< and >', '<x>', '&lt;x&gt;'],
    ['an entity-looking text is escaped once', '&amp;', '&amp;amp;'],
    ['quotes need nothing in element content', `"it's"`, `"it's"`],
    ['spaces and % stay', '/Users/Jane Doe/100%.log', '/Users/Jane Doe/100%.log'],
    ['a carriage return is kept as a character reference', 'a\rb', 'a&#13;b'],
    ['a newline and a tab are kept', 'a\n\tb', 'a\n\tb'],
  ])('%s', (_name, input, expected) => {
    expect(xmlEscape(input)).toBe(expected);
  });

  it('refuses control characters XML 1.0 cannot carry', () => {
    expect(() => xmlEscape('a\u0001b')).toThrow('control character');
  });
});

describe('launchdPlist', () => {
  it('is exactly this for an example with spaces and a webhook with & in its query', () => {
    const plist = launchdPlist({
      command: [
        '/opt/homebrew/bin/node',
        '/Users/Jane Doe/lens/dist/agent/cli.js',
        '--log',
        '/Users/Jane Doe/.ollama/logs/server.log',
        '--port',
        '7900',
        '--webhook',
        'https://hooks.example/x?a=1&b=<2>',
      ],
      stdoutPath: '/Users/Jane Doe/Library/Logs/ollama-lens/ollama-lens.log',
      stderrPath: '/Users/Jane Doe/Library/Logs/ollama-lens/ollama-lens.log',
    });
    expect(plist).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by \`ollama-lens service install\`; \`ollama-lens service uninstall\` removes it. -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>dev.ollama-lens.agent</string>
  <key>ProgramArguments</key>
  <array>
    <string>/opt/homebrew/bin/node</string>
    <string>/Users/Jane Doe/lens/dist/agent/cli.js</string>
    <string>--log</string>
    <string>/Users/Jane Doe/.ollama/logs/server.log</string>
    <string>--port</string>
    <string>7900</string>
    <string>--webhook</string>
    <string>https://hooks.example/x?a=1&amp;b=&lt;2&gt;</string>
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <true/>
  <key>StandardOutPath</key>
  <string>/Users/Jane Doe/Library/Logs/ollama-lens/ollama-lens.log</string>
  <key>StandardErrorPath</key>
  <string>/Users/Jane Doe/Library/Logs/ollama-lens/ollama-lens.log</string>
</dict>
</plist>
`);
  });

  it('refuses a relative program', () => {
    expect(() => launchdPlist({ command: ['node'], stdoutPath: '/x', stderrPath: '/x' })).toThrow('absolute path');
  });
});
