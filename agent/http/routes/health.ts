import { Hono } from 'hono';
import type { AgentStatus } from '../../../shared/status.js';
import { processSecrets } from '../../secrets/Redactor.js';

/** Errors quote outside text (a URL, a reply): the process's secrets are cut from each, whoever wrote it. */
const shown = (error: string | null | undefined): string | null => (typeof error === 'string' ? processSecrets.redact(error) : null);

/** `databaseDamage`: why the database cannot be trusted (a query found it damaged), null while fine. */
export function healthRoute(status: () => AgentStatus, databaseDamage: () => string | null = () => null): Hono {
  return new Hono().get('/', (c) => {
    const s = status();
    const damage = databaseDamage();
    return c.json({
      ok: damage === null && s.sources.every((src) => src.state !== 'error'),
      database: { ok: damage === null, error: damage },
      version: s.agentVersion,
      ollama: { ...s.ollama, lastError: shown(s.ollama.lastError) },
      sources: s.sources.map(({ path, identity, state, offset, size, lagBytes, linesRead, unparsed, linesCut, lastError }) => ({
        path,
        identity,
        state,
        offset,
        size,
        lagBytes,
        linesRead,
        unparsed,
        linesCut,
        lastError: shown(lastError),
      })),
      // A failing notification channel is visible here, never fatal.
      channels: s.channels.map((ch) => ({ ...ch, lastError: shown(ch.lastError) })),
      probes: s.probes,
      // `--proxy`: listening?, Ollama behind it reachable?, last error; null when the proxy is off.
      proxy: s.proxy ? { ...s.proxy, lastError: shown(s.proxy.lastError) } : null,
      // The agent's own figures: lines/s over the last minute, parse errors, lag, WebSocket clients.
      self: s.self ?? null,
    });
  });
}
