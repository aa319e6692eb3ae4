// A small client for the Ollama endpoints the agent reads. Every failure becomes an OllamaApiError
// whose message is a short reason fit for a status line (`ECONNREFUSED`, `timed out`,
// `HTTP 404 from /api/show`, `unexpected JSON from /api/ps`); bodies are validated by parseApi.ts.
import type { PsModel, ShowResponse, TagModel, VersionResponse } from './apiTypes.js';
import { readBounded } from '../net/readBounded.js';
import { parsePs, parseShow, parseTags, parseVersion } from './parseApi.js';

/** Largest answer read: /api/ps, /api/tags and a plain /api/show are kilobytes. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** A verbose /api/show carries the whole vocabulary (megabytes). */
export const MAX_VERBOSE_SHOW_BYTES = 64 * 1024 * 1024;
/** Of an error reply, only the first 200 characters of `error` are kept. */
const MAX_ERROR_BYTES = 4096;

export interface OllamaApiOptions {
  /** Base URL, e.g. `http://127.0.0.1:11434`. */
  url: string;
  fetch?: typeof fetch;
  /** Per request, headers and body together. */
  timeoutMs?: number;
}

export class OllamaApiError extends Error {
  override readonly name = 'OllamaApiError';
  constructor(
    /** Short reason, also the message. */
    readonly reason: string,
    readonly endpoint: string,
    /** HTTP status when Ollama answered with an error. */
    readonly status: number | null = null,
    /** Ollama's own `{"error": …}` text, when it sent one. */
    readonly detail: string | null = null,
  ) {
    super(reason);
  }
}

export class OllamaApi {
  readonly url: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(opts: OllamaApiOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  version(): Promise<VersionResponse> {
    return this.request('/api/version', parseVersion);
  }

  ps(): Promise<PsModel[]> {
    return this.request('/api/ps', parsePs);
  }

  tags(): Promise<TagModel[]> {
    return this.request('/api/tags', parseTags);
  }

  /**
   * POST /api/show. Both `model` and `name` are sent: Ollama before the `model` field only reads
   * `name`, later versions prefer `model`. `verbose` fills the per-layer arrays (and the whole
   * vocabulary, so it can be megabytes): only ask when needed.
   */
  show(name: string, opts: { verbose?: boolean } = {}): Promise<ShowResponse> {
    const body: Record<string, unknown> = { model: name, name };
    if (opts.verbose) body.verbose = true;
    return this.request('/api/show', parseShow, body, opts.verbose ? MAX_VERBOSE_SHOW_BYTES : MAX_ANSWER_BYTES);
  }

  private async request<T>(path: string, parse: (json: unknown) => T | null, body?: unknown, maxBytes = MAX_ANSWER_BYTES): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const init: RequestInit =
      body === undefined
        ? { signal }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal };
    let res: Response;
    try {
      res = await this.fetchFn(`${this.url}${path}`, init);
    } catch (err) {
      throw new OllamaApiError(networkReason(err, signal), path);
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      throw new OllamaApiError(`HTTP ${res.status} from ${path}`, path, res.status, detail);
    }
    let json: unknown;
    try {
      const { text, truncated } = await readBounded(res, maxBytes);
      if (truncated) throw new OllamaApiError(`answer from ${path} over ${Math.round(maxBytes / 1048576)} MB`, path);
      json = JSON.parse(text);
    } catch (err) {
      if (err instanceof OllamaApiError) throw err;
      // The timeout covers the body too: a stalled body is a timeout, not bad JSON.
      throw new OllamaApiError(signal.aborted ? 'timed out' : `unexpected JSON from ${path}`, path);
    }
    const parsed = parse(json);
    if (parsed === null) throw new OllamaApiError(`unexpected JSON from ${path}`, path);
    return parsed;
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from undici's `fetch failed` cause; `timed out` for our own abort. */
function networkReason(err: unknown, signal: AbortSignal): string {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } };
  if (e?.name === 'TimeoutError' || (signal.aborted && e?.name === 'AbortError')) return 'timed out';
  // Happy-eyeballs failures (localhost → ::1 and 127.0.0.1) arrive as an AggregateError cause.
  const code = e?.cause?.code ?? e?.cause?.errors?.[0]?.code ?? e?.code;
  if (typeof code === 'string' && code !== '') return code;
  return typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
}

/** Ollama's `{"error": "model 'x' not found"}`, trimmed; consuming the body also frees the socket. */
async function errorDetail(res: Response): Promise<string | null> {
  try {
    const { text } = await readBounded(res, MAX_ERROR_BYTES);
    let msg: unknown = text;
    try {
      msg = (JSON.parse(text) as { error?: unknown }).error ?? text;
    } catch {
      // not JSON: keep the text
    }
    return typeof msg === 'string' && msg.trim() !== '' ? msg.trim().slice(0, 200) : null;
  } catch {
    return null;
  }
}
