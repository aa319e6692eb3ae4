// `ollama-lens service install|uninstall|status [agent flags…]`: runs the agent in the background as a
// launchd agent (macOS) or a systemd user unit (Linux), started at login and restarted when it stops.
// Files and processes go through the injectable deps, so tests run it against a temporary HOME and a
// fake service manager.
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { assertSafeExposure } from '../http/exposure.js';
import { optionsHelp } from '../config/helpText.js';
import { parseConfig, UsageError } from '../config/parseConfig.js';
import type { Config } from '../config/schema.js';
import { errorText } from '../log.js';
import { CommandError } from '../probes/commandRunner.js';
import { agentFlags } from '../service/agentFlags.js';
import { defaultServiceDeps, type ServiceDeps } from '../service/serviceDeps.js';
import { commandText, launchdManager, shellQuote, systemdManager, type ManagerCommand, type ServiceManager } from '../service/managers.js';

export const SERVICE_EXIT = { running: 0, failed: 1, usage: 2, stopped: 3, notInstalled: 4 } as const;

export function serviceHelp(): string {
  return `ollama-lens service — run ollama-lens in the background: started when you log in, restarted if it stops.

Usage:
  ollama-lens service install [options]   write the service with these agent options and start it
  ollama-lens service uninstall           stop the service and remove it
  ollama-lens service status              is it installed, where, and is it running

macOS: a launchd agent, ~/Library/LaunchAgents/dev.ollama-lens.agent.plist (launchctl bootstrap
gui/$UID), output in ~/Library/Logs/ollama-lens/ollama-lens.log.
Linux: a systemd user unit, ~/.config/systemd/user/ollama-lens.service (systemctl --user), output in
the journal (journalctl --user -u ollama-lens).
Windows: not supported yet; run ollama-lens from Task Scheduler.

The service runs this node binary and this copy of ollama-lens with exactly the options given to install
(relative paths made absolute). OLLAMA_LENS_* variables of this shell are NOT carried over: pass flags.
Run install again to change them. A --token is written to a file only you can read (next to the
service's settings) and the service is given its path (--token-file), so the token never shows in the
process list.

Exit codes:
  0  done; for status: installed and running
  1  failed (for install: the file was written but the service manager failed; the message says which
     command to run by hand)
  2  usage error
  3  status: installed but not running (or its state cannot be read)
  4  status: not installed

${optionsHelp(process.env, process.platform, ['agent', 'analysis'])}`;
}

export async function serviceCommand(argv: string[], deps: ServiceDeps = defaultServiceDeps()): Promise<number> {
  const [action, ...flags] = argv;
  if (action === undefined) throw new UsageError('service needs an action: install, uninstall or status (see ollama-lens service --help)');
  if (action === '--help' || action === '-h' || action === 'help') {
    deps.out(serviceHelp());
    return 0;
  }
  if (!['install', 'uninstall', 'status'].includes(action)) {
    throw new UsageError(`unknown service action "${action}"; use install, uninstall or status (see ollama-lens service --help)`);
  }
  if (flags.includes('--help') || flags.includes('-h')) {
    deps.out(serviceHelp());
    return 0;
  }
  if (action !== 'install' && flags.length > 0) {
    throw new UsageError(`service ${action} takes no options (got "${flags[0]}"); the options go to service install`);
  }
  // Checked before the system: a mistyped flag is a usage error everywhere.
  const parsed = action === 'install' ? parseInstallFlags(flags, deps) : null;

  if (deps.platform === 'win32') {
    deps.err(
      'ollama-lens: service is not supported on Windows yet; run `ollama-lens` from Task Scheduler instead ' +
        `(a task "At log on" that starts "${deps.execPath}" with the arguments "${deps.cliPath}"${windowsArgs(parsed!)}).`,
    );
    return SERVICE_EXIT.failed;
  }
  if (deps.platform !== 'linux' && deps.platform !== 'darwin') {
    deps.err(
      `ollama-lens: service supports macOS (launchd) and Linux (systemd); this system is ${deps.platform}. Start ollama-lens with your init system.`,
    );
    return SERVICE_EXIT.failed;
  }
  const home = deps.env.HOME && deps.env.HOME !== '' ? deps.env.HOME : homedir();
  const manager = deps.platform === 'darwin' ? launchdManager(home, deps.uid) : systemdManager(home, deps.env);

  switch (action) {
    case 'install':
      return install(manager, parsed!, deps);
    case 'uninstall':
      return uninstall(manager, deps);
    default:
      return status(manager, deps);
  }
}

interface InstallSettings {
  config: Config;
  explicit: ReadonlySet<keyof Config>;
}

function parseInstallFlags(flags: string[], deps: ServiceDeps): InstallSettings {
  // Only the flags count: this shell's OLLAMA_LENS_* variables would not be there when the service runs.
  const { config, explicit } = parseConfig(flags, {}, { cwd: deps.cwd, platform: deps.platform });
  assertSafeExposure(config);
  return { config, explicit };
}

/**
 * The service's flags. A token given as --token would sit in the service's command line, which every
 * local user reads from `ps` or /proc: it goes into `tokenFile` instead, and the service gets the path.
 */
function serviceFlags({ config, explicit }: InstallSettings, tokenFile: string): string[] {
  if (!explicit.has('token')) return agentFlags(config, explicit);
  const given = new Set(explicit);
  given.delete('token');
  given.add('tokenFile');
  return agentFlags({ ...config, tokenFile }, given);
}

function windowsArgs(settings: InstallSettings): string {
  const flags = serviceFlags(settings, 'FILE-HOLDING-THE-TOKEN');
  return flags.length > 0 ? ` ${flags.join(' ')}` : '';
}

async function install(manager: ServiceManager, settings: InstallSettings, deps: ServiceDeps): Promise<number> {
  if (!deps.cliPath.endsWith('.js') || !deps.fs.exists(deps.cliPath)) {
    deps.err(`ollama-lens: cannot find the built agent at ${deps.cliPath}; run "npm run build" (or install the package) first`);
    return SERVICE_EXIT.failed;
  }
  const command = [deps.execPath, deps.cliPath, ...serviceFlags(settings, manager.tokenFile)];
  let text: string;
  try {
    text = manager.render(command);
  } catch (err) {
    throw new UsageError(errorText(err));
  }
  for (const dir of [dirname(manager.file), ...manager.dirs]) deps.fs.mkdirp(dir);
  const token = settings.explicit.has('token') ? settings.config.token : null;
  if (token !== null) {
    deps.fs.mkdirp(dirname(manager.tokenFile));
    deps.fs.write(manager.tokenFile, `${token}\n`, 0o600);
  } else if (settings.config.tokenFile !== manager.tokenFile) {
    // The token of an earlier install, no longer used.
    deps.fs.remove(manager.tokenFile);
  }
  deps.fs.write(manager.file, text, 0o644);
  deps.out(`Wrote the ${manager.kind} ${manager.file}`);
  if (token !== null) deps.out(`Wrote the token to ${manager.tokenFile} (only you can read it; the service gets its path, not the token)`);
  deps.out(`  command: ${command.map(shellQuote).join(' ')}`);
  if (/[\\/]_npx[\\/]/.test(deps.cliPath)) {
    deps.out("  note:    this copy of ollama-lens lives in npx's cache, which npm may clean; for a lasting service,");
    deps.out('           install it first (npm install -g ollama-lens) and run "ollama-lens service install" again');
  }

  const failed = await runSteps(manager.install, deps);
  if (failed) {
    deps.err(`ollama-lens: the service file is written, but \`${commandText(failed.step)}\` failed: ${failed.reason}`);
    deps.err('The service is not running. Once the service manager is available, run by hand:');
    deps.err(
      `  ${manager.install
        .slice(manager.install.indexOf(failed.step))
        .filter((s) => !s.mayFail)
        .map(commandText)
        .join(' && ')}`,
    );
    return SERVICE_EXIT.failed;
  }
  deps.out('Installed and started.');
  deps.out(`  status:  ollama-lens service status`);
  deps.out(`  output:  ${manager.logs}`);
  for (const note of manager.notes) deps.out(note);
  return 0;
}

async function uninstall(manager: ServiceManager, deps: ServiceDeps): Promise<number> {
  if (!deps.fs.exists(manager.file)) {
    deps.out(`Not installed (no ${manager.file}); nothing to do.`);
    return 0;
  }
  const stopFailed = await runSteps(manager.stop, deps);
  deps.fs.remove(manager.file);
  deps.fs.remove(manager.tokenFile);
  const forgetFailed = await runSteps(manager.forget, deps);
  deps.out(`Removed ${manager.file}`);
  const failed = stopFailed ?? forgetFailed;
  if (failed) {
    deps.err(`ollama-lens: \`${commandText(failed.step)}\` failed: ${failed.reason}`);
    deps.err('If the service is still running, stop it by hand:');
    deps.err(`  ${[...manager.stop, ...manager.forget].map(commandText).join(' && ')}`);
    return SERVICE_EXIT.failed;
  }
  deps.out('Stopped and uninstalled.');
  return 0;
}

async function status(manager: ServiceManager, deps: ServiceDeps): Promise<number> {
  const installed = deps.fs.exists(manager.file);
  deps.out(`ollama-lens service (${manager.kind})`);
  deps.out(`  installed: ${installed ? 'yes' : 'no'}`);
  deps.out(`  file:      ${manager.file}`);
  if (!installed) {
    deps.out('  install it with: ollama-lens service install [options]');
    return SERVICE_EXIT.notInstalled;
  }
  let state;
  try {
    state = manager.parseStatus(await deps.run(manager.status.file, manager.status.args, { timeoutMs: 10_000 }), null);
  } catch (err) {
    state = manager.parseStatus(null, err instanceof CommandError ? err.code : null);
    if (state.detail === 'unknown') state.detail = `unknown: \`${commandText(manager.status)}\` failed: ${failureReason(err)}`;
  }
  deps.out(`  running:   ${state.running ? 'yes' : 'no'} (${state.detail})`);
  deps.out(`  output:    ${manager.logs}`);
  return state.running ? SERVICE_EXIT.running : SERVICE_EXIT.stopped;
}

interface StepFailure {
  step: ManagerCommand;
  reason: string;
}

/** Runs the steps in order; stops at the first that fails (unless it may) and says why. */
async function runSteps(steps: readonly ManagerCommand[], deps: ServiceDeps): Promise<StepFailure | null> {
  for (const step of steps) {
    try {
      await deps.run(step.file, step.args, { timeoutMs: 30_000 });
    } catch (err) {
      if (step.mayFail) continue;
      if (err instanceof CommandError && typeof err.code === 'number' && step.okCodes?.includes(err.code)) continue;
      return { step, reason: failureReason(err) };
    }
  }
  return null;
}

function failureReason(err: unknown): string {
  if (!(err instanceof CommandError)) return errorText(err);
  if (err.code === 'ENOENT') return 'the command was not found';
  if (err.code === 'ETIMEDOUT') return 'it did not answer in time';
  if (typeof err.code === 'number') {
    const line = `${err.stderr}\n${err.stdout}`.split(/\r?\n/).find((l) => l.trim() !== '');
    return `exit code ${err.code}${line ? ` (${line.trim()})` : ''}`;
  }
  return err.message;
}
