// `ollama-lens analyze` on input that is not an Ollama log, as a user runs it (the built CLI in a
// child process): one line saying so on stderr and exit 1, never a report of zeros with the file's
// bytes shown as "unrecognised" samples.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, OLLAMA_LENS_EXPECT_MLX: '' } });

/** Bytes of a small PNG-like binary: a signature, then noise that holds a few newlines. */
function binary(): Buffer {
  const b = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}

const CSV = ['date,model,tokens,seconds', '2026-01-02,llama3.2,512,1.5', '2026-01-03,qwen3:8b,1024,2.25', ''].join('\n');

describe('ollama-lens analyze on input that is not an Ollama log', () => {
  it.each([
    ['a binary file', 'image.png', binary()],
    ['a CSV file', 'usage.csv', Buffer.from(CSV)],
    ['a file of blank lines', 'blank.log', Buffer.from('\n\n   \n\t\n')],
  ])('%s: one line on stderr, exit 1, nothing on stdout', (_name, base, bytes) => {
    const file = join(tmp(), base);
    writeFileSync(file, bytes);
    for (const args of [[file], [file, '--json']]) {
      const r = run('analyze', ...args);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`ollama-lens: no Ollama log lines found in ${file}\n`);
    }
  });

  it('an empty file says it is empty, exit 1', () => {
    const file = join(tmp(), 'server.log');
    writeFileSync(file, '');
    const r = run('analyze', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ollama-lens: ${file} is empty: nothing to analyze\n`);
  });

  it('an empty rotated file beside a real log is read as part of the log', () => {
    const empty = join(tmp(), 'server-1.log');
    const log = join(tmp(), 'server.log');
    writeFileSync(empty, '');
    writeFileSync(log, '[GIN] 2026/01/02 - 10:00:00 | 200 |    1.5s |       127.0.0.1 | POST     "/api/chat"\n');
    const r = run('analyze', empty, log, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { requests: unknown[] }).requests).toHaveLength(1);
  });

  it('a log of Ollama lines that make no record is still a log', () => {
    const file = join(tmp(), 'server.log');
    writeFileSync(file, 'time=2026-01-02T10:00:00.000Z level=INFO source=images.go:432 msg="total blobs: 10"\n');
    const r = run('analyze', file, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 1, unparsed: 0 });
  });
});
