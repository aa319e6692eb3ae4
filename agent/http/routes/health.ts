import { Hono } from 'hono';
import type { AgentStatus } from '../../../shared/types.js';

/** `databaseDamage`: why the database cannot be trusted (a query found it damaged), null while fine. */
export function healthRoute(status: () => AgentStatus, databaseDamage: () => string | null = () => null): Hono {
  return new Hono().get('/', (c) => {
    const s = status();
    const damage = databaseDamage();
    return c.json({
      ok: damage === null && s.sources.every((src) => src.state !== 'error'),
      database: { ok: damage === null, error: damage },
      version: s.agentVersion,
      ollama: s.ollama,
      sources: s.sources.map(({ path, identity, state, offset, size, lagBytes, linesRead, unparsed, linesCut, lastError }) => ({
        path, identity, state, offset, size, lagBytes, linesRead, unparsed, linesCut, lastError,
      })),
      // A failing notification channel is visible here, never fatal.
      channels: s.channels,
      probes: s.probes,
      // `--proxy`: listening?, Ollama behind it reachable?, last error; null when the proxy is off.
      proxy: s.proxy ?? null,
      // The agent's own figures: lines/s over the last minute, parse errors, lag, WebSocket clients.
      self: s.self ?? null,
    });
  });
}
