// Exactly once under kill -9 and rotation: the real agent as a child process, killed with SIGKILL at
// random moments (during start-up and catch-up too) and restarted, while a writer appends thousands
// of GIN lines (some in two writes with a pause between) and rotates the log the Ollama way, also
// while the agent is down. Every line written must be stored exactly once.
//
// Seeded: a failure prints its seed; FAULT_SEED=<seed> replays the same schedule of writes, kills
// and rotations (the agent's own timing still varies).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mulberry32, type Rng } from '../../agent/demo/rng.js';
import { THREAD_BEHIND_BYTES } from '../../agent/pipeline/SourceIngestor.js';
import { DB_FILE } from '../../agent/store/openDatabase.js';
import { CLI } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { rotateOllamaWay } from '../helpers/tailer.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LINES = 8000;
/** Ollama keeps server-1.log … server-5.log; a rotation deletes what was server-5.log. */
const KEEP = 5;

interface Agent {
  child: ChildProcess;
  /** The dashboard URL once the agent has started, null if it died first. */
  url: Promise<string | null>;
  exited: Promise<void>;
  output: () => string;
}

function spawnAgent(args: string[]): Agent {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, OLLAMA_HOST: '127.0.0.1:1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string | null>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dashboard:\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => resolve(null));
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, url, exited, output: () => out };
}

async function storedTotal(url: string): Promise<number | null> {
  try {
    return ((await (await fetch(`${url}/api/requests?limit=1`)).json()) as { total: number }).total;
  } catch {
    return null; // killed meanwhile
  }
}

/** Appends uniquely identifiable GIN lines and rotates between lines, never inside one. */
class Writer {
  readonly written: string[] = [];
  rotations = 0;
  splitLines = 0;
  /** Lines written before each rotation (index = rotation number). */
  private readonly before: number[] = [0];
  /** Rotations asked for by the controller while the agent is down, done at the next line boundary. */
  private requests: ((done: boolean) => void)[] = [];
  /** A lower bound of the lines the agent has stored (it only ever grows). */
  stored = 0;
  private running = false;

  constructor(
    private readonly log: string,
    private readonly rng: Rng,
  ) {}

  private line(): { path: string; text: string } {
    const i = this.written.length;
    const t = 8 * 3600 + i;
    const hms = [t / 3600, (t / 60) % 60, t % 60].map((n) => String(Math.floor(n)).padStart(2, '0')).join(':');
    const path = `/api/chat/${i}`;
    return { path, text: ginLine({ time: hms, path, latency: `${(i % 997) + 1}.25ms` }) };
  }

  /**
   * A rotation drops what was server-5.log. The agent may be behind, but not by so much that the
   * file it is reading would go: everything written before rotation R-4 must be stored first.
   */
  canRotate(): boolean {
    const r = this.rotations + 1;
    return r < KEEP || this.stored >= this.before[r - (KEEP - 1)]!;
  }

  rotate(): boolean {
    if (!existsSync(this.log)) return false; // Ollama rotates nothing then
    this.rotations++;
    this.before[this.rotations] = this.written.length;
    // The new server writes its first line at once, or the file only appears with a later write.
    // (Never empty for long: a server start always logs, and an empty file has nothing to be known by.)
    if (this.rng.chance(0.5)) {
      rotateOllamaWay(this.log, undefined, KEEP);
      return true;
    }
    const first = this.line();
    rotateOllamaWay(this.log, `${first.text}\n`, KEEP);
    this.written.push(first.path);
    return true;
  }

  /** Resolves true once rotated at a line boundary, false when that would drop an unread file. */
  requestRotation(): Promise<boolean> {
    if (!this.running || !this.canRotate()) return Promise.resolve(false);
    return new Promise((resolve) => this.requests.push(resolve));
  }

  async run(total: number): Promise<void> {
    this.running = true;
    while (this.written.length < total || this.requests.length > 0) {
      for (const done of this.requests.splice(0)) done(this.canRotate() && this.rotate());
      if (this.written.length >= total) break;
      if (this.rng.chance(0.015) && this.canRotate()) this.rotate();
      if (this.rng.chance(0.06)) {
        // Half a line, a pause (the agent may read, or die, in between), then the rest.
        const { path, text } = this.line();
        const at = this.rng.int(1, text.length - 1);
        appendFileSync(this.log, text.slice(0, at));
        await sleep(this.rng.int(5, 40));
        appendFileSync(this.log, `${text.slice(at)}\n`);
        this.written.push(path);
        this.splitLines++;
      } else {
        const n = Math.min(this.rng.int(1, 8), total - this.written.length);
        const lines = Array.from({ length: n }, () => {
          const l = this.line();
          this.written.push(l.path);
          return l.text;
        });
        appendFileSync(this.log, `${lines.join('\n')}\n`);
      }
      await sleep(this.rng.int(0, 16));
    }
    this.running = false;
  }
}

/** What differs between two multisets, by element. */
function multisetDiff(expected: string[], actual: string[]) {
  const count = new Map<string, number>();
  for (const e of expected) count.set(e, (count.get(e) ?? 0) + 1);
  for (const a of actual) count.set(a, (count.get(a) ?? 0) - 1);
  const missing = [...count].filter(([, n]) => n > 0).map(([e]) => e);
  const extra = [...count].filter(([, n]) => n < 0).map(([e, n]) => `${e} ×${-n}`);
  return { missing, extra };
}

describe('fault injection', () => {
  it('stores every line exactly once through SIGKILLs at random moments and Ollama rotations', async () => {
    const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`fault injection seed ${seed} (FAULT_SEED=${seed} replays it)`);
    const rng = mulberry32(seed);
    const dir = tmp();
    const log = join(dir, 'logs', 'server.log');
    const dataDir = join(dir, 'data');
    const args = ['--log', log, '--port', '0', '--data-dir', dataDir];
    const t0 = Date.now();

    const writer = new Writer(log, rng);
    // Logs from before the first start: two rotated files and a live one, to backfill.
    mkdirSync(join(dir, 'logs'));
    await writer.run(40);
    writer.rotate();
    await writer.run(80);
    writer.rotate();
    await writer.run(100);
    const writing = writer.run(LINES);
    let writerDone = false;
    void writing.then(() => (writerDone = true));

    let kills = 0;
    let rotationsWhileDown = 0;
    let killedBeforeReady = 0;
    const crashes: string[] = [];
    while (!writerDone) {
      const agent = spawnAgent(args);
      let alive = true;
      void (async () => {
        const url = await agent.url;
        while (alive && url) {
          const total = await storedTotal(url);
          if (total !== null && alive) writer.stored = Math.max(writer.stored, total);
          await sleep(50);
        }
      })();
      // A quarter of the kills aim at start-up (opening the database, catching up), the rest anywhere.
      const killAt = Date.now() + (rng.chance(0.25) ? rng.int(30, 400) : rng.int(300, 1500));
      const ready = await Promise.race([agent.url.then((u) => u !== null), sleep(killAt - Date.now()).then(() => false)]);
      if (ready) await sleep(killAt - Date.now());
      else killedBeforeReady++;
      alive = false;
      agent.child.kill('SIGKILL');
      await agent.exited;
      // Only our SIGKILL may end it: an exit of its own is a crash.
      if (agent.child.signalCode !== 'SIGKILL') crashes.push(agent.output());
      kills++;
      // Server starts while the agent is down: always on the first and third kill, then now and then,
      // and on every kill until two have been done (one is refused while the agent is too far behind
      // to lose a file, which a loaded machine makes common: one run had exactly two).
      const wanted = kills === 1 ? 1 : kills === 3 ? 2 : rng.chance(0.3) ? rng.int(1, 2) : rotationsWhileDown < 2 ? 1 : 0;
      for (let i = 0; i < wanted && !writerDone; i++) if (await writer.requestRotation()) rotationsWhileDown++;
      await sleep(rng.int(0, 250));
    }
    await writing;

    // Caught up: everything written is stored (and a duplicate would push the total past it).
    const agent = spawnAgent(args);
    const url = await agent.url;
    expect(url).not.toBeNull();
    await until(async () => ((await storedTotal(url!)) ?? 0) >= writer.written.length, 30_000).catch(() => undefined);
    await sleep(300);
    const health = (await (await fetch(`${url}/api/health`)).json()) as { sources: { lagBytes: number; lastError: string | null }[] };
    agent.child.kill('SIGTERM');
    await agent.exited;

    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    const stored = (db.prepare('SELECT path FROM requests').all() as { path: string }[]).map((r) => r.path);
    db.close();
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(
      `fault injection: ${writer.written.length} lines written (${writer.splitLines} in two writes), ${kills} SIGKILLs ` +
        `(${killedBeforeReady} before the agent was ready), ${writer.rotations} rotations (${rotationsWhileDown} while the agent was down), ${seconds} s`,
    );
    expect(crashes, `seed ${seed}`).toEqual([]);
    expect(multisetDiff(writer.written, stored), `seed ${seed}`).toEqual({ missing: [], extra: [] });
    expect(stored, `seed ${seed}`).toHaveLength(writer.written.length);
    expect(health.sources[0], `seed ${seed}`).toMatchObject({ lagBytes: 0, lastError: null });
    expect(kills, `seed ${seed}`).toBeGreaterThanOrEqual(5);
    expect(rotationsWhileDown, `seed ${seed}`).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('stores every line of a large log exactly once through SIGKILLs during its backfill on the pipeline thread', async () => {
    const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
    console.log(`backfill fault injection seed ${seed} (FAULT_SEED=${seed} replays it)`);
    const rng = mulberry32(seed);
    const dir = tmp();
    mkdirSync(join(dir, 'logs'));
    const log = join(dir, 'logs', 'server.log');
    const dataDir = join(dir, 'data');
    const args = ['--log', log, '--port', '0', '--data-dir', dataDir];
    // Far more than the pipeline thread's threshold, so the agent parses on its thread for most of
    // it. Each request line comes with a long line of another kind, as in a real log (≈ 1 KB a request).
    const paths: string[] = [];
    const lines: string[] = [];
    let bytes = 0;
    const filler = `time=2026-11-26T08:00:00.000Z level=DEBUG source=server.go:1 msg="runner status" detail="${'x'.repeat(880)}"`;
    while (bytes < 2.5 * THREAD_BEHIND_BYTES) {
      const i = paths.length;
      const t = 8 * 3600 + Math.floor(i / 20);
      const hms = [Math.floor(t / 3600) % 24, Math.floor(t / 60) % 60, t % 60].map((n) => String(n).padStart(2, '0')).join(':');
      paths.push(`/api/chat/${i}`);
      const line = ginLine({ time: hms, path: paths[i]!, latency: `${(i % 997) + 1}.25ms` });
      lines.push(line, filler);
      bytes += line.length + filler.length + 2;
    }
    writeFileSync(log, `${lines.join('\n')}\n`);

    let kills = 0;
    /** How far behind the agent was at each kill that came while it was still on the pipeline thread. */
    const killedBehind: number[] = [];
    /** Bytes still unread at each kill (null: no resume point yet). */
    const killedAt: (number | null)[] = [];
    const crashes: string[] = [];
    /** The committed offset, read beside the running agent (WAL: a reader never blocks it). */
    const committed = (): number | null => {
      if (!existsSync(join(dataDir, DB_FILE))) return null;
      try {
        const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('SELECT offset FROM sources WHERE path = ?').get(log) as { offset: number } | undefined)?.offset ?? null;
        } finally {
          db.close();
        }
      } catch {
        return null; // being created
      }
    };
    for (let round = 0; round < 3; round++) {
      const agent = spawnAgent(args);
      // The backfill runs before the agent listens: kill it once it has committed past a random
      // point that leaves it far behind, i.e. with batches on the pipeline thread.
      const from = committed() ?? 0;
      const target = from + rng.int(1, 4) * 1024 * 1024 + rng.int(0, 1024 * 1024);
      await until(() => (committed() ?? 0) >= target, 30_000).catch(() => undefined);
      await sleep(rng.int(0, 40));
      const offset = committed();
      agent.child.kill('SIGKILL');
      await agent.exited;
      if (agent.child.signalCode !== 'SIGKILL') crashes.push(agent.output());
      kills++;
      const behind = offset === null ? null : bytes - offset;
      killedAt.push(behind);
      if (behind !== null && behind > THREAD_BEHIND_BYTES) killedBehind.push(behind);
    }

    // A last start reads the rest; one more line written meanwhile is stored too.
    const agent = spawnAgent(args);
    const url = await agent.url;
    expect(url).not.toBeNull();
    appendFileSync(log, `${ginLine({ time: '23:59:59', path: '/api/chat/last' })}\n`);
    paths.push('/api/chat/last');
    await until(async () => ((await storedTotal(url!)) ?? 0) >= paths.length, 60_000).catch(() => undefined);
    await sleep(300);
    const health = (await (await fetch(`${url}/api/health`)).json()) as { sources: { lagBytes: number; lastError: string | null }[] };
    agent.child.kill('SIGTERM');
    await agent.exited;

    const db = new Database(join(dataDir, DB_FILE), { readonly: true });
    const stored = (db.prepare('SELECT path FROM requests').all() as { path: string }[]).map((r) => r.path);
    db.close();
    console.log(
      `backfill fault injection: ${paths.length} lines (${(bytes / 1e6).toFixed(1)} MB), ${kills} SIGKILLs, ` +
        `${killedBehind.length} of them more than ${THREAD_BEHIND_BYTES} bytes behind (bytes unread at each: ${killedAt.join(', ')})`,
    );
    expect(crashes, `seed ${seed}`).toEqual([]);
    expect(multisetDiff(paths, stored), `seed ${seed}`).toEqual({ missing: [], extra: [] });
    expect(stored, `seed ${seed}`).toHaveLength(paths.length);
    expect(health.sources[0], `seed ${seed}`).toMatchObject({ lagBytes: 0, lastError: null });
    // The kills this test is about: while batches were being parsed on the pipeline thread.
    expect(killedBehind.length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
