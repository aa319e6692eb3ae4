// A damaged database file, really damaged: the agent fills it from a log, then one page of the
// requests table is overwritten on disk. Found while running (a query's SQLITE_CORRUPT), /api/health
// turns ok: false with the reason and the route answers in the error envelope; at the next start
// `PRAGMA quick_check` refuses the file in one line naming it and the fix — and the fix works.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const agents: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
});

const LINES = 600;

/** What these tests read of /api/health, /api/requests and the error envelope. */
interface Body {
  ok?: boolean;
  database?: { ok: boolean; error: string | null };
  sources?: { linesRead: number }[];
  items?: unknown[];
  error?: { code: string; message: string };
}

async function start(
  dataDir: string,
  log: string,
): Promise<{ agent: AgentProcess; get: (path: string) => Promise<{ status: number; body: Body }> }> {
  const agent = await startAgentProcess(['--log', log, '--data-dir', dataDir, '--port', '0']);
  agents.push(agent);
  const get = async (path: string) => {
    const res = await fetch(`${agent.url}${path}`);
    return { status: res.status, body: (await res.json()) as Body };
  };
  await until(async () => (await get('/api/health')).body.sources?.[0]?.linesRead === LINES);
  return { agent, get };
}

/** Overwrites one leaf page of the requests table on disk, behind SQLite's back: its oldest rows, or its newest. */
function damageRequests(dbPath: string, which: 'oldest' | 'newest' = 'oldest'): void {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS test_nudge (x)');
  // Everything in the file itself, so the page overwritten is the one SQLite reads.
  expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const order = which === 'oldest' ? 'ASC' : 'DESC';
  const leaf = db
    .prepare(`SELECT pageno FROM dbstat WHERE name = 'requests' AND pagetype = 'leaf' ORDER BY path ${order} LIMIT 1`)
    .get() as { pageno: number };
  const fd = openSync(dbPath, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (leaf.pageno - 1) * pageSize);
  closeSync(fd);
  // A commit by another connection makes the agent's connection drop its page cache on its next read.
  db.exec('INSERT INTO test_nudge VALUES (1)');
  db.close();
}

describe('a damaged database', () => {
  it('found while running: the route answers in the error envelope, /api/health is ok: false with the reason', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(
      log,
      Array.from(
        { length: LINES },
        (_, i) => `${ginLine({ time: `08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` })}\n`,
      ).join(''),
    );
    const dataDir = join(dir, 'data');
    const dbPath = join(dataDir, 'ollama-lens.db');
    const { agent, get } = await start(dataDir, log);
    expect((await get('/api/health')).body.ok).toBe(true);

    damageRequests(dbPath);
    const page = await get('/api/requests?before=10&limit=5');
    expect(page.status).toBe(503);
    expect(page.body).toEqual({
      error: { code: 'database_damaged', message: expect.stringContaining(`the database ${dbPath} is damaged`) },
    });
    const health = (await get('/api/health')).body;
    expect(health.ok).toBe(false);
    expect(health.database).toEqual({ ok: false, error: page.body.error?.message });
    expect(health.database?.error).toContain(`mkdir ${dataDir}/damaged && mv ${dbPath}* ${dataDir}/damaged/`);
    await agent.stop();

    // At the next start quick_check finds the page: one line naming the file and the fix, exit 1.
    const refused = spawnSync(process.execPath, [CLI, '--log', log, '--data-dir', dataDir, '--port', '0'], {
      encoding: 'utf8',
      env: { ...process.env, OLLAMA_HOST: '127.0.0.1:1' },
    });
    expect(refused.status).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^ollama-lens: the database ${dbPath} is damaged \\(quick_check: .+\\)\\. Stop ollama-lens, move the file aside`),
    );
    expect(lines[0]).toContain(`(mkdir ${dataDir}/damaged && mv ${dbPath}* ${dataDir}/damaged/) and start again`);

    // Doing what it says: a new database, the log read again from the start.
    execFileSync('sh', ['-c', `mkdir ${dataDir}/damaged && mv ${dbPath}* ${dataDir}/damaged/`]);
    const again = await start(dataDir, log);
    expect((await again.get('/api/health')).body).toMatchObject({ ok: true, database: { ok: true, error: null } });
    expect((await again.get(`/api/requests?limit=${LINES}`)).body.items).toHaveLength(LINES);
  });

  it('found by the WebSocket snapshot: that client is closed with 1011, the agent stays up and says why', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(log, Array.from({ length: LINES }, () => `${ginLine()}\n`).join(''));
    const dataDir = join(dir, 'data');
    const { agent, get } = await start(dataDir, log);
    damageRequests(join(dataDir, 'ollama-lens.db'), 'newest');
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const ws = new WebSocket(`${agent.url.replace('http', 'ws')}/ws`);
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
      ws.on('error', reject);
    });
    expect(closed).toEqual({ code: 1011, reason: 'the database is damaged: see /api/health' });
    const health = (await get('/api/health')).body;
    expect(health.ok).toBe(false);
    expect(health.database?.error).toContain('is damaged');
  });

  it('a file that is not a database at all is refused the same way', () => {
    const dataDir = tmp();
    const dbPath = join(dataDir, 'ollama-lens.db');
    writeFileSync(dbPath, Buffer.alloc(8192, 0x41));
    const r = spawnSync(process.execPath, [CLI, '--log', join(dataDir, 'none.log'), '--data-dir', dataDir, '--port', '0'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^ollama-lens: the database ${dbPath} is damaged \\(file is not a database\\)\\. Stop ollama-lens`)),
    ]);
  });
});
