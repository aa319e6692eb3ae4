import { describe, expect, it } from 'vitest';
import { appleScriptString, displayNotificationScript } from '../../../../agent/alerts/channels/appleScript.js';
import { createNotifiers } from '../../../../agent/alerts/channels/createNotifiers.js';
import { MacNotifier, OSASCRIPT, osascriptArgs } from '../../../../agent/alerts/channels/MacNotifier.js';
import { CommandError, type CommandRunner } from '../../../../agent/probes/commandRunner.js';
import { alert } from './fixtures.js';

/**
 * Reads an AppleScript string literal the way AppleScript does (`\\` and `\"` are escapes, a bare `"`
 * ends the literal). Throws when the literal ends early or something follows it: the script would
 * then be broken or, worse, run text from the alert as AppleScript.
 */
function readAppleScriptLiteral(src: string): string {
  if (!src.startsWith('"')) throw new Error('no opening quote');
  let out = '';
  for (let i = 1; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const next = src[++i];
      if (next !== '\\' && next !== '"') throw new Error(`unexpected escape \\${next}`);
      out += next;
    } else if (c === '"') {
      if (i !== src.length - 1) throw new Error(`literal ends at ${i}, before the end`);
      return out;
    } else {
      out += c;
    }
  }
  throw new Error('no closing quote');
}

describe('AppleScript string escaping', () => {
  it.each([
    ['plain', 'llama3 fell back', '"llama3 fell back"'],
    ['double quotes', 'model "qwen3" failed', '"model \\"qwen3\\" failed"'],
    ['backslashes', 'C:\\models\\x', '"C:\\\\models\\\\x"'],
    ['backslash before a quote', 'a\\"b', '"a\\\\\\"b"'],
    ['a trailing backslash', 'ends with \\', '"ends with \\\\"'],
    ['newlines and tabs', 'line1\nline2\r\n\tline3', '"line1 line2 line3"'],
    ['other control characters', 'bell\u0007 esc\u001b[31m nul\u0000', '"bell esc [31m nul"'],
    ['line separators', 'a\u2028b\u2029c', '"a b c"'],
    ['emoji', '🚨 qwen3 💥 👨‍👩‍👧', '"🚨 qwen3 💥 👨‍👩‍👧"'],
    ['a lone surrogate', 'x\uD83Dy', '"xy"'],
    ['an injection attempt', '" & (do shell script "rm -rf ~") & "', '"\\" & (do shell script \\"rm -rf ~\\") & \\""'],
  ])('%s', (_label, input, expected) => {
    const literal = appleScriptString(input, 240);
    expect(literal).toBe(expected);
    expect(readAppleScriptLiteral(literal)).toBe(literal.slice(1, -1).replace(/\\([\\"])/g, '$1'));
  });

  it('caps the length, cutting between graphemes so an emoji is never split', () => {
    const literal = appleScriptString('👨‍👩‍👧'.repeat(10), 4);
    expect(readAppleScriptLiteral(literal)).toBe('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧…');
    expect(appleScriptString('x'.repeat(300), 240)).toHaveLength(242);
  });

  it('whatever the text, the result reads back as one literal', () => {
    const nasty = ['"', '\\', '\\\\"', '""\\""', '\\\n"', '"\u0000"', 'é"🔥\\'];
    for (const text of nasty) expect(() => readAppleScriptLiteral(appleScriptString(text, 50))).not.toThrow();
  });

  it('the script: display notification with the ollama-lens title and the headline as subtitle', () => {
    expect(displayNotificationScript('Resolved: "x" \\ y', 'Body\nline')).toBe(
      'display notification "Body line" with title "ollama-lens" subtitle "Resolved: \\"x\\" \\\\ y"',
    );
    expect(osascriptArgs(alert(), 'resolve')).toEqual([
      '-e',
      'display notification "Decoding is about 30% slower on this backend. Check the model format and OLLAMA_MLX."' +
        ' with title "ollama-lens" subtitle "Resolved: llama3.3:70b ran on llama.cpp/Metal although MLX was expected"',
    ]);
  });
});

function recordingRunner(fail?: (n: number) => Error | undefined) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number | undefined }[] = [];
  const run: CommandRunner = async (file, args, opts) => {
    calls.push({ file, args, timeoutMs: opts?.timeoutMs });
    const err = fail?.(calls.length - 1);
    if (err) throw err;
    return '';
  };
  return { run, calls };
}

describe('MacNotifier', () => {
  it('runs osascript once per notification, in order, with a timeout', async () => {
    const { run, calls } = recordingRunner();
    const n = new MacNotifier({ run, log: () => {}, now: () => Date.parse('2026-11-26T10:00:00Z') });
    n.send(alert(), 'fire');
    n.send(alert(), 'resolve');
    await n.whenIdle();
    expect(calls.map((c) => c.file)).toEqual([OSASCRIPT, OSASCRIPT]);
    expect(calls.map((c) => c.args)).toEqual([osascriptArgs(alert(), 'fire'), osascriptArgs(alert(), 'resolve')]);
    expect(calls[0]?.timeoutMs).toBe(5000);
    expect(n.status()).toEqual({
      name: 'macos',
      ok: true,
      sent: 2,
      failed: 0,
      lastError: null,
      lastSentAt: '2026-11-26T10:00:00.000Z',
      pending: 0,
    });
  });

  it('a failing osascript is counted and logged once, and recovery is logged once', async () => {
    const logs: string[] = [];
    const { run } = recordingRunner((i) =>
      i < 2 ? new CommandError('/usr/bin/osascript exited with 1: execution error: Not authorised (-1743)', 1, '', '') : undefined,
    );
    const n = new MacNotifier({ run, log: (l) => logs.push(l) });
    for (const id of [1, 2, 3]) n.send(alert({ id }), 'fire');
    await n.whenIdle();
    expect(n.status()).toMatchObject({
      ok: true,
      sent: 1,
      failed: 2,
      lastError: '/usr/bin/osascript exited with 1: execution error: Not authorised (-1743)',
    });
    expect(logs).toEqual([
      'notifications: macos is failing: /usr/bin/osascript exited with 1: execution error: Not authorised (-1743)',
      'notifications: macos delivers again',
    ]);
  });
});

describe('createNotifiers', () => {
  const base = { webhooks: [], dashboardUrl: 'http://127.0.0.1:7185' };

  it('--notify-macos on Linux: one clear line and no macOS channel', () => {
    const logs: string[] = [];
    const list = createNotifiers({
      ...base,
      macos: true,
      platform: 'linux',
      log: (l) => logs.push(l),
      webhooks: [{ url: 'https://ntfy.sh/t', format: 'ntfy' }],
    });
    expect(list.map((n) => n.name)).toEqual(['webhook:https://ntfy.sh/t']);
    expect(logs).toEqual(['--notify-macos ignored: not macOS']);
  });

  it('on macOS with the flag: a macOS channel after the webhooks', () => {
    const { run } = recordingRunner();
    const list = createNotifiers({
      ...base,
      macos: true,
      platform: 'darwin',
      run,
      log: () => {},
      webhooks: [
        { url: 'https://ntfy.sh/a', format: 'ntfy' },
        { url: 'https://hooks.example/x?token=1', format: 'json' },
      ],
    });
    expect(list.map((n) => n.name)).toEqual(['webhook:https://ntfy.sh/a', 'webhook:https://hooks.example/x', 'macos']);
  });

  it('on macOS without the flag: no macOS channel, nothing logged', () => {
    const logs: string[] = [];
    expect(createNotifiers({ ...base, macos: false, platform: 'darwin', log: (l) => logs.push(l) })).toEqual([]);
    expect(logs).toEqual([]);
  });
});
