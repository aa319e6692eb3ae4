// The progress line on stderr: drawn in place on a terminal, never into a pipe or a log file.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { showBacklogProgress } from '../../agent/commands/backlogProgress.js';
import { TerminalProgress } from '../../agent/terminalProgress.js';
import type { SourceStatus } from '../../shared/status.js';

const MiB = 1024 ** 2;
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY,
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}
const source = (lagBytes: number): SourceStatus => ({
  path: '/l/server.log',
  identity: '1:1',
  state: 'following',
  offset: 0,
  size: null,
  lagBytes,
  linesRead: 0,
  unparsed: 0,
  linesCut: 0,
  lastError: null,
});

afterEach(() => vi.useRealTimers());

describe('TerminalProgress', () => {
  it('draws a bar with percent on a terminal and clears it when done', () => {
    const out = stream(true);
    const p = new TerminalProgress('analyze', out);
    p.update(25 * MiB, 100 * MiB);
    expect(out.text).toMatch(/^\r\x1b\[2Kanalyze \[######\.{18}\] 25%/);
    p.done();
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
  });
  it('writes nothing when the stream is not a terminal', () => {
    const out = stream(false);
    const p = new TerminalProgress('analyze', out);
    p.update(25 * MiB, 100 * MiB);
    p.done();
    expect(out.text).toBe('');
  });
});

describe('showBacklogProgress', () => {
  it('shows the backlog of a large first read with percent, rate and time left, and clears it once caught up', () => {
    vi.useFakeTimers();
    const out = stream(true);
    let lag = 100 * MiB;
    const stop = showBacklogProgress(() => [source(lag)], out);
    vi.advanceTimersByTime(250);
    lag = 60 * MiB;
    vi.advanceTimersByTime(1000);
    expect(out.text).toMatch(/reading the log \[#+\.+\] 40% · [\d.]+ MiB\/s · \d+ s left/);
    lag = 0;
    vi.advanceTimersByTime(250);
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true);
    stop();
  });
  it('draws nothing for a small backlog', () => {
    vi.useFakeTimers();
    const out = stream(true);
    const stop = showBacklogProgress(() => [source(2 * MiB)], out);
    vi.advanceTimersByTime(2000);
    stop();
    expect(out.text).toBe('');
  });
});
