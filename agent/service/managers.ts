// What `ollama-lens service` does on each system: where the service file goes, what it contains, and
// which service-manager commands install, remove and inspect it. Pure apart from the text it renders:
// the command (agent/commands/service.ts) does the file and process I/O.
import { isAbsolute, join } from 'node:path';
import { LAUNCHD_LABEL, launchdPlist } from './launchdPlist.js';
import { SYSTEMD_UNIT_NAME, systemdUnit } from './systemdUnit.js';

export interface ManagerCommand {
  file: string;
  args: string[];
  /** Failing is fine (e.g. unloading a job that is not loaded before loading it again). */
  mayFail?: boolean;
  /** Exit codes that mean "nothing to do" rather than a failure. */
  okCodes?: number[];
}

export interface ServiceStatus {
  running: boolean;
  detail: string;
}

export interface ServiceManager {
  /** e.g. "systemd user unit". */
  kind: string;
  file: string;
  /** Where install keeps the token (mode 0600); the service gets its path, never the token, on its command line. */
  tokenFile: string;
  /** Folders to create besides the file's own (launchd's log folder). */
  dirs: string[];
  render(command: readonly string[]): string;
  install: ManagerCommand[];
  /** Run before the file is removed (stop, unload)… */
  stop: ManagerCommand[];
  /** …and after (forget it). */
  forget: ManagerCommand[];
  status: ManagerCommand;
  /** Reads the status command's stdout; `null` stdout when it exited non-zero with `code`. */
  parseStatus(stdout: string | null, code: number | string | null): ServiceStatus;
  /** How to read the agent's output. */
  logs: string;
  /** Printed after a successful install. */
  notes: string[];
}

export function systemdManager(home: string, env: NodeJS.ProcessEnv): ServiceManager {
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  const ctl = (...args: string[]): ManagerCommand => ({ file: 'systemctl', args: ['--user', ...args] });
  return {
    kind: 'systemd user unit',
    file: join(configHome, 'systemd', 'user', SYSTEMD_UNIT_NAME),
    tokenFile: join(configHome, 'ollama-lens', 'service-token'),
    dirs: [],
    render: (command) => systemdUnit({ command }),
    // `restart` rather than `enable --now`: on a reinstall the running agent must pick up the new flags.
    install: [ctl('daemon-reload'), ctl('enable', SYSTEMD_UNIT_NAME), ctl('restart', SYSTEMD_UNIT_NAME)],
    stop: [ctl('disable', '--now', SYSTEMD_UNIT_NAME)],
    forget: [ctl('daemon-reload')],
    status: ctl('show', SYSTEMD_UNIT_NAME, '--property=LoadState,ActiveState,SubState,MainPID,NRestarts'),
    parseStatus: (stdout) => {
      if (stdout === null) return { running: false, detail: 'unknown' };
      const props = new Map(
        stdout
          .split(/\r?\n/)
          .map((l) => /^(\w+)=(.*)$/.exec(l.trim()))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1]!, m[2]!]),
      );
      const active = props.get('ActiveState') ?? 'unknown';
      const sub = props.get('SubState');
      const pid = props.get('MainPID');
      const restarts = props.get('NRestarts');
      const parts = [`${active}${sub ? `/${sub}` : ''}`];
      if (pid && pid !== '0') parts.push(`pid ${pid}`);
      if (restarts && restarts !== '0') parts.push(`${restarts} restarts`);
      if (props.get('LoadState') && props.get('LoadState') !== 'loaded') parts.push(`unit ${props.get('LoadState')}`);
      return { running: active === 'active' || active === 'reloading', detail: parts.join(', ') };
    },
    logs: 'journalctl --user -u ollama-lens -f',
    notes: ['It starts again when you log in. To keep it running while you are logged out: loginctl enable-linger $USER'],
  };
}

export function launchdManager(home: string, uid: number): ServiceManager {
  const logDir = join(home, 'Library', 'Logs', 'ollama-lens');
  const logFile = join(logDir, 'ollama-lens.log');
  const file = join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
  const domain = `gui/${uid}`;
  const target = `${domain}/${LAUNCHD_LABEL}`;
  // launchctl exits 3 ("No such process") or 113 ("Could not find service") for a job that is not loaded.
  const notLoaded = [3, 113];
  return {
    kind: 'launchd agent',
    file,
    tokenFile: join(home, 'Library', 'Application Support', 'ollama-lens', 'service-token'),
    dirs: [logDir],
    render: (command) => launchdPlist({ command, stdoutPath: logFile, stderrPath: logFile }),
    install: [
      { file: 'launchctl', args: ['bootout', target], mayFail: true },
      { file: 'launchctl', args: ['enable', target], mayFail: true },
      { file: 'launchctl', args: ['bootstrap', domain, file] },
    ],
    stop: [{ file: 'launchctl', args: ['bootout', target], okCodes: notLoaded }],
    forget: [],
    status: { file: 'launchctl', args: ['print', target] },
    parseStatus: (stdout, code) => {
      if (stdout === null) {
        return { running: false, detail: typeof code === 'number' && notLoaded.includes(code) ? 'not loaded' : 'unknown' };
      }
      const state = /^\s*state = (.+)$/m.exec(stdout)?.[1]?.trim() ?? 'unknown';
      const pid = /^\s*pid = (\d+)$/m.exec(stdout)?.[1];
      const lastExit = /^\s*last exit code = (.+)$/m.exec(stdout)?.[1]?.trim();
      const parts = [state];
      if (pid) parts.push(`pid ${pid}`);
      if (lastExit && state !== 'running') parts.push(`last exit code ${lastExit}`);
      return { running: state === 'running', detail: parts.join(', ') };
    },
    logs: `tail -f ${shellQuote(logFile)}`,
    notes: ['It starts again when you log in, and launchd restarts it if it stops.'],
  };
}

/** A word as a POSIX shell reads it back (for the commands printed to run by hand). */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function commandText(c: ManagerCommand): string {
  return [c.file, ...c.args].map(shellQuote).join(' ');
}
