// The real agent runs its WAL checkpoints on a worker thread, and the thread neither holds up its
// shutdown nor outlives the database.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const agents: AgentProcess[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop('SIGKILL')));
});

describe('WAL checkpoints in the agent', () => {
  it('stop on SIGTERM with a last TRUNCATE from the worker, and the WAL folded back into the database', async () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    const n = 2000;
    writeFileSync(
      log,
      Array.from({ length: n }, (_, i) =>
        ginLine({
          time: `08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
          path: `/api/chat/${i}`,
        }),
      ).join('\n') + '\n',
    );
    const agent = await startAgentProcess(['--log', log, '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'debug']);
    agents.push(agent);
    await until(async () => ((await (await fetch(`${agent.url}/api/requests`)).json()) as { total: number }).total === n);

    expect(await agent.stop('SIGTERM'), agent.output()).toBe(0);
    expect(agent.output()).toMatch(/DEBUG WAL checkpoint TRUNCATE: 0 of 0 frames/);
    expect(agent.output()).not.toMatch(/WAL checkpointer|WAL checkpoint failed/);
    // Only the last connection to close removes the WAL: the worker's closed before the agent's.
    const file = join(dir, 'data', 'ollama-lens.db');
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM requests').get()).toEqual({ n });
    } finally {
      db.close();
    }
  });
});
