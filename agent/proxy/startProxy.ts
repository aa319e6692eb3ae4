// `--proxy LISTEN=UPSTREAM` in the running agent: the proxy server and its recorder, wired to the
// store and the bus. A proxy that cannot bind leaves the agent running (the log is still followed);
// its state and error show in /api/health.
import type { ProxyStatus } from '../../shared/status.js';
import type { Bus } from '../bus.js';
import type { Store } from '../store/Store.js';
import { ProxyRecorder, type ProxyRecorderOptions } from './ProxyRecorder.js';
import { ProxyServer } from './ProxyServer.js';
import { formatHostPort, parseProxySpec, type ProxySpec } from './proxySpec.js';
import { log as agentLog } from '../log.js';

export interface RunningProxy {
  status(): ProxyStatus;
  /** The proxy's own URL (what clients use instead of Ollama's). */
  url: string;
  /** Stops accepting, cuts requests in flight, writes the held records. Call before the database closes. */
  stop(): Promise<void>;
}

export interface StartProxyOptions {
  /** `LISTEN=UPSTREAM`, or an already parsed spec. */
  spec: string | ProxySpec;
  store: Store;
  bus: Bus;
  onStatus?: () => void;
  log?: (line: string) => void;
  holdMs?: number;
  /** Whether the log sources are read to their end (records wait for a log that is behind). */
  logCaughtUp?: () => boolean;
  /** The machine sample nearest a proxy-only row's end. */
  live?: ProxyRecorderOptions['live'];
}

export async function startProxy(o: StartProxyOptions): Promise<RunningProxy> {
  const spec = typeof o.spec === 'string' ? parseProxySpec(o.spec) : o.spec;
  const log = o.log ?? ((line: string) => agentLog.warn(line));
  const recorder = new ProxyRecorder({
    db: o.store.db,
    bus: o.bus,
    sourceId: o.store.resumePoint(`proxy:${formatHostPort(spec.listen)}`).sourceId,
    holdMs: o.holdMs,
    logCaughtUp: o.logCaughtUp,
    live: o.live,
    onStored: (merged) => {
      server.noteStored(merged);
      if (!merged) o.store.noteRequestsInserted(1);
    },
    onFault: (err) => server.recordFault(err),
  });
  const proxySource = o.store.resumePoint(`proxy:${formatHostPort(spec.listen)}`);
  const nextKey = o.store.db.prepare('SELECT COALESCE(MAX(key), 0) + 1 AS k FROM incidents WHERE source_id = ?');
  const server = new ProxyServer({
    spec,
    onRecord: (rec) => recorder.record(rec),
    onStatus: o.onStatus,
    // Persist, then publish: the incident reaches the alerts (upstream_down, critical) like any other.
    onUpstreamDown: (error) => {
      const now = new Date();
      const key = (nextKey.get(proxySource.sourceId) as { k: number }).k;
      const detail = `Ollama at http://${formatHostPort(spec.upstream)} did not answer the proxy (${error}); clients got 502`;
      const { incidents } = o.store.writeBatch(
        [
          {
            kind: 'incident',
            record: {
              key,
              at: now.toISOString(),
              ts: now.getTime(),
              kind: 'upstream_down',
              model: null,
              detail,
              loadKey: null,
              requestKey: null,
            },
          },
        ],
        o.store.resumePoint(proxySource.path),
        now.getTime(),
      );
      for (const incident of incidents) o.bus.publish({ type: 'incident', incident });
    },
    log,
  });
  try {
    await server.start();
    log(`proxy: ${server.url} → http://${formatHostPort(spec.upstream)} (exact token counts)`);
  } catch (err) {
    log(
      `proxy: ${(err as Error).message}. Is Ollama itself still listening there? Move it with OLLAMA_HOST=${formatHostPort(spec.upstream)} ` +
        '(ollama-lens doctor --proxy … shows how); the agent goes on without the proxy.',
    );
  }
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    status: () => server.status(),
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        recorder.stop();
      })()),
  };
}
