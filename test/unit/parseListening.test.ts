import { describe, expect, it } from 'vitest';
import { parseLine } from '../../agent/parse/parseLine.js';
import { stripPrefix } from '../../agent/parse/stripPrefix.js';

describe('Listening on', () => {
  it.each([
    [
      'slog, v0.1.32',
      'time=2024-05-09T14:20:11.382-04:00 level=INFO source=routes.go:1143 msg="Listening on 127.0.0.1:11434 (version 0.1.32)"',
      { at: '2024-05-09T14:20:11.382-04:00', address: '127.0.0.1:11434', version: '0.1.32' },
    ],
    [
      'slog UTC, v0.30',
      'time=2026-06-11T08:31:47.205Z level=INFO source=routes.go:1981 msg="Listening on 127.0.0.1:11434 (version 0.30.7)"',
      { at: '2026-06-11T08:31:47.205Z', address: '127.0.0.1:11434', version: '0.30.7' },
    ],
    [
      'IPv6 any',
      'time=2026-08-16T09:42:18.533+08:00 level=INFO source=routes.go:1300 msg="Listening on [::]:11434 (version 0.6.8)"',
      { at: '2026-08-16T09:42:18.533+08:00', address: '[::]:11434', version: '0.6.8' },
    ],
    [
      'source build',
      'time=2026-01-01T00:00:00.000Z level=INFO source=routes.go:2008 msg="Listening on 127.0.0.1:11434 (version 0.0.0)"',
      { at: '2026-01-01T00:00:00.000Z', address: '127.0.0.1:11434', version: '0.0.0' },
    ],
    [
      'Go log era A',
      '2023/12/27 02:44:39 routes.go:895: Listening on 127.0.0.1:11434 (version 0.1.17)',
      { at: '2023-12-27T02:44:39', address: '127.0.0.1:11434', version: '0.1.17' },
    ],
    [
      'Go log without version',
      '2023/10/02 08:01:02 routes.go:540: Listening on 127.0.0.1:11434',
      { at: '2023-10-02T08:01:02', address: '127.0.0.1:11434', version: null },
    ],
  ])('%s', (_name, line, want) => {
    expect(parseLine(line)).toEqual({ type: 'listening', ...want });
  });

  it('works behind a journald prefix', () => {
    expect(
      parseLine(
        stripPrefix(
          'May 21 10:50:45 host ollama[4242]: time=2024-05-21T10:50:45.318+08:00 level=INFO source=routes.go:1054 msg="Listening on 127.0.0.1:11434 (version 0.1.38)"',
        ),
      ),
    ).toMatchObject({ type: 'listening', version: '0.1.38', at: '2024-05-21T10:50:45.318+08:00' });
  });

  it('ignores other messages that mention listening', () => {
    expect(
      parseLine('time=2026-01-01T00:00:00.000Z level=INFO source=x.go:1 msg="Starting HTTP server" host=127.0.0.1 port=1234'),
    ).not.toMatchObject({ type: 'listening' });
    expect(parseLine('llama server listening at http://127.0.0.1:50813')).not.toMatchObject({ type: 'listening' });
  });
});
