// Reads the settings once, in order of precedence: flags, then OLLAMA_LENS_* variables, then defaults.
import { readFileSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { INCIDENT_KINDS, type IncidentKind } from '../../shared/records.js';
import { OPTIONS, type Config, type OptionScope, type OptionSpec } from './schema.js';
import { formatProxySpec, parseProxySpec, upstreamUrl } from '../proxy/proxySpec.js';
import { isLogLevel, LOG_LEVELS } from '../log.js';

/** A usage error: the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function convert(spec: OptionSpec, raw: string, origin: string, cwd: string): string | number | boolean {
  switch (spec.kind) {
    case 'switch':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new UsageError(`${origin} must be true or false, got "${raw}"`);
    case 'webhook': {
      // Kept whole: a webhook's path and query often carry its token.
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new UsageError(`${origin} must be a URL such as https://ntfy.sh/my-topic, got "${raw.slice(0, 80)}"`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${origin} must be an http:// or https:// URL`);
      return url.href;
    }
    case 'incidentKind':
      if (!INCIDENT_KINDS.includes(raw as IncidentKind)) {
        throw new UsageError(`${origin} must be an incident kind (${INCIDENT_KINDS.join(', ')}), got "${raw}"`);
      }
      return raw;
    case 'port': {
      if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
        throw new UsageError(`${origin} must be a port number from 0 to 65535, got "${raw}"`);
      }
      return Number(raw);
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new UsageError(`${origin} must be a URL such as http://127.0.0.1:11434, got "${raw}"`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new UsageError(`${origin} must be an http:// or https:// URL, got "${raw}"`);
      }
      return url.origin + url.pathname.replace(/\/+$/, '');
    }
    case 'path':
      if (raw.trim() === '') throw new UsageError(`${origin} needs a non-empty path`);
      return resolve(cwd, raw);
    case 'string':
      if (raw.trim() === '') throw new UsageError(`${origin} needs a non-empty value`);
      return raw.trim();
    case 'count':
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100_000_000) {
        throw new UsageError(`${origin} must be a whole number of tokens from 1 to 100000000, got "${raw}"`);
      }
      return Number(raw);
    case 'backfill':
      if (!/^(all|none|[1-9]\d{0,3}d)$/.test(raw))
        throw new UsageError(`${origin} must be all, none or a number of days such as 7d, got "${raw}"`);
      return raw;
    case 'seconds': {
      const n = Number(raw);
      if (!/^\d*\.?\d+$/.test(raw) || !(n >= 0.5 && n <= 3600))
        throw new UsageError(`${origin} must be a number of seconds from 0.5 to 3600, got "${raw}"`);
      return n;
    }
    case 'proxy':
      try {
        return formatProxySpec(parseProxySpec(raw));
      } catch (err) {
        throw new UsageError(`${origin}: ${(err as Error).message}`);
      }
    case 'logLevel': {
      const level = raw.trim().toLowerCase();
      if (!isLogLevel(level)) throw new UsageError(`${origin} must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      return level;
    }
    case 'days':
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 36_500) {
        throw new UsageError(`${origin} must be a whole number of days from 1 to 36500, got "${raw}"`);
      }
      return Number(raw);
    case 'megabytes':
      if (!/^\d+$/.test(raw) || Number(raw) > 10_000_000)
        throw new UsageError(`${origin} must be a whole number of megabytes (0: no cap), got "${raw}"`);
      return Number(raw);
    case 'ratio': {
      const n = Number(raw);
      if (!/^\d*\.?\d+$/.test(raw) || !(n > 0 && n <= 1))
        throw new UsageError(`${origin} must be a number above 0 and at most 1, such as 0.85, got "${raw}"`);
      return n;
    }
  }
}

export interface ParseResult {
  config: Config;
  /** Positional arguments, left for the command (e.g. `analyze FILE…`). */
  rest: string[];
  help: boolean;
  /** Settings given by a flag or a variable rather than defaulted. */
  explicit: Set<keyof Config>;
}

export function parseConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  {
    cwd = process.cwd(),
    platform = process.platform,
    allowPositional = false,
    scopes = ['agent', 'analysis'] as OptionScope[],
    readFile = (path: string): string => readFileSync(path, 'utf8'),
  } = {},
): ParseResult {
  const fromFlags = new Map<keyof Config, (string | number | boolean)[]>();
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      if (!allowPositional) throw new UsageError(`unexpected argument "${arg}" (see --help)`);
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = OPTIONS.find((o) => o.flag === name && scopes.includes(o.scope));
    if (!spec) throw new UsageError(`unknown option "${name}" (see --help)`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (spec.kind === 'switch') value = 'true';
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError(`${spec.flag} needs a value: ${spec.flag} ${spec.valueName}`);
      }
      i++;
    }
    const list = fromFlags.get(spec.key) ?? [];
    if (!spec.repeatable && list.length > 0) throw new UsageError(`${spec.flag} was given more than once`);
    list.push(convert(spec, value, spec.flag, cwd));
    fromFlags.set(spec.key, list);
  }

  const config = {} as Record<keyof Config, unknown>;
  const explicit = new Set<keyof Config>();
  for (const spec of OPTIONS) {
    const flagged = fromFlags.get(spec.key);
    const envRaw = env[spec.env];
    if (flagged || (envRaw !== undefined && envRaw !== '')) explicit.add(spec.key);
    if (flagged) {
      config[spec.key] = spec.repeatable ? flagged : flagged[0];
    } else if (envRaw !== undefined && envRaw !== '') {
      config[spec.key] = spec.repeatable
        ? envRaw
            .split(spec.listSeparator ?? delimiter)
            .filter((s) => s !== '')
            .map((s) => convert(spec, s, spec.env, cwd))
        : convert(spec, envRaw, spec.env, cwd);
    } else {
      config[spec.key] = spec.defaultValue(env, platform);
    }
  }
  // Only commands that serve need the token (`analyze` ignores the agent's settings).
  if (typeof config.tokenFile === 'string' && scopes.includes('agent')) {
    if (explicit.has('token')) {
      throw new UsageError('give the token one way: --token (OLLAMA_LENS_TOKEN) or --token-file (OLLAMA_LENS_TOKEN_FILE), not both');
    }
    config.token = readTokenFile(config.tokenFile, readFile);
  }
  // Behind the proxy, the agent asks Ollama itself, not the proxy (its own polls are not traffic).
  if (typeof config.proxy === 'string' && !explicit.has('ollama')) config.ollama = upstreamUrl(parseProxySpec(config.proxy));
  return { config: config as unknown as Config, rest, help, explicit };
}

/** The token is the file's first line, without surrounding blanks (an editor's newline is not part of it). */
function readTokenFile(path: string, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the token file ${path}${code ? ` (${code})` : ''}: --token-file needs a file holding the token`);
  }
  const token = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  if (token === '') throw new UsageError(`the token file ${path} is empty: its first line must be the token`);
  return token;
}
