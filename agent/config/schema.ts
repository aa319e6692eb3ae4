// The one description of every setting: its flag, its OLLAMA_LENS_* variable, its default and its
// help text. Parsing, validation and `--help` are all derived from this table.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LogLevel } from '../log.js';

export interface Config {
  logs: string[];
  port: number;
  host: string;
  dataDir: string;
  ollama: string;
  expectMlx: string[];
  /** `all`, `none`, or a number of days (`7d`): how much of the existing logs a first start reads. */
  backfill: string;
  /** systemd units whose journal to follow (Linux), e.g. `ollama`. */
  journal: string[];
  contextAlertTokens: number;
  contextAlertRatio: number;
  /** Seconds between memory polls. */
  memoryInterval: number;
  /** Seconds between /api/ps polls while Ollama answers. */
  ollamaInterval: number;
  /** URLs that get a JSON POST for every alert notification. */
  webhooks: string[];
  /** ntfy topic URLs (plain-text publish with ntfy's headers). */
  ntfy: string[];
  /** Native macOS notifications through osascript (opt-in). */
  notifyMacos: boolean;
  /** Incident kinds that never become alerts. */
  mute: string[];
  /** Required by every request when set; mandatory for a non-loopback --host. */
  token: string | null;
  /** A file holding the token (read at start into `token`): keeps it out of the process list. */
  tokenFile: string | null;
  /** `LISTEN=UPSTREAM` of the optional transparent proxy (exact token counts), null when off. */
  proxy: string | null;
  /** Least severe level written to stderr: error, warn, info or debug. */
  logLevel: LogLevel;
  /** Days each retention tier is kept: raw requests, minute rollups, hour rollups, raw memory samples. */
  retentionRequestsDays: number;
  retentionMinutesDays: number;
  retentionHoursDays: number;
  retentionMemoryDays: number;
  /** Database size cap in MB (0: no cap); over it the oldest raw requests, then minute rollups, go first. */
  maxDbMb: number;
}

export type OptionKind =
  | 'string'
  | 'port'
  | 'url'
  | 'path'
  | 'count'
  | 'ratio'
  | 'backfill'
  | 'seconds'
  | 'webhook'
  | 'switch'
  | 'incidentKind'
  | 'proxy'
  | 'logLevel'
  | 'days'
  | 'megabytes';

/** `agent` settings serve the daemon; `analysis` settings also shape what `analyze` reports. */
export type OptionScope = 'agent' | 'analysis';

export interface OptionSpec {
  key: keyof Config;
  flag: string;
  env: string;
  kind: OptionKind;
  repeatable?: boolean;
  /** How the variable separates a repeatable list; the OS path delimiter by default. */
  listSeparator?: string;
  scope: OptionScope;
  valueName: string;
  help: string;
  /** Default value given the process environment (never read again after start). */
  defaultValue: (env: NodeJS.ProcessEnv, platform: NodeJS.Platform) => Config[keyof Config];
  /** Human form of the default for --help. */
  defaultLabel: (env: NodeJS.ProcessEnv, platform: NodeJS.Platform) => string;
}

export function defaultLogPaths(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return [join(local, 'Ollama', 'server.log')];
  }
  // macOS app and Linux installs that redirect to a file both use ~/.ollama/logs/server.log; a
  // systemd install's journal is `--journal ollama`, chosen on its own when this file is missing
  // (autoJournal.ts).
  return [join(home, '.ollama', 'logs', 'server.log')];
}

/** `OLLAMA_HOST` may be `host`, `host:port`, `:port` or a full URL, as Ollama itself accepts. */
export function ollamaUrlFromHost(hostEnv: string | undefined): string {
  const fallback = 'http://127.0.0.1:11434';
  if (!hostEnv || hostEnv.trim() === '') return fallback;
  let raw = hostEnv.trim();
  let scheme = 'http';
  const m = /^(https?):\/\//i.exec(raw);
  if (m) {
    scheme = m[1]!.toLowerCase();
    raw = raw.slice(m[0].length);
  }
  raw = raw.replace(/\/+$/, '');
  let host = raw;
  let port = scheme === 'https' ? '443' : '11434';
  const hp = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(raw);
  if (hp) {
    host = hp[1] ?? '';
    if (hp[2]) port = hp[2];
  }
  // Ollama listening on all interfaces is still reached on loopback from the same machine.
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  if (host === '[::]') host = '[::1]';
  return `${scheme}://${host}:${port}`;
}

export const OPTIONS: OptionSpec[] = [
  {
    key: 'logs',
    scope: 'agent',
    flag: '--log',
    env: 'OLLAMA_LENS_LOG',
    kind: 'path',
    repeatable: true,
    valueName: 'PATH',
    help: 'Ollama server log to follow (repeatable; the variable takes a list separated by the OS path delimiter)',
    defaultValue: (env, platform) => defaultLogPaths(env, platform),
    defaultLabel: (env, platform) => defaultLogPaths(env, platform).join(', '),
  },
  {
    key: 'port',
    scope: 'agent',
    flag: '--port',
    env: 'OLLAMA_LENS_PORT',
    kind: 'port',
    valueName: 'N',
    help: 'port of the dashboard, HTTP API and WebSocket (0 picks a free one)',
    defaultValue: () => 7878,
    defaultLabel: () => '7878',
  },
  {
    key: 'host',
    scope: 'agent',
    flag: '--host',
    env: 'OLLAMA_LENS_HOST',
    kind: 'string',
    valueName: 'ADDR',
    help: 'address to listen on',
    defaultValue: () => '127.0.0.1',
    defaultLabel: () => '127.0.0.1',
  },
  {
    key: 'token',
    scope: 'agent',
    flag: '--token',
    env: 'OLLAMA_LENS_TOKEN',
    kind: 'string',
    valueName: 'TOKEN',
    help: 'require this token on every request (Authorization: Bearer TOKEN, or open the printed URL once); needed when --host is not loopback',
    defaultValue: () => null,
    defaultLabel: () => 'none (loopback only)',
  },
  {
    key: 'tokenFile',
    scope: 'agent',
    flag: '--token-file',
    env: 'OLLAMA_LENS_TOKEN_FILE',
    kind: 'path',
    valueName: 'PATH',
    help: 'read the token from this file (its first line; keep it mode 0600) instead of --token, which any local user can see in the process list',
    defaultValue: () => null,
    defaultLabel: () => 'none',
  },
  {
    key: 'dataDir',
    scope: 'agent',
    flag: '--data-dir',
    env: 'OLLAMA_LENS_DATA_DIR',
    kind: 'path',
    valueName: 'DIR',
    help: 'where the SQLite database is kept',
    defaultValue: (env) => join(env.HOME ?? env.USERPROFILE ?? homedir(), '.ollama-lens'),
    defaultLabel: () => '~/.ollama-lens',
  },
  {
    key: 'ollama',
    scope: 'agent',
    flag: '--ollama',
    env: 'OLLAMA_LENS_OLLAMA',
    kind: 'url',
    valueName: 'URL',
    help: "Ollama's HTTP API",
    defaultValue: (env) => ollamaUrlFromHost(env.OLLAMA_HOST),
    defaultLabel: () => 'from OLLAMA_HOST, else http://127.0.0.1:11434',
  },
  {
    key: 'backfill',
    scope: 'agent',
    flag: '--backfill',
    env: 'OLLAMA_LENS_BACKFILL',
    kind: 'backfill',
    valueName: 'all|none|Nd',
    help: 'on the first start, how much of the existing logs to read: all of them (rotated ones oldest first), none (only new lines), or the last N days',
    defaultValue: () => 'all',
    defaultLabel: () => 'all',
  },
  {
    key: 'journal',
    scope: 'agent',
    flag: '--journal',
    env: 'OLLAMA_LENS_JOURNAL',
    kind: 'string',
    repeatable: true,
    listSeparator: ',',
    valueName: 'UNIT',
    help: 'follow the systemd journal of this unit (Linux installs log there), e.g. ollama (repeatable)',
    defaultValue: () => [],
    defaultLabel: () => 'none; on Linux, ollama when the default log file does not exist and the ollama unit is installed',
  },
  {
    key: 'memoryInterval',
    scope: 'agent',
    flag: '--memory-interval',
    env: 'OLLAMA_LENS_MEMORY_INTERVAL',
    kind: 'seconds',
    valueName: 'S',
    help: 'seconds between memory polls (pressure, swap, Ollama footprint)',
    defaultValue: () => 5,
    defaultLabel: () => '5',
  },
  {
    key: 'ollamaInterval',
    scope: 'agent',
    flag: '--ollama-interval',
    env: 'OLLAMA_LENS_OLLAMA_INTERVAL',
    kind: 'seconds',
    valueName: 'S',
    help: "seconds between polls of Ollama's /api/ps (loaded models); backs off up to 60 s while Ollama is down",
    defaultValue: () => 3,
    defaultLabel: () => '3',
  },
  {
    key: 'webhooks',
    scope: 'agent',
    flag: '--webhook',
    env: 'OLLAMA_LENS_WEBHOOK',
    kind: 'webhook',
    repeatable: true,
    listSeparator: ' ',
    valueName: 'URL',
    help: 'POST every alert (fired, reminder, resolved) as JSON to this URL, retried with backoff (repeatable; the variable takes a space-separated list)',
    defaultValue: () => [],
    defaultLabel: () => 'none',
  },
  {
    key: 'ntfy',
    scope: 'agent',
    flag: '--ntfy',
    env: 'OLLAMA_LENS_NTFY',
    kind: 'webhook',
    repeatable: true,
    listSeparator: ' ',
    valueName: 'URL',
    help: 'publish every alert to this ntfy topic URL, e.g. https://ntfy.sh/my-topic (plain text with ntfy headers; repeatable)',
    defaultValue: () => [],
    defaultLabel: () => 'none',
  },
  {
    key: 'notifyMacos',
    scope: 'agent',
    flag: '--notify-macos',
    env: 'OLLAMA_LENS_NOTIFY_MACOS',
    kind: 'switch',
    valueName: '',
    help: 'also show alerts as macOS notifications (osascript); ignored on other systems',
    defaultValue: () => false,
    defaultLabel: () => 'off',
  },
  {
    key: 'mute',
    scope: 'agent',
    flag: '--mute',
    env: 'OLLAMA_LENS_MUTE',
    kind: 'incidentKind',
    repeatable: true,
    listSeparator: ',',
    valueName: 'KIND',
    help: 'never raise alerts of this incident kind, e.g. partial_offload (repeatable; the variable takes a comma-separated list)',
    defaultValue: () => [],
    defaultLabel: () => 'none',
  },
  {
    key: 'proxy',
    scope: 'agent',
    flag: '--proxy',
    env: 'OLLAMA_LENS_PROXY',
    kind: 'proxy',
    valueName: 'LISTEN=UPSTREAM',
    help:
      'sit in front of Ollama as a transparent proxy for exact token counts, e.g. 127.0.0.1:11434=127.0.0.1:11435 with Ollama moved to 11435 ' +
      '(OLLAMA_HOST); `ollama-lens doctor --proxy …` explains the setup. --ollama then defaults to UPSTREAM',
    defaultValue: () => null,
    defaultLabel: () => 'off',
  },
  {
    key: 'logLevel',
    scope: 'agent',
    flag: '--log-level',
    env: 'OLLAMA_LENS_LOG_LEVEL',
    kind: 'logLevel',
    valueName: 'LEVEL',
    help: 'least severe messages written to stderr: error, warn, info or debug (one line each: time, level, message)',
    defaultValue: () => 'info',
    defaultLabel: () => 'info',
  },
  {
    key: 'retentionRequestsDays',
    scope: 'agent',
    flag: '--retention-requests-days',
    env: 'OLLAMA_LENS_RETENTION_REQUESTS_DAYS',
    kind: 'days',
    valueName: 'N',
    help: 'days raw requests (and their proxy measurements) are kept; charts over older windows use the rollups',
    defaultValue: () => 30,
    defaultLabel: () => '30',
  },
  {
    key: 'retentionMinutesDays',
    scope: 'agent',
    flag: '--retention-minutes-days',
    env: 'OLLAMA_LENS_RETENTION_MINUTES_DAYS',
    kind: 'days',
    valueName: 'N',
    help: 'days per-minute rollups are kept (windows up to 24 h are drawn from them)',
    defaultValue: () => 90,
    defaultLabel: () => '90',
  },
  {
    key: 'retentionHoursDays',
    scope: 'agent',
    flag: '--retention-hours-days',
    env: 'OLLAMA_LENS_RETENTION_HOURS_DAYS',
    kind: 'days',
    valueName: 'N',
    help: 'days per-hour request and memory rollups are kept; loads, incidents and resolved alerts are kept as long',
    defaultValue: () => 730,
    defaultLabel: () => '730 (2 years)',
  },
  {
    key: 'retentionMemoryDays',
    scope: 'agent',
    flag: '--retention-memory-days',
    env: 'OLLAMA_LENS_RETENTION_MEMORY_DAYS',
    kind: 'days',
    valueName: 'N',
    help: 'days raw memory samples are kept; each hour is rolled up first, so longer memory charts show hourly points',
    defaultValue: () => 7,
    defaultLabel: () => '7',
  },
  {
    key: 'maxDbMb',
    scope: 'agent',
    flag: '--max-db-mb',
    env: 'OLLAMA_LENS_MAX_DB_MB',
    kind: 'megabytes',
    valueName: 'MB',
    help: 'cap on the database size: above it the oldest raw requests, then minute rollups, are deleted until 10% under (0: no cap)',
    defaultValue: () => 2048,
    defaultLabel: () => '2048',
  },
  {
    key: 'expectMlx',
    scope: 'analysis',
    flag: '--expect-mlx',
    env: 'OLLAMA_LENS_EXPECT_MLX',
    kind: 'string',
    repeatable: true,
    listSeparator: ',',
    valueName: 'GLOB',
    help: 'model expected to run on MLX, e.g. "qwen3.5:*" (repeatable; the variable takes a comma-separated list); anything else serving it is an mlx_fallback',
    defaultValue: () => [],
    defaultLabel: () => 'none (OLLAMA_USE_MLX in the server config still counts)',
  },
  {
    key: 'contextAlertTokens',
    scope: 'analysis',
    flag: '--context-alert-tokens',
    env: 'OLLAMA_LENS_CONTEXT_ALERT_TOKENS',
    kind: 'count',
    valueName: 'N',
    help: 'context_near_limit fires when a request uses this many context tokens…',
    defaultValue: () => 90_000,
    defaultLabel: () => '90000',
  },
  {
    key: 'contextAlertRatio',
    scope: 'analysis',
    flag: '--context-alert-ratio',
    env: 'OLLAMA_LENS_CONTEXT_ALERT_RATIO',
    kind: 'ratio',
    valueName: 'R',
    help: '…or this share of its context window, whichever is smaller',
    defaultValue: () => 0.85,
    defaultLabel: () => '0.85',
  },
];
