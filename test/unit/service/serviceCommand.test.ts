// `ollama-lens service` with every door to the system injected: a temporary HOME, a recording runner.
// The Linux path also runs end to end through the built CLI (test/integration/service.test.ts); macOS
// and Windows can only be exercised here.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../agent/config/parseConfig.js';
import { serviceCommand } from '../../../agent/commands/service.js';
import { defaultServiceDeps, type ServiceDeps } from '../../../agent/service/serviceDeps.js';
import { CommandError, type CommandRunner } from '../../../agent/probes/commandRunner.js';
import { agentFlags } from '../../../agent/service/agentFlags.js';
import { parseConfig } from '../../../agent/config/parseConfig.js';
import { useTmpDir } from '../../helpers/tmp.js';

const tmp = useTmpDir();

type Reply = string | CommandError;

function harness(platform: NodeJS.Platform, replies: (cmd: string) => Reply = () => '') {
  const home = tmp();
  const cliPath = join(home, 'pkg', 'dist', 'agent', 'cli.js');
  const calls: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const run: CommandRunner = async (file, args) => {
    const cmd = [file, ...args].join(' ');
    calls.push(cmd);
    const r = replies(cmd);
    if (r instanceof CommandError) throw r;
    return r;
  };
  const deps: ServiceDeps = {
    ...defaultServiceDeps(),
    platform,
    env: { HOME: home },
    cwd: '/work',
    uid: 501,
    execPath: '/opt/homebrew/bin/node',
    cliPath,
    run,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  deps.fs.mkdirp(join(home, 'pkg', 'dist', 'agent'));
  writeFileSync(cliPath, '// built cli\n');
  return { home, cliPath, calls, out, err, deps };
}

const notLoaded = () =>
  new CommandError('launchctl exited with 113', 113, '', 'Could not find service "dev.ollama-lens.agent" in domain for port');

describe('service on macOS (launchd)', () => {
  it('install writes the plist with the given flags, creates the log folder and bootstraps it', async () => {
    const h = harness('darwin', (cmd) => (cmd.includes('bootout') ? notLoaded() : ''));
    const code = await serviceCommand(
      ['install', '--log', 'logs/server.log', '--port', '7900', '--webhook', 'https://h.example/x?a=1&b=2'],
      h.deps,
    );
    expect(code).toBe(0);
    const plist = join(h.home, 'Library', 'LaunchAgents', 'dev.ollama-lens.agent.plist');
    const text = readFileSync(plist, 'utf8');
    expect(text).toContain(
      [
        '  <array>',
        '    <string>/opt/homebrew/bin/node</string>',
        `    <string>${h.cliPath}</string>`,
        '    <string>--log</string>',
        '    <string>/work/logs/server.log</string>',
        '    <string>--port</string>',
        '    <string>7900</string>',
        '    <string>--webhook</string>',
        '    <string>https://h.example/x?a=1&amp;b=2</string>',
        '  </array>',
      ].join('\n'),
    );
    expect(text).toContain(`<key>StandardOutPath</key>\n  <string>${h.home}/Library/Logs/ollama-lens/ollama-lens.log</string>`);
    expect(existsSync(join(h.home, 'Library', 'Logs', 'ollama-lens'))).toBe(true);
    expect(statSync(plist).mode & 0o777).toBe(0o644);
    expect(h.calls).toEqual([
      'launchctl bootout gui/501/dev.ollama-lens.agent',
      'launchctl enable gui/501/dev.ollama-lens.agent',
      `launchctl bootstrap gui/501 ${plist}`,
    ]);
    expect(h.err).toEqual([]);
  });

  it('install with a token keeps it out of the plist and the command line: a 0600 file, passed by path', async () => {
    const h = harness('darwin');
    const token = '0123456789abcdef0123';
    expect(await serviceCommand(['install', '--port', '7900', '--token', token], h.deps)).toBe(0);
    const plist = join(h.home, 'Library', 'LaunchAgents', 'dev.ollama-lens.agent.plist');
    const tokenFile = join(h.home, 'Library', 'Application Support', 'ollama-lens', 'service-token');
    const text = readFileSync(plist, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(
      [
        '  <array>',
        '    <string>/opt/homebrew/bin/node</string>',
        `    <string>${h.cliPath}</string>`,
        '    <string>--port</string>',
        '    <string>7900</string>',
        '    <string>--token-file</string>',
        `    <string>${tokenFile}</string>`,
        '  </array>',
      ].join('\n'),
    );
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${token}\n`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(h.out.join('\n')).not.toContain(token);

    // Reinstalled without a token: the old one is not left behind; uninstall removes it too.
    expect(await serviceCommand(['install', '--token', token], h.deps)).toBe(0);
    expect(await serviceCommand(['install'], h.deps)).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
    expect(await serviceCommand(['install', '--token', token], h.deps)).toBe(0);
    expect(await serviceCommand(['uninstall'], h.deps)).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
  });

  it('install with --token-file passes that path on, after checking the file holds a token', async () => {
    const h = harness('darwin');
    const mine = join(h.home, 'my-token');
    writeFileSync(mine, '0123456789abcdef0123\n', { mode: 0o600 });
    expect(await serviceCommand(['install', '--token-file', mine, '--host', '0.0.0.0'], h.deps)).toBe(0);
    const text = readFileSync(join(h.home, 'Library', 'LaunchAgents', 'dev.ollama-lens.agent.plist'), 'utf8');
    expect(text).toContain(`    <string>--token-file</string>\n    <string>${mine}</string>`);
    expect(text).not.toContain('0123456789abcdef0123');
    await expect(serviceCommand(['install', '--token-file', join(h.home, 'nope')], h.deps)).rejects.toThrow('cannot read the token file');
  });

  it('install says which launchctl command failed and what to run by hand, exit 1, file kept', async () => {
    const h = harness('darwin', (cmd) =>
      cmd.includes('bootstrap') ? new CommandError('x', 5, '', 'Bootstrap failed: 5: Input/output error') : '',
    );
    expect(await serviceCommand(['install'], h.deps)).toBe(1);
    const plist = join(h.home, 'Library', 'LaunchAgents', 'dev.ollama-lens.agent.plist');
    expect(existsSync(plist)).toBe(true);
    expect(h.err).toEqual([
      `ollama-lens: the service file is written, but \`launchctl bootstrap gui/501 ${plist}\` failed: exit code 5 (Bootstrap failed: 5: Input/output error)`,
      'The service is not running. Once the service manager is available, run by hand:',
      `  launchctl bootstrap gui/501 ${plist}`,
    ]);
  });

  it('status reads launchctl print: running → 0, not loaded → 3, no plist → 4', async () => {
    const h = harness('darwin', (cmd) =>
      cmd.startsWith('launchctl print')
        ? 'gui/501/dev.ollama-lens.agent = {\n\tactive count = 1\n\tstate = running\n\tpid = 4242\n}\n'
        : '',
    );
    expect(await serviceCommand(['status'], h.deps)).toBe(4);
    expect(h.out).toContain('  installed: no');
    expect(await serviceCommand(['install'], h.deps)).toBe(0);
    h.out.length = 0;
    expect(await serviceCommand(['status'], h.deps)).toBe(0);
    expect(h.out).toEqual([
      'ollama-lens service (launchd agent)',
      '  installed: yes',
      `  file:      ${h.home}/Library/LaunchAgents/dev.ollama-lens.agent.plist`,
      '  running:   yes (running, pid 4242)',
      `  output:    tail -f ${h.home}/Library/Logs/ollama-lens/ollama-lens.log`,
    ]);

    const stopped = harness('darwin', (cmd) => (cmd.startsWith('launchctl print') ? notLoaded() : ''));
    expect(await serviceCommand(['install'], stopped.deps)).toBe(0);
    expect(await serviceCommand(['status'], stopped.deps)).toBe(3);
    expect(stopped.out).toContain('  running:   no (not loaded)');
  });

  it('uninstall boots it out (not loaded is fine) and removes the plist', async () => {
    const h = harness('darwin', (cmd) => (cmd.includes('bootout') ? notLoaded() : ''));
    await serviceCommand(['install'], h.deps);
    h.calls.length = 0;
    expect(await serviceCommand(['uninstall'], h.deps)).toBe(0);
    expect(h.calls).toEqual(['launchctl bootout gui/501/dev.ollama-lens.agent']);
    expect(existsSync(join(h.home, 'Library', 'LaunchAgents', 'dev.ollama-lens.agent.plist'))).toBe(false);
    expect(await serviceCommand(['uninstall'], h.deps)).toBe(0);
    expect(h.out.at(-1)).toMatch(/^Not installed/);
  });
});

describe('service elsewhere', () => {
  it('Windows: a clear message pointing to Task Scheduler, exit 1, nothing run', async () => {
    const h = harness('win32');
    expect(await serviceCommand(['install', '--port', '7900', '--token', '0123456789abcdef0123'], h.deps)).toBe(1);
    expect(h.err.join('\n')).toMatch(/^ollama-lens: service is not supported on Windows yet; run `ollama-lens` from Task Scheduler/);
    expect(h.err.join('\n')).toContain('--port 7900 --token-file FILE-HOLDING-THE-TOKEN');
    expect(h.err.join('\n')).not.toContain('0123456789abcdef0123');
    expect(h.calls).toEqual([]);
  });

  it('usage errors come before the platform: unknown action, flags on status, bad flags', async () => {
    const h = harness('linux');
    await expect(serviceCommand([], h.deps)).rejects.toThrow(UsageError);
    await expect(serviceCommand(['start'], h.deps)).rejects.toThrow('unknown service action "start"');
    await expect(serviceCommand(['status', '--port', '1'], h.deps)).rejects.toThrow('service status takes no options');
    await expect(serviceCommand(['install', '--port', 'x'], h.deps)).rejects.toThrow('--port must be a port number');
    await expect(serviceCommand(['install', '--host', '0.0.0.0'], h.deps)).rejects.toThrow('without a token');
    expect(h.calls).toEqual([]);
  });
});

describe('agentFlags', () => {
  const flagsOf = (argv: string[]) => {
    const { config, explicit } = parseConfig(argv, {}, { cwd: '/w', platform: 'linux' });
    return agentFlags(config, explicit);
  };

  it('gives back exactly the flags given, normalised, in schema order', () => {
    expect(
      flagsOf([
        '--port=7900',
        '--log',
        'a.log',
        '--log',
        '/b.log',
        '--notify-macos',
        '--mute',
        'oom',
        '--log-level',
        'DEBUG',
        '--ollama',
        'http://h:1/',
      ]),
    ).toEqual([
      '--log',
      '/w/a.log',
      '--log',
      '/b.log',
      '--port',
      '7900',
      '--ollama',
      'http://h:1',
      '--notify-macos',
      '--mute',
      'oom',
      '--log-level',
      'debug',
    ]);
    expect(flagsOf([])).toEqual([]);
    expect(flagsOf(['--notify-macos=false'])).toEqual(['--notify-macos=false']);
  });

  it('writes a value that starts with a dash as --flag=value', () => {
    expect(flagsOf(['--token=-0123456789abcdef'])).toEqual(['--token=-0123456789abcdef']);
  });
});
