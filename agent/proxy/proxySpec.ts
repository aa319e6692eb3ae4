// `--proxy LISTEN=UPSTREAM`: where the proxy listens (where clients expect Ollama, usually
// 127.0.0.1:11434) and where Ollama really listens (moved with OLLAMA_HOST, e.g. 127.0.0.1:11435).

export interface HostPort {
  host: string;
  port: number;
}

export interface ProxySpec {
  listen: HostPort;
  upstream: HostPort;
}

/** `host:port`, `[v6]:port`, `:port` or `port`; an `http://` prefix is accepted on either side. */
function hostPort(raw: string, what: string): HostPort {
  let s = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'http') throw new Error(`${what} must be plain http (the proxy does not speak TLS), got "${raw}"`);
    s = s.slice(scheme[0].length);
  }
  s = s.replace(/\/+$/, '');
  const m = /^(?:(\[[0-9a-f:.]+\]|[a-z0-9.-]*):)?(\d{1,5})$/i.exec(s);
  if (!m) throw new Error(`${what} must be HOST:PORT such as 127.0.0.1:11434, got "${raw}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new Error(`${what} port must be from 1 to 65535, got "${raw}"`);
  let host = m[1] ?? '';
  if (host === '') host = '127.0.0.1';
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { host, port };
}

/** Parses `LISTEN=UPSTREAM`; throws an Error whose message is a one-line explanation. */
export function parseProxySpec(raw: string): ProxySpec {
  const eq = raw.indexOf('=');
  if (eq < 0) throw new Error(`expected LISTEN=UPSTREAM such as 127.0.0.1:11434=127.0.0.1:11435, got "${raw}"`);
  const listen = hostPort(raw.slice(0, eq), 'the proxy LISTEN address');
  const upstream = hostPort(raw.slice(eq + 1), 'the proxy UPSTREAM address');
  if (listen.port === upstream.port && sameHost(listen.host, upstream.host)) {
    throw new Error(`LISTEN and UPSTREAM are the same address (${formatHostPort(listen)}): move Ollama to another port with OLLAMA_HOST`);
  }
  return { listen, upstream };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const sameHost = (a: string, b: string): boolean => a === b || (LOOPBACK.has(a) && LOOPBACK.has(b));

export const formatHostPort = (h: HostPort): string => (h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`);

/** The normalised `LISTEN=UPSTREAM` text (what the config keeps). */
export const formatProxySpec = (s: ProxySpec): string => `${formatHostPort(s.listen)}=${formatHostPort(s.upstream)}`;

/** Ollama's API URL behind the proxy (what the agent itself polls). */
export const upstreamUrl = (s: ProxySpec): string => `http://${formatHostPort(s.upstream)}`;
