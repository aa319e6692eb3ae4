import { afterEach, describe, expect, it } from 'vitest';
import { formatLogLine, log, setLogLevel, setLogSink } from '../../agent/log.js';

const AT = Date.parse('2026-11-26T14:00:00.000Z');

describe('log', () => {
  let restore = () => {};
  afterEach(() => {
    restore();
    setLogLevel('info');
  });

  const capture = () => {
    const lines: string[] = [];
    restore = setLogSink(
      (line) => lines.push(line),
      () => AT,
    );
    return lines;
  };

  it('writes one line per event: ISO time, level, message', () => {
    const lines = capture();
    log.info('listening on 127.0.0.1:7878');
    log.error('disk full');
    expect(lines).toEqual(['2026-11-26T14:00:00.000Z INFO listening on 127.0.0.1:7878', '2026-11-26T14:00:00.000Z ERROR disk full']);
  });

  it.each([
    ['error', ['ERROR']],
    ['warn', ['ERROR', 'WARN']],
    ['info', ['ERROR', 'WARN', 'INFO']],
    ['debug', ['ERROR', 'WARN', 'INFO', 'DEBUG']],
  ] as const)('at level %s writes %j', (level, expected) => {
    const lines = capture();
    setLogLevel(level);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => l.split(' ')[1]).sort()).toEqual([...expected].sort());
    expect(log.enabled('debug')).toBe(level === 'debug');
  });

  it('keeps a multi-line message (a stack trace) on one line', () => {
    expect(formatLogLine(AT, 'error', 'HTTP GET /x failed: Error: boom\n    at a (x.js:1:1)\n    at b (y.js:2:2)\n')).toBe(
      '2026-11-26T14:00:00.000Z ERROR HTTP GET /x failed: Error: boom | at a (x.js:1:1) | at b (y.js:2:2)',
    );
  });

  it('restores the previous sink', () => {
    const outer: string[] = [];
    const restoreOuter = setLogSink(
      (l) => outer.push(l),
      () => AT,
    );
    const inner: string[] = [];
    const restoreInner = setLogSink((l) => inner.push(l));
    log.warn('to inner');
    restoreInner();
    log.warn('to outer');
    restoreOuter();
    expect(inner).toEqual(['2026-11-26T14:00:00.000Z WARN to inner']);
    expect(outer).toEqual(['2026-11-26T14:00:00.000Z WARN to outer']);
  });
});
