// Who may talk to the agent. A browser on this laptop visits arbitrary sites, and any of them can make
// it send requests to 127.0.0.1 — with a DNS-rebinding name as the Host (CVE-2024-28224 hit Ollama
// itself this way) or from a foreign page opening a WebSocket. So: only our own Host names, only our
// own Origins, and with a token, only requests that carry it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_COOKIE = 'ollama_lens_token';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

export interface AccessPolicy {
  /** The address the server is bound to (`--host`). */
  boundHost: string;
  /** The port actually listened on (known once listening; 0 until then accepts any). */
  port: () => number;
  /** `--token`; null = no token needed (loopback only). */
  token: string | null;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time: equal-length digests, so neither the token's length nor its prefix leaks. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(token));
}

/** `host[:port]` from a Host header, lower-cased, brackets kept for IPv6. */
function splitHost(value: string): { name: string; port: string | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  return m ? { name: m[1]!.toLowerCase(), port: m[2] ?? null } : null;
}

/** The Host names this agent answers to: loopback names when bound to loopback, else also the bound address. */
export function hostAllowed(hostHeader: string | undefined, p: AccessPolicy): boolean {
  if (!hostHeader) return false;
  const h = splitHost(hostHeader);
  if (!h) return false;
  const port = p.port();
  if (port !== 0 && h.port !== null && h.port !== String(port)) return false;
  const bound = p.boundHost.toLowerCase();
  const boundName = bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound;
  if (isLoopback(h.name) || h.name === boundName) return true;
  // Bound to all interfaces (token required then): any name the user reaches it by is theirs to choose.
  return (bound === '0.0.0.0' || bound === '::' || bound === '[::]') && p.token !== null;
}

/**
 * A browser's Origin: none (not a browser) or exactly ours — one of our Host names and our port. The
 * port is compared as the browser means it (absent = 80 or 443), so `http://localhost` is another
 * site on port 80, not us on 7878.
 */
export function originAllowed(origin: string | undefined, p: AccessPolicy): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== origin.toLowerCase().replace(/\/$/, '')) return false;
  const port = p.port();
  const effective = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (port !== 0 && effective !== String(port)) return false;
  return hostAllowed(url.host, p);
}

/** decodeURIComponent that answers null instead of throwing on malformed input (`%`, `%zz`, lone surrogates). */
export function tryDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * Our cookie's value, or null when absent or malformed. Total: this runs before authentication on
 * every request and upgrade, so whatever a client sends must come out as "no token", never a throw.
 */
export function cookieToken(cookieHeader: string | string[] | undefined): string | null {
  if (typeof cookieHeader !== 'string' || cookieHeader === '') return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== TOKEN_COOKIE) continue;
    return tryDecode(part.slice(eq + 1).trim());
  }
  return null;
}

export function bearerToken(authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m ? m[1]! : null;
}

/** For the WebSocket upgrade, which never reaches Hono: the same three checks on raw headers. */
export function upgradeRefusal(headers: IncomingHttpHeaders, p: AccessPolicy): string | null {
  try {
    return refusalOf(headers, p);
  } catch {
    // Unreachable by design (every parser above is total); if one ever throws, refuse rather than crash.
    return '400 Bad Request';
  }
}

function refusalOf(headers: IncomingHttpHeaders, p: AccessPolicy): string | null {
  if (!hostAllowed(headers.host, p)) return '403 Forbidden';
  if (!originAllowed(headers.origin, p)) return '403 Forbidden';
  if (p.token !== null) {
    const given = bearerToken(headers.authorization) ?? cookieToken(headers.cookie);
    if (!tokenMatches(given, p.token)) return '401 Unauthorized';
  }
  return null;
}
