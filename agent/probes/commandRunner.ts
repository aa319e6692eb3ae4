// The only doors the memory probes have to the machine. Probes receive these as functions, so tests
// replay captured outputs and never need a Mac, a GPU or a particular kernel.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Runs a command and resolves its stdout; rejects with a {@link CommandError}. */
export type CommandRunner = (file: string, args: readonly string[], opts?: { timeoutMs?: number }) => Promise<string>;

/** Reads a whole text file (procfs, sysfs, /etc). */
export type FileReader = (path: string) => Promise<string>;

/**
 * Why a command gave no usable answer. `code` is `'ENOENT'` (not installed), `'ETIMEDOUT'`, another
 * spawn error code, or the exit status. `stdout` is kept because some tools (sysctl with one unknown
 * name among several) print the useful part and still exit non-zero.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly code: string | number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

const DEFAULT_TIMEOUT_MS = 3000;
// `ps -axo …args=` on a busy machine runs to a few hundred KiB; Node's 1 MiB default is close enough
// to hurt on build servers with long command lines.
const MAX_BUFFER = 4 * 1024 * 1024;

/**
 * `child_process.execFile`, no shell. The user's environment is passed through untouched (no
 * `LC_ALL=C`): forcing a locale would not help output that is already localised upstream, and the
 * parsers accept decimal commas anyway.
 */
export const execRunner: CommandRunner = (file, args, opts) =>
  new Promise((resolve, reject) => {
    const timeout = opts?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    execFile(file, args, { timeout, maxBuffer: MAX_BUFFER, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      if (!err) {
        resolve(stdout);
        return;
      }
      const e = err as unknown as { code?: unknown; killed?: boolean; signal?: string | null };
      let code: string | number;
      let message: string;
      if (typeof e.code === 'string') {
        code = e.code;
        message = e.code === 'ENOENT' ? `${file} was not found` : `${file} could not run (${e.code})`;
      } else if (e.killed) {
        // Node kills the child itself only on timeout here (maxBuffer reports its own string code).
        code = 'ETIMEDOUT';
        message = `${file} timed out after ${timeout} ms`;
      } else if (typeof e.code === 'number') {
        code = e.code;
        message = `${file} exited with ${e.code}${firstLine(stderr)}`;
      } else {
        code = e.signal ?? 'UNKNOWN';
        message = `${file} was stopped by ${code}`;
      }
      reject(new CommandError(message, code, String(stdout), String(stderr)));
    });
  });

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return line === undefined ? '' : `: ${line.trim()}`;
}

/**
 * stdout even when the command exited non-zero, as long as it printed something. For sysctl: an
 * unknown name makes it exit 1 but the names it knew are still on stdout. A missing command, a
 * timeout, or a failure with empty stdout still rejects.
 */
export async function stdoutDespiteExit(
  run: CommandRunner,
  file: string,
  args: readonly string[],
  opts?: { timeoutMs?: number },
): Promise<string> {
  try {
    return await run(file, args, opts);
  } catch (err) {
    if (err instanceof CommandError && typeof err.code === 'number' && err.stdout.trim() !== '') return err.stdout;
    throw err;
  }
}

export const readTextFile: FileReader = (path) => readFile(path, 'utf8');
