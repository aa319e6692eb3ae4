// Listening beyond this machine without a token would hand the dashboard, the API and everything
// Ollama's log reveals to anyone on the network: refused before anything starts.
import { isLoopback } from './accessGuard.js';
import { UsageError } from '../config/parseConfig.js';
import type { Config } from '../config/schema.js';

export const MIN_TOKEN_LENGTH = 16;

export function assertSafeExposure(config: Pick<Config, 'host' | 'token'>): void {
  if (config.token !== null && config.token.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`--token must be at least ${MIN_TOKEN_LENGTH} characters (try: openssl rand -hex 16)`);
  }
  if (!isLoopback(config.host) && config.token === null) {
    throw new UsageError(
      `--host ${config.host} would expose ollama-lens beyond this machine without a token; add --token TOKEN (or OLLAMA_LENS_TOKEN), e.g. --token $(openssl rand -hex 16)`,
    );
  }
}

/** The address to open: with a token, the one-time `?token=` that sets the browser's cookie. */
export function dashboardUrl(base: string, token: string | null): string {
  return token === null ? base : `${base}/?token=${encodeURIComponent(token)}`;
}

/**
 * The banner's dashboard line. The `?token=` URL is printed only to a terminal: a service's stdout
 * goes to its log (journald, launchd's file), readable by more people than the token is meant for.
 */
export function dashboardLine(base: string, token: string | null, toTerminal: boolean): string {
  if (token === null || toTerminal) return dashboardUrl(base, token);
  return `${base}  (token required: open ${base}/?token=TOKEN once, TOKEN being your --token / OLLAMA_LENS_TOKEN)`;
}
