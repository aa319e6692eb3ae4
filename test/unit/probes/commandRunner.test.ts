import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError, execRunner, readTextFile, stdoutDespiteExit } from '../../../agent/probes/commandRunner.js';
import { exited, fakeRunner } from './fakeIo.js';

// Real child processes (node itself), so these run on any OS the tests run on.
const node = process.execPath;

describe('execRunner', () => {
  it('resolves stdout', async () => {
    await expect(execRunner(node, ['-e', 'process.stdout.write("a b\\n")'])).resolves.toBe('a b\n');
  });

  it('rejects a missing command with code ENOENT', async () => {
    const err = await execRunner('/nonexistent/ollama-lens-no-such-tool', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'ENOENT', message: '/nonexistent/ollama-lens-no-such-tool was not found' });
  });

  it('rejects a non-zero exit with the exit code, keeping stdout and stderr', async () => {
    const script = 'process.stdout.write("kern.x: 1\\n"); process.stderr.write("sysctl: unknown oid \'y\'\\n"); process.exit(3)';
    const err = await execRunner(node, ['-e', script]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 3, stdout: 'kern.x: 1\n', stderr: "sysctl: unknown oid 'y'\n" });
    expect((err as Error).message).toBe(`${node} exited with 3: sysctl: unknown oid 'y'`);
  });

  it('rejects with ETIMEDOUT when the command outlives timeoutMs', async () => {
    const started = Date.now();
    const err = await execRunner(node, ['-e', 'setTimeout(() => {}, 20000)'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ETIMEDOUT', message: `${node} timed out after 300 ms` });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('stdoutDespiteExit', () => {
  it('returns stdout of a non-zero exit that printed something', async () => {
    const run = fakeRunner({ sysctl: exited('sysctl', 1, 'hw.memsize: 1\n', "sysctl: unknown oid 'iogpu.wired_limit_mb'") });
    await expect(stdoutDespiteExit(run, '/usr/sbin/sysctl', ['hw.memsize'])).resolves.toBe('hw.memsize: 1\n');
  });

  it('still rejects an empty failed run and a missing command', async () => {
    const run = fakeRunner({ sysctl: exited('sysctl', 1, '', 'boom') });
    await expect(stdoutDespiteExit(run, 'sysctl', [])).rejects.toMatchObject({ code: 1 });
    await expect(stdoutDespiteExit(run, 'missing', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readTextFile', () => {
  it('reads a file as UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-probe-'));
    writeFileSync(join(dir, 'f'), 'MemTotal: 1 kB\n');
    await expect(readTextFile(join(dir, 'f'))).resolves.toBe('MemTotal: 1 kB\n');
    await expect(readTextFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
