// One exchange's recording, beside its forwarding: the request's size and its body's first 64 KiB (for
// `model` and `stream`), the response's status, size, first-byte time and scanned counters, made into
// one ProxyRecord when the exchange ends. A fault in the scanner or in `onRecord` goes to `fault`,
// never to the forwarding.
import type { IncomingMessage } from 'node:http';
import { pathWithoutQuery } from '../correlate/requestKind.js';
import { peekRequest, PEEK_BYTES } from './requestPeek.js';
import { emptyScan, ResponseScanner, scanModeFor, type ScanResult } from './ResponseScanner.js';

/** What the proxy saw of one request: no bodies, only their sizes, timings and counters. */
export interface ProxyRecord {
  /** Epoch ms when the request arrived and when its response finished (or the client left). */
  startedAt: number;
  endedAt: number;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  client: string;
  /** Request received → first response body byte from Ollama; null when none came. */
  ttfbMs: number | null;
  totalMs: number;
  requestBytes: number;
  responseBytes: number;
  /** The client disconnected before the response ended. */
  aborted: boolean;
  model: string | null;
  stream: boolean | null;
  scan: ScanResult;
  /** Ollama could not be reached (the proxy answered 502 itself). */
  upstreamError: string | null;
}

export class ExchangeRecording {
  private readonly t0 = performance.now();
  private readonly startedAt = Date.now();
  private requestBytes = 0;
  private readonly peek: Buffer[] = [];
  private peekBytes = 0;
  private responseBytes = 0;
  private ttfbMs: number | null = null;
  private status = 0;
  private scanner: ResponseScanner | null = null;
  private upstreamError: string | null = null;
  private finished = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly onRecord: (rec: ProxyRecord) => void,
    private readonly fault: (err: unknown) => void,
  ) {}

  requestChunk(chunk: Buffer): void {
    this.requestBytes += chunk.length;
    if (this.peekBytes < PEEK_BYTES) {
      const take = chunk.subarray(0, PEEK_BYTES - this.peekBytes);
      this.peek.push(Buffer.from(take));
      this.peekBytes += take.length;
    }
  }

  /** The proxy answered 502 itself: Ollama could not be reached. */
  unreachable(error: string): void {
    this.status = 502;
    this.upstreamError = error;
  }

  /** Ollama's response began; its body is scanned when its type is one the scanner reads. */
  response(status: number, contentType: string | undefined, contentEncoding: string | undefined): void {
    this.status = status;
    try {
      const mode = scanModeFor(contentType, contentEncoding);
      this.scanner = mode === 'off' ? null : new ResponseScanner(mode);
    } catch (err) {
      this.fault(err);
    }
  }

  responseChunk(chunk: Buffer): void {
    if (this.ttfbMs === null) this.ttfbMs = performance.now() - this.t0;
    this.responseBytes += chunk.length;
    if (this.scanner) {
      try {
        this.scanner.push(chunk);
      } catch (err) {
        this.scanner = null;
        this.fault(err);
      }
    }
  }

  /** The exchange ended (`aborted`: the client left, or Ollama broke off the response); only the first call records. */
  finish(aborted: boolean): void {
    if (this.finished) return;
    this.finished = true;
    try {
      let scan = emptyScan();
      if (this.scanner) {
        try {
          scan = this.scanner.end();
        } catch (err) {
          this.fault(err);
        }
      }
      const { req, requestBytes, peekBytes } = this;
      const body = peekRequest(peekBytes > 0 ? Buffer.concat(this.peek, peekBytes) : Buffer.alloc(0), requestBytes === peekBytes);
      const totalMs = performance.now() - this.t0;
      this.onRecord({
        startedAt: this.startedAt,
        endedAt: this.startedAt + Math.round(totalMs),
        method: req.method ?? 'GET',
        path: pathWithoutQuery(req.url ?? '/'),
        status: this.status,
        client: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        ttfbMs: this.ttfbMs,
        totalMs,
        requestBytes,
        responseBytes: this.responseBytes,
        aborted,
        model: body.model,
        stream: body.stream,
        scan,
        upstreamError: this.upstreamError,
      });
    } catch (err) {
      this.fault(err);
    }
  }
}
