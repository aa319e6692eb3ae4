// `ollama-lens service` on Linux as a user runs it: the built CLI in a child process, HOME in a temporary
// folder, and OLLAMA_LENS_SERVICE_RUNNER pointing at a fake `systemctl` front that records each command
// line (one argument per line between markers) and answers like systemd would.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemdQuote } from '../../agent/service/systemdUnit.js';
import { CLI, startAgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

const FAKE = `#!/bin/sh
# argv, one argument per line, then a blank line
for a in "$@"; do printf '%s\\n' "$a"; done >> "$FAKE_LOG"
printf '\\n' >> "$FAKE_LOG"
if [ -n "$FAKE_FAIL" ]; then echo "Failed to connect to bus: No medium found" >&2; exit 1; fi
case "$3" in
  show) printf 'LoadState=loaded\\nActiveState=%s\\nSubState=%s\\nMainPID=%s\\nNRestarts=0\\n' "\${FAKE_ACTIVE:-active}" "\${FAKE_SUB:-running}" "\${FAKE_PID:-4242}" ;;
esac
exit 0
`;

function setup() {
  const home = tmp();
  const runner = join(home, 'fake-systemctl');
  writeFileSync(runner, FAKE);
  chmodSync(runner, 0o755);
  const logFile = join(home, 'calls.log');
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, OLLAMA_LENS_SERVICE_RUNNER: runner, FAKE_LOG: logFile, ...extra };
    delete env.XDG_CONFIG_HOME;
    return spawnSync(process.execPath, [CLI, 'service', ...args], { encoding: 'utf8', env, cwd: home });
  };
  /** Each recorded command as its argv. */
  const calls = () =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n\n')
          .filter((c) => c !== '' && c !== '\n')
          .map((c) => c.replace(/^\n/, '').split('\n'))
      : [];
  const unit = join(home, '.config', 'systemd', 'user', 'ollama-lens.service');
  return { home, run, calls, unit };
}

describe('ollama-lens service (Linux, systemd user unit)', () => {
  it('install writes the unit with the flags, quoted for systemd, then reloads, enables and (re)starts it', () => {
    const s = setup();
    mkdirSync(join(s.home, 'my logs'));
    const r = s.run([
      'install',
      '--log',
      'my logs/server 100%.log',
      '--port',
      '7900',
      '--webhook',
      'https://hooks.example/x?token=a$b&c=1',
      '--log-level',
      'debug',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const unit = readFileSync(s.unit, 'utf8');
    expect(unit.split('\n').find((l) => l.startsWith('ExecStart='))).toBe(
      `ExecStart=${systemdQuote(process.execPath)} ${systemdQuote(CLI)} --log "${s.home}/my logs/server 100%%.log" --port 7900 ` +
        '--webhook "https://hooks.example/x?token=a$$b&c=1" --log-level debug',
    );
    expect(unit).toContain('\nRestart=on-failure\n');
    expect(unit).toContain('\nWantedBy=default.target\n');
    expect(s.calls()).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', 'ollama-lens.service'],
      ['systemctl', '--user', 'restart', 'ollama-lens.service'],
    ]);
    expect(r.stdout).toContain(`Wrote the systemd user unit ${s.unit}`);
    expect(r.stdout).toContain('Installed and started.');
    expect(r.stdout).toContain('journalctl --user -u ollama-lens -f');
  });

  it('a token goes to a 0600 file the unit names, never into ExecStart: the agent it starts needs it, and ps never shows it', async () => {
    const s = setup();
    const token = 'c0ffee0123456789abcdef42';
    const r = s.run(['install', '--port', '0', '--data-dir', 'data', '--log', 'server.log', '--token', token]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const tokenFile = join(s.home, '.config', 'ollama-lens', 'service-token');
    const unit = readFileSync(s.unit, 'utf8');
    expect(unit).not.toContain(token);
    expect(r.stdout).not.toContain(token);
    const execStart = unit.split('\n').find((l) => l.startsWith('ExecStart='))!;
    expect(execStart).toBe(
      `ExecStart=${systemdQuote(process.execPath)} ${systemdQuote(CLI)} --log ${s.home}/server.log --port 0 --token-file ${tokenFile} --data-dir ${s.home}/data`,
    );
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${token}\n`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    // Run the unit's command as systemd would (its words are plain here): the token is required, and
    // the process's command line, which any local user can read, does not hold it.
    const argv = execStart.slice('ExecStart='.length).split(' ').slice(2);
    const agent = await startAgentProcess(argv);
    try {
      const health = (authorization?: string) =>
        fetch(`${agent.url.replace(/\/\?token=.*$/, '')}/api/health`, { headers: authorization ? { authorization } : {} }).then(
          (res) => res.status,
        );
      expect(await health()).toBe(401);
      expect(await health(`Bearer ${token}`)).toBe(200);
      expect(readFileSync(`/proc/${agent.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    } finally {
      await agent.stop();
    }
  });

  it("only flags are carried into the unit, never this shell's OLLAMA_LENS_* variables", () => {
    const s = setup();
    expect(s.run(['install'], { OLLAMA_LENS_PORT: '9999', OLLAMA_LENS_LOG_LEVEL: 'debug' }).status).toBe(0);
    expect(readFileSync(s.unit, 'utf8')).toContain(`\nExecStart=${systemdQuote(process.execPath)} ${systemdQuote(CLI)}\n`);
  });

  it('without a user systemd: the unit is still written, the message says what failed and what to run, exit 1', () => {
    const s = setup();
    const r = s.run(['install', '--port', '7900'], { FAKE_FAIL: '1' });
    expect(r.status).toBe(1);
    expect(existsSync(s.unit)).toBe(true);
    expect(r.stderr.trim().split('\n')).toEqual([
      'ollama-lens: the service file is written, but `systemctl --user daemon-reload` failed: exit code 1 (Failed to connect to bus: No medium found)',
      'The service is not running. Once the service manager is available, run by hand:',
      '  systemctl --user daemon-reload && systemctl --user enable ollama-lens.service && systemctl --user restart ollama-lens.service',
    ]);
  });

  it('status: 0 running, 3 installed but stopped (or unknown), 4 not installed', () => {
    const s = setup();
    const none = s.run(['status']);
    expect(none.status).toBe(4);
    expect(none.stdout).toContain('  installed: no');
    expect(s.calls()).toEqual([]);

    expect(s.run(['install']).status).toBe(0);
    const running = s.run(['status']);
    expect(running.status).toBe(0);
    expect(running.stdout.trim().split('\n')).toEqual([
      'ollama-lens service (systemd user unit)',
      '  installed: yes',
      `  file:      ${s.unit}`,
      '  running:   yes (active/running, pid 4242)',
      '  output:    journalctl --user -u ollama-lens -f',
    ]);
    expect(s.calls().at(-1)).toEqual([
      'systemctl',
      '--user',
      'show',
      'ollama-lens.service',
      '--property=LoadState,ActiveState,SubState,MainPID,NRestarts',
    ]);

    const stopped = s.run(['status'], { FAKE_ACTIVE: 'failed', FAKE_SUB: 'failed', FAKE_PID: '0' });
    expect(stopped.status).toBe(3);
    expect(stopped.stdout).toContain('  running:   no (failed/failed)');

    const unknown = s.run(['status'], { FAKE_FAIL: '1' });
    expect(unknown.status).toBe(3);
    expect(unknown.stdout).toContain('running:   no (unknown: `systemctl --user show');
    expect(unknown.stdout).toContain('failed: exit code 1 (Failed to connect to bus: No medium found))');
  });

  it('uninstall stops, disables and removes the unit, then reloads; again is a no-op', () => {
    const s = setup();
    expect(s.run(['install']).status).toBe(0);
    const r = s.run(['uninstall']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(s.unit)).toBe(false);
    expect(s.calls().slice(3)).toEqual([
      ['systemctl', '--user', 'disable', '--now', 'ollama-lens.service'],
      ['systemctl', '--user', 'daemon-reload'],
    ]);
    const again = s.run(['uninstall']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^Not installed/);
  });

  it('a bad flag is a usage error and writes nothing', () => {
    const s = setup();
    const r = s.run(['install', '--port', 'seventy']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ollama-lens: --port must be a port number/);
    expect(existsSync(s.unit)).toBe(false);
    expect(s.calls()).toEqual([]);
  });

  it('is listed in --help and has its own help', () => {
    const s = setup();
    expect(spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout).toContain(
      'ollama-lens service install|uninstall|status',
    );
    const help = s.run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('  4  status: not installed');
  });
});
