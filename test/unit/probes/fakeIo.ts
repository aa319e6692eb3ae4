// Fake CommandRunner / FileReader for the probe tests: commands are looked up by the executable's
// basename, so the tests do not care whether the probe calls /usr/sbin/sysctl or sysctl.
import { CommandError, type CommandRunner, type FileReader } from '../../../agent/probes/commandRunner.js';

export type Reply = string | Error | ((args: readonly string[]) => string | Error | Promise<string>);

export interface FakeRunner extends CommandRunner {
  calls: string[];
}

/** A command with no reply behaves as not installed (ENOENT), like execFile on a missing binary. */
export function fakeRunner(replies: Record<string, Reply>): FakeRunner {
  const calls: string[] = [];
  const run = (async (file: string, args: readonly string[]) => {
    const name = file.slice(file.lastIndexOf('/') + 1);
    calls.push([name, ...args].join(' '));
    const reply = Object.hasOwn(replies, name) ? replies[name] : undefined;
    const out = typeof reply === 'function' ? await reply(args) : reply;
    if (out === undefined) throw notFound(file);
    if (out instanceof Error) throw out;
    return out;
  }) as FakeRunner;
  run.calls = calls;
  return run;
}

export function notFound(file: string): CommandError {
  return new CommandError(`${file} was not found`, 'ENOENT', '', '');
}

export function exited(file: string, code: number, stdout: string, stderr: string): CommandError {
  return new CommandError(`${file} exited with ${code}: ${stderr.trim()}`, code, stdout, stderr);
}

/** A file with no entry behaves as missing (ENOENT), like fs.readFile. */
export function fakeFiles(files: Record<string, string | Error>): FileReader {
  return async (path) => {
    const content = Object.hasOwn(files, path) ? files[path] : undefined;
    if (content === undefined) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    }
    if (content instanceof Error) throw content;
    return content;
  };
}

/** Collects log lines. */
export function logLines(): { log: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (line) => lines.push(line), lines };
}
