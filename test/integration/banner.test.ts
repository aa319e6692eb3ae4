// The terminal banner says when Ollama does not answer, and points to `doctor`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAgentProcess } from '../helpers/agentProcess.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

async function bannerWith(ollama: string): Promise<string> {
  const dir = tmp();
  const log = join(dir, 'server.log');
  writeFileSync(log, '');
  const agent = await startAgentProcess(['--port', '0', '--data-dir', join(dir, 'data'), '--log', log, '--ollama', ollama]);
  try {
    return agent.output();
  } finally {
    await agent.stop();
  }
}

describe('start-up banner', () => {
  it('says Ollama is unreachable and names doctor', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const out = await bannerWith(`http://127.0.0.1:${port}`);
    expect(out).toMatch(
      new RegExp(`Ollama API: http://127\\.0\\.0\\.1:${port}\\s+\\(unreachable: nothing listens there;.*"ollama-lens doctor"`),
    );
  });

  it('prints the plain address when Ollama answers', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/api/version' ? '{"version":"0.33.0"}' : '{"models":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const out = await bannerWith(url);
      expect(out).toContain(`Ollama API: ${url}\n`);
      expect(out).not.toContain('unreachable');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
