import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '../../shared/status.js';
import { connectionView, lagText, ollamaView, requestCountText, sourceView } from '../../dashboard/src/lib/statusLabels.js';
import { agentStatus } from './fixtures.js';

const source = (overrides: Partial<SourceStatus>): SourceStatus => ({
  path: '/home/me/.ollama/logs/server.log',
  state: 'following',
  offset: 0,
  size: 0,
  lagBytes: 0,
  identity: null,
  linesRead: 0,
  unparsed: 0,
  linesCut: 0,
  lastError: null,
  ...overrides,
});

describe('status views', () => {
  it('names every connection state in words', () => {
    expect(connectionView('open').text).toBe('live');
    expect(connectionView('connecting').text).toBe('connecting…');
    expect(connectionView('reconnecting').text).toBe('reconnecting…');
    expect(connectionView('behind')).toMatchObject({ tone: 'warn', text: 'catching up…', title: expect.stringMatching(/fell behind/) });
    expect(connectionView('busy')).toMatchObject({
      tone: 'warn',
      text: 'agent busy, retrying…',
      title: expect.stringMatching(/maximum number/),
    });
  });

  it('describes Ollama reachable / unreachable (error in tooltip) / unknown', () => {
    const base = agentStatus().ollama;
    expect(ollamaView(base).text).toBe('Ollama 0.33.0 reachable');
    const down = ollamaView({ ...base, state: 'unreachable', lastError: 'ECONNREFUSED' });
    expect(down.text).toBe('Ollama unreachable');
    expect(down.tone).toBe('error');
    expect(down.title).toContain('ECONNREFUSED');
    expect(ollamaView({ ...base, state: 'unknown' }).text).toBe('Ollama: unknown');
    expect(ollamaView(null).text).toBe('Ollama: unknown');
  });

  it('describes log sources: following (+lag), waiting (not an error), error', () => {
    expect(sourceView(source({})).text).toBe('server.log: caught up');
    expect(sourceView(source({})).title).toContain('Following /home/me/.ollama/logs/server.log');
    expect(sourceView(source({ lagBytes: 2048 })).text).toBe('server.log: caught up');
    const behind = sourceView(source({ lagBytes: 12 * 1024 * 1024 }));
    expect(behind.text).toBe('server.log: 12.0 MiB behind');
    expect(behind.tone).toBe('warn');
    expect(sourceView(source({ lagBytes: null })).text).toBe('server.log: lag unknown');
    expect(sourceView(source({ path: 'journal:ollama' })).text).toBe('journal:ollama: caught up');
    const waiting = sourceView(source({ state: 'waiting', size: null, lagBytes: null }));
    expect(waiting.text).toBe('Waiting for log file /home/me/.ollama/logs/server.log to appear');
    expect(waiting.tone).not.toBe('error');
    const failed = sourceView(source({ state: 'error', lastError: 'EACCES: permission denied' }));
    expect(failed.text).toContain('EACCES: permission denied');
    expect(failed.tone).toBe('error');
  });

  it('counts stored requests, "—" before the first status', () => {
    expect(requestCountText(null)).toBe('— requests stored');
    expect(requestCountText(agentStatus({ requestCount: 1 }))).toBe('1 request stored');
    expect(requestCountText(agentStatus({ requestCount: 42 }))).toBe('42 requests stored');
  });
});

describe('lagText', () => {
  it('says caught up below 64 KiB, else how far behind; unknown is not "caught up"', () => {
    const MiB = 1024 ** 2;
    expect(lagText(0)).toBe('caught up');
    expect(lagText(4096)).toBe('caught up');
    expect(lagText(12 * MiB)).toBe('12.0 MiB behind');
    expect(lagText(200 * 1024)).toBe('200 KiB behind');
    expect(lagText(null)).toBe('lag unknown');
  });
});
