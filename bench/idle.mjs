// Agent at rest (docs/quality-bars.md: idle < 1 % CPU, < 80 MB RSS): the real CLI as a child process on an empty
// log with Ollama unreachable, left to settle, then its CPU time and resident memory read from /proc.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', 'dist', 'agent', 'cli.js');
const TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid) {
  // utime and stime are fields 14 and 15 of /proc/PID/stat (after the parenthesised name).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

// Settling 20 s: start-up work is over by then, including the WAL checkpoint thread, which ends after
// 10 s with nothing to copy (its teardown, ~0.1 s of CPU, would otherwise land in the measurement).
export async function benchIdle(settleMs = 20_000, measureMs = 30_000) {
  if (process.platform !== 'linux') return ['agent idle: measured on Linux only (reads /proc)'];
  const dir = mkdtempSync(join(tmpdir(), 'ollama-lens-idle-'));
  writeFileSync(join(dir, 'server.log'), '');
  const child = spawn(
    process.execPath,
    [CLI, '--log', join(dir, 'server.log'), '--port', '0', '--data-dir', join(dir, 'data'), '--ollama', 'http://127.0.0.1:9'],
    {
      stdio: 'ignore',
      env: { ...process.env, OLLAMA_LENS_LOG_LEVEL: 'error' },
    },
  );
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    const t0 = cpuTicks(child.pid);
    await new Promise((r) => setTimeout(r, measureMs));
    const cpu = ((cpuTicks(child.pid) - t0) / TICKS / (measureMs / 1000)) * 100;
    const rss = rssMb(child.pid);
    return [
      `agent idle CPU: ${cpu.toFixed(2)} % over ${measureMs / 1000} s (memory probe every 5 s, Ollama polls backing off); goal: < 1 %: ${cpu < 1 ? 'met' : 'NOT met'}`,
      `agent idle RSS: ${rss.toFixed(1)} MB; goal: < 80 MB: ${rss < 80 ? 'met' : 'NOT met'}`,
    ];
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await benchIdle()) console.log(line);
