// The transparent proxy: every method and path forwarded to Ollama with node:http, request bodies
// piped unchanged, responses written to the client chunk by chunk as they arrive (NDJSON and SSE
// streams stay streams), hop-by-hop headers (RFC 9110 §7.6.1) dropped and every other header kept as
// sent (case, order, repeats). A client that leaves cancels the upstream request, so Ollama stops
// generating. Recording is a side line (ExchangeRecording): a fault in the scanner or in `onRecord` is
// counted and swallowed, never a reason for a request to fail.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyStatus } from '../../shared/status.js';
import { ExchangeRecording, type ProxyRecord } from './ExchangeRecording.js';
import { endToEndHeaders, upstreamHeaders } from './proxyHeaders.js';
import { formatHostPort, type ProxySpec } from './proxySpec.js';

export interface ProxyServerOptions {
  spec: ProxySpec;
  onRecord: (rec: ProxyRecord) => void;
  /** Called when the status changed (upstream up/down, bound, errors). */
  onStatus?: () => void;
  /** Ollama stopped answering (once per outage). */
  onUpstreamDown?: (error: string) => void;
  log?: (line: string) => void;
}

const errorText = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ''}` : String(e?.message ?? err);
};

export class ProxyServer {
  private readonly server: http.Server;
  private readonly agent: http.Agent;
  private readonly upstream: string;
  private st: ProxyStatus;
  private bound: AddressInfo | null = null;

  constructor(private readonly opts: ProxyServerOptions) {
    this.upstream = formatHostPort(opts.spec.upstream);
    this.st = {
      listen: formatHostPort(opts.spec.listen),
      upstream: this.upstream,
      state: 'starting',
      upstreamState: 'unknown',
      lastError: null,
      lastErrorAt: null,
      forwarded: 0,
      upstreamErrors: 0,
      recordErrors: 0,
      merged: 0,
      proxyOnly: 0,
    };
    // Kept-alive, unlimited sockets to Ollama: a new TCP connection per request would cost more than
    // the whole proxy hop.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 64, noDelay: true });
    this.server = http.createServer({ noDelay: true, requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => this.handle(req, res));
    // A generation may run for many minutes; nothing here times it out.
    this.server.timeout = 0;
    this.server.headersTimeout = 60_000;
  }

  /** Binds LISTEN; rejects with a one-line reason (address in use, permission). */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.st = {
          ...this.st,
          state: 'error',
          lastError: `cannot listen on ${this.st.listen}: ${errorText(err)}`,
          lastErrorAt: new Date().toISOString(),
        };
        this.changed();
        reject(new Error(this.st.lastError!));
      };
      this.server.once('error', fail);
      this.server.listen(this.opts.spec.listen.port, this.opts.spec.listen.host, () => {
        this.server.off('error', fail);
        this.bound = this.server.address() as AddressInfo;
        this.st = { ...this.st, state: 'listening', listen: formatHostPort({ host: this.bound.address, port: this.bound.port }) };
        this.changed();
        resolve();
      });
    });
  }

  /** The bound port (LISTEN's, or the one picked for port 0). */
  get port(): number {
    return this.bound?.port ?? this.opts.spec.listen.port;
  }

  get url(): string {
    return `http://${formatHostPort({ host: this.opts.spec.listen.host, port: this.port })}`;
  }

  status(): ProxyStatus {
    return { ...this.st };
  }

  /** Counts a fault of the recording side (the recorder reports its own). */
  recordFault(err: unknown): void {
    this.st.recordErrors++;
    // The first and then every 100th: a full disk must not flood the terminal.
    if (this.st.recordErrors % 100 === 1) {
      this.opts.log?.(`proxy: recording failed (forwarding goes on; ${this.st.recordErrors} so far): ${errorText(err)}`);
      this.changed();
    }
  }

  noteStored(merged: boolean): void {
    if (merged) this.st.merged++;
    else this.st.proxyOnly++;
  }

  /** Stops accepting, cuts the requests still in flight (their upstream requests are cancelled). */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    this.agent.destroy();
  }

  private changed(): void {
    try {
      this.opts.onStatus?.();
    } catch {
      // A status listener's fault is not the proxy's.
    }
  }

  private upstreamUp(): void {
    if (this.st.upstreamState !== 'reachable') {
      this.st.upstreamState = 'reachable';
      this.changed();
    }
  }

  private upstreamDown(error: string): void {
    this.st.upstreamErrors++;
    const changed = this.st.upstreamState !== 'unreachable' || this.st.lastError !== error;
    const wasUp = this.st.upstreamState !== 'unreachable';
    this.st.upstreamState = 'unreachable';
    this.st.lastError = error;
    this.st.lastErrorAt = new Date().toISOString();
    if (changed) this.changed();
    // One incident per outage, not one per refused request.
    if (wasUp) {
      try {
        this.opts.onUpstreamDown?.(error);
      } catch {
        // Recording must never break forwarding.
      }
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // Node has taken the chunked layer off the body; any other transfer coding would still be on the
    // bytes, with nothing left to say so once re-chunked: refused rather than passed on altered.
    const te = req.headers['transfer-encoding'];
    if (te !== undefined && te.trim().toLowerCase() !== 'chunked') {
      req.resume();
      const body = JSON.stringify({
        error: `ollama-lens proxy: Transfer-Encoding "${te.slice(0, 100)}" is not supported; send the body with Content-Length or Transfer-Encoding: chunked`,
      });
      res.writeHead(400, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      });
      res.end(body);
      return;
    }
    this.st.forwarded++;
    const { spec } = this.opts;
    const rec = new ExchangeRecording(req, this.opts.onRecord, (err) => this.recordFault(err));
    let clientGone = false;

    req.on('data', (chunk: Buffer) => rec.requestChunk(chunk));

    const up = http.request({
      host: spec.upstream.host,
      port: spec.upstream.port,
      method: req.method,
      path: req.url,
      // Raw pairs: names keep their case and order, repeated headers stay repeated; with an array Node
      // adds no Host of its own, so Ollama sees the client's.
      headers: upstreamHeaders(req.rawHeaders, te !== undefined) as unknown as http.OutgoingHttpHeaders,
      agent: this.agent,
    });

    // The client left (cancelled a generation, closed the tab): Ollama must stop too.
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      up.destroy();
      rec.finish(true);
    });
    req.on('error', () => {
      clientGone = true;
      up.destroy();
    });

    up.on('error', (err) => {
      if (clientGone) return;
      if (!res.headersSent) {
        const error = `cannot reach Ollama at ${this.upstream}: ${errorText(err)}`;
        this.upstreamDown(error);
        rec.unreachable(error);
        // The rest of the request body is read and dropped, so the 502 reaches the client.
        req.unpipe(up);
        req.resume();
        const body = JSON.stringify({
          error: `ollama-lens proxy: ${error}. Is Ollama running with OLLAMA_HOST=${this.upstream}? (ollama-lens doctor --proxy … explains the setup)`,
        });
        res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body, () => rec.finish(false));
      } else {
        brokenMidway(err);
      }
    });
    // Ollama went away mid-response (a crashed runner, a restart): the client must see a broken
    // response, not a short one that looks complete.
    let broken = false;
    const brokenMidway = (err: unknown): void => {
      if (broken || clientGone) return;
      broken = true;
      this.upstreamDown(`Ollama at ${this.upstream} closed a response midway: ${errorText(err)}`);
      res.destroy();
      rec.finish(true);
    };

    up.on('response', (ur) => {
      this.upstreamUp();
      const status = ur.statusCode ?? 502;
      rec.response(status, ur.headers['content-type'], ur.headers['content-encoding']);
      res.writeHead(status, ur.statusMessage, endToEndHeaders(ur.rawHeaders));
      // Headers go out now, not with the first token: a client sees the stream open as Ollama opens it.
      res.flushHeaders();
      ur.on('data', (chunk: Buffer) => {
        rec.responseChunk(chunk);
        if (!res.write(chunk)) ur.pause();
      });
      res.on('drain', () => ur.resume());
      ur.on('end', () => {
        res.end(() => rec.finish(false));
      });
      ur.on('error', () => {
        // Handled on 'close' (or the client left first).
      });
      ur.on('close', () => {
        if (!ur.complete) brokenMidway(new Error('connection closed before the response ended'));
      });
    });

    req.pipe(up);
  }
}
