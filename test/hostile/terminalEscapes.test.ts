// `analyze` printed control sequences taken from log lines (an OSC 52 clipboard write,
// a clear-screen), and Go-quoted `\x1b` in gin paths was unquoted into a real ESC when stored.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGin } from '../../agent/parse/parseGin.js';
import { unquoteGo } from '../../agent/parse/goQuote.js';
import { CLI } from '../helpers/agentProcess.js';
import { ginLine } from '../helpers/gin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('unquoteGo never creates a control character', () => {
  it.each([
    ['\\x1b[2J', '\\x1b[2J'],
    ['\\x1b]52;c;ZXZpbA==\\x07', '\\x1b]52;c;ZXZpbA==\\x07'],
    ['\\u009b31m', '\\u009b31m'],
    ['\\U0000001b', '\\U0000001b'],
    ['a\\nb\\tc\\r\\a\\b\\f\\v', 'a\\nb\\tc\\r\\a\\b\\f\\v'],
    ['\\x7f', '\\x7f'],
    // What is not a control character is still unquoted.
    ['\\"quoted\\" \\\\ \\x41 \\u00e9 \\U0001F600', '"quoted" \\ A é 😀'],
    ['bad \\q and \\x4', 'bad \\q and \\x4'],
  ])('%s → %s', (quoted, want) => {
    const out = unquoteGo(quoted);
    expect(out).toBe(want);
    expect(out).not.toMatch(CONTROL);
  });

  it('a gin path with a quoted ESC is stored with the escape written out', () => {
    const ev = parseGin(ginLine({ method: 'GET', path: '/api/tags\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J' }));
    expect(ev).not.toBeNull();
    const path = (ev as { path: string }).path;
    expect(path).toBe('/api/tags\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J');
    expect(path).not.toMatch(CONTROL);
  });
});

describe('analyze shows control characters from the log, never sends them', () => {
  it('escapes them in the human report (samples included) and in --json', () => {
    const dir = tmp();
    const log = join(dir, 'server.log');
    writeFileSync(
      log,
      [
        'time=2026-11-26T08:00:00.000Z level=INFO source=routes.go:1 msg="Listening on 127.0.0.1:11434 (version 0.6.0)"',
        'garbage with an OSC 52 clipboard write \u001b]52;c;ZXZpbA==\u0007 and a clear-screen \u001b[2J\u001b[H',
        'a C1 CSI \u009b31m and a DEL \u007f and a bell \u0007',
        'time=2026-11-26T08:00:01.000Z level=ERROR source=server.go:1 msg="llama runner terminated" error="exit status 2\\x1b]0;pwned\\x07"',
        ginLine({ date: '2026/11/26', time: '08:00:02', method: 'GET', path: '/api/tags\\x1b[2J' }),
        '',
      ].join('\n'),
    );
    const analyze = (...args: string[]) => spawnSync(process.execPath, [CLI, 'analyze', log, ...args], { encoding: 'utf8' });
    const text = analyze();
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(CONTROL);
    expect(text.stdout).toContain('clipboard write \\x1b]52;c;ZXZpbA==\\x07');
    const json = analyze('--json');
    expect(json.status, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout)).toMatchObject({ unparsed: 2 });
  });
});
