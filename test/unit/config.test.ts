import { describe, expect, it } from 'vitest';
import { parseConfig, UsageError } from '../../agent/config/parseConfig.js';
import { ollamaUrlFromHost } from '../../agent/config/schema.js';
import { optionsHelp } from '../../agent/config/helpText.js';

const env = { HOME: '/home/u' };
const opts = { cwd: '/work', platform: 'linux' as const };

describe('parseConfig', () => {
  it('has documented defaults', () => {
    const { config } = parseConfig([], env, opts);
    expect(config).toEqual({
      logs: ['/home/u/.ollama/logs/server.log'],
      port: 7878,
      host: '127.0.0.1',
      dataDir: '/home/u/.ollama-lens',
      ollama: 'http://127.0.0.1:11434',
      expectMlx: [],
      backfill: 'all',
      journal: [],
      contextAlertTokens: 90_000,
      contextAlertRatio: 0.85,
      memoryInterval: 5,
      ollamaInterval: 3,
      webhooks: [],
      ntfy: [],
      notifyMacos: false,
      mute: [],
      proxy: null,
      token: null,
      tokenFile: null,
      logLevel: 'info',
      retentionRequestsDays: 30,
      retentionMinutesDays: 90,
      retentionHoursDays: 730,
      retentionMemoryDays: 7,
      maxDbMb: 2048,
    });
  });

  it('takes the token from --token, OLLAMA_LENS_TOKEN, or the first line of --token-file / OLLAMA_LENS_TOKEN_FILE', () => {
    const files: Record<string, string> = { '/s/token': '  0123456789abcdef0123  \nsecond line ignored\n', '/s/empty': '\n' };
    const readFile = (p: string): string => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    };
    const o = { ...opts, readFile };
    expect(parseConfig([], { ...env, OLLAMA_LENS_TOKEN: 'from-the-environment' }, o).config.token).toBe('from-the-environment');
    expect(parseConfig(['--token-file', '/s/token'], env, o).config).toMatchObject({
      token: '0123456789abcdef0123',
      tokenFile: '/s/token',
    });
    expect(parseConfig([], { ...env, OLLAMA_LENS_TOKEN_FILE: '/s/token' }, o).config.token).toBe('0123456789abcdef0123');
    expect(() => parseConfig(['--token-file', '/s/missing'], env, o)).toThrow('cannot read the token file /s/missing (ENOENT)');
    expect(() => parseConfig(['--token-file', '/s/empty'], env, o)).toThrow('the token file /s/empty is empty');
    expect(() => parseConfig(['--token-file', '/s/token'], { ...env, OLLAMA_LENS_TOKEN: 'x' }, o)).toThrow(UsageError);
    // analyze takes no agent settings: a variable meant for the agent is not read.
    expect(parseConfig([], { ...env, OLLAMA_LENS_TOKEN_FILE: '/s/missing' }, { ...o, scopes: ['analysis'] }).config.token).toBeNull();
  });

  it('reads --log-level and OLLAMA_LENS_LOG_LEVEL, refusing anything but error, warn, info, debug', () => {
    expect(parseConfig(['--log-level', 'debug'], { ...env, OLLAMA_LENS_LOG_LEVEL: 'error' }, opts).config.logLevel).toBe('debug');
    expect(parseConfig([], { ...env, OLLAMA_LENS_LOG_LEVEL: 'warn' }, opts).config.logLevel).toBe('warn');
    expect(() => parseConfig(['--log-level=verbose'], env, opts)).toThrow(
      '--log-level must be one of error, warn, info, debug, got "verbose"',
    );
    expect(parseConfig([], { ...env, OLLAMA_LENS_LOG_LEVEL: 'DEBUG' }, opts).config.logLevel).toBe('debug');
    expect(() => parseConfig([], { ...env, OLLAMA_LENS_LOG_LEVEL: 'trace' }, opts)).toThrow('OLLAMA_LENS_LOG_LEVEL must be one of');
  });

  it('reads the alert channels: whole webhook URLs (token and query kept), a switch, validated kinds', () => {
    const { config } = parseConfig(
      ['--webhook', 'https://user:pw@hooks.example/x?token=abc', '--notify-macos', '--mute', 'partial_offload', '--ntfy=https://ntfy.sh/t'],
      { ...env, OLLAMA_LENS_MUTE: 'oom' },
      opts,
    );
    expect(config).toMatchObject({
      webhooks: ['https://user:pw@hooks.example/x?token=abc'],
      ntfy: ['https://ntfy.sh/t'],
      notifyMacos: true,
      mute: ['partial_offload'],
    });
    expect(parseConfig([], { ...env, OLLAMA_LENS_NOTIFY_MACOS: '0', OLLAMA_LENS_MUTE: 'oom,gpu_fallback' }, opts).config).toMatchObject({
      notifyMacos: false,
      mute: ['oom', 'gpu_fallback'],
    });
    expect(() => parseConfig(['--mute', 'everything'], env, opts)).toThrow('--mute must be an incident kind');
    expect(() => parseConfig(['--webhook', 'ftp://x'], env, opts)).toThrow('--webhook must be an http:// or https:// URL');
    expect(() => parseConfig([], { ...env, OLLAMA_LENS_NOTIFY_MACOS: 'maybe' }, opts)).toThrow(
      'OLLAMA_LENS_NOTIFY_MACOS must be true or false',
    );
  });

  it('reads the analysis settings, with a comma-separated list in the variable', () => {
    const { config } = parseConfig(
      ['--expect-mlx', 'qwen3.5:*', '--context-alert-ratio', '0.9'],
      { ...env, OLLAMA_LENS_EXPECT_MLX: 'x', OLLAMA_LENS_CONTEXT_ALERT_TOKENS: '32000' },
      opts,
    );
    expect(config.expectMlx).toEqual(['qwen3.5:*']);
    expect(config.contextAlertRatio).toBe(0.9);
    expect(config.contextAlertTokens).toBe(32000);
    expect(parseConfig([], { ...env, OLLAMA_LENS_EXPECT_MLX: 'qwen3.5:*,gemma3:*' }, opts).config.expectMlx).toEqual([
      'qwen3.5:*',
      'gemma3:*',
    ]);
  });

  it.each([
    [['--context-alert-ratio', '1.5'], /at most 1/],
    [['--context-alert-ratio', '0'], /above 0/],
    [['--context-alert-tokens', '-3'], /whole number/],
    [['--context-alert-tokens', '12k'], /whole number/],
    [['--backfill', 'some'], /all, none or a number of days/],
    [['--backfill', '0d'], /all, none or a number of days/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseConfig(argv, env, opts)).toThrow(msg);
  });

  it('offers only the analysis settings to analyze', () => {
    expect(() => parseConfig(['--port', '1'], env, { ...opts, scopes: ['analysis'] })).toThrow(/unknown option "--port"/);
    expect(parseConfig(['--expect-mlx', 'a'], env, { ...opts, scopes: ['analysis'] }).config.expectMlx).toEqual(['a']);
  });

  it('uses the Windows log location', () => {
    const { config } = parseConfig(
      [],
      { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', USERPROFILE: 'C:\\Users\\u' },
      { cwd: '/w', platform: 'win32' },
    );
    expect(config.logs[0]).toContain('Ollama');
    expect(config.logs[0]).toMatch(/server\.log$/);
  });

  it('takes flags over variables over defaults', () => {
    const { config, explicit } = parseConfig(
      ['--port', '9000', '--log=a.log', '--log', '/abs/b.log'],
      { ...env, OLLAMA_LENS_PORT: '8000', OLLAMA_LENS_HOST: '::1' },
      opts,
    );
    expect(config.port).toBe(9000);
    expect(config.host).toBe('::1');
    expect(config.logs).toEqual(['/work/a.log', '/abs/b.log']);
    expect([...explicit].sort()).toEqual(['host', 'logs', 'port']);
  });

  it('reads a list of logs from OLLAMA_LENS_LOG', () => {
    expect(parseConfig([], { ...env, OLLAMA_LENS_LOG: '/a.log:/b.log' }, opts).config.logs).toEqual(['/a.log', '/b.log']);
  });

  it('derives the Ollama URL from OLLAMA_HOST', () => {
    expect(parseConfig([], { ...env, OLLAMA_HOST: '0.0.0.0:11435' }, opts).config.ollama).toBe('http://127.0.0.1:11435');
    expect(parseConfig(['--ollama', 'http://gpu-box:11434/'], env, opts).config.ollama).toBe('http://gpu-box:11434');
  });

  it.each([
    [['--bogus'], 'unknown option "--bogus"'],
    [['--port', 'abc'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--port'], '--port needs a value'],
    [['--port', '--host'], '--port needs a value'],
    [['--ollama', 'ftp://x'], 'http:// or https://'],
    [['--ollama', 'not a url'], 'must be a URL'],
    [['--host', 'a', '--host', 'b'], 'more than once'],
    [['stray'], 'unexpected argument "stray"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseConfig(argv, env, opts)).toThrow(UsageError);
    expect(() => parseConfig(argv, env, opts)).toThrow(message);
  });

  it('refuses a bad variable, naming it', () => {
    expect(() => parseConfig([], { ...env, OLLAMA_LENS_PORT: 'x' }, opts)).toThrow('OLLAMA_LENS_PORT must be a port number');
  });

  it('recognises --help', () => {
    expect(parseConfig(['--help'], env, opts).help).toBe(true);
  });
});

describe('ollamaUrlFromHost', () => {
  it.each([
    [undefined, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    [':9999', 'http://127.0.0.1:9999'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['https://ollama.example', 'https://ollama.example:443'],
    ['http://[::]:11434', 'http://[::1]:11434'],
    ['myhost:1234', 'http://myhost:1234'],
  ])('%j → %s', (host, url) => {
    expect(ollamaUrlFromHost(host)).toBe(url);
  });
});

describe('optionsHelp', () => {
  it('lists every flag with its default and variable', () => {
    const help = optionsHelp(env, 'linux');
    for (const s of [
      '--log PATH',
      '--port N',
      '--host ADDR',
      '--data-dir DIR',
      '--ollama URL',
      'OLLAMA_LENS_LOG',
      'OLLAMA_LENS_PORT',
      'OLLAMA_LENS_HOST',
      'OLLAMA_LENS_DATA_DIR',
      'OLLAMA_LENS_OLLAMA',
      'default: 7878',
      'default: 127.0.0.1',
      '~/.ollama-lens',
    ]) {
      expect(help).toContain(s);
    }
  });
});
