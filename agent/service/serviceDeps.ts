// What `ollama-lens service` touches, injectable: the platform, files, the service manager's commands
// and the output, so tests run it against a temporary HOME and a fake service manager.
import { chmodSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execRunner, type CommandRunner } from '../probes/commandRunner.js';

export interface ServiceFs {
  exists(path: string): boolean;
  /** Creates or replaces the file in one step, with this mode. */
  write(path: string, text: string, mode: number): void;
  mkdirp(path: string): void;
  remove(path: string): void;
}

export interface ServiceDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid: number;
  /** The node binary the service runs. */
  execPath: string;
  /** The absolute path of dist/agent/cli.js. */
  cliPath: string;
  run: CommandRunner;
  fs: ServiceFs;
  out: (line: string) => void;
  err: (line: string) => void;
}

const nodeFs: ServiceFs = {
  exists: (path) => existsSync(path),
  write: (path, text, mode) => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  },
  mkdirp: (path) => mkdirSync(path, { recursive: true }),
  remove: (path) => rmSync(path, { force: true }),
};

/** The built cli.js next to this file's folder; with symlinks resolved (npm's bin links, npx). */
function builtCliPath(): string {
  const path = fileURLToPath(new URL('../cli.js', import.meta.url));
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Tests (and anyone who wants to see what would happen) set OLLAMA_LENS_SERVICE_RUNNER to an executable:
 * every service-manager command is then run as `RUNNER systemctl --user …` instead of `systemctl --user …`.
 */
function runnerFor(env: NodeJS.ProcessEnv): CommandRunner {
  const prefix = env.OLLAMA_LENS_SERVICE_RUNNER;
  if (!prefix) return execRunner;
  return (file, args, opts) => execRunner(prefix, [file, ...args], opts);
}

export function defaultServiceDeps(): ServiceDeps {
  return {
    platform: process.platform,
    env: process.env,
    cwd: process.cwd(),
    uid: process.getuid?.() ?? 0,
    execPath: process.execPath,
    cliPath: builtCliPath(),
    run: runnerFor(process.env),
    fs: nodeFs,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
}
