// `--webhook URL`: one HTTP POST per notification, JSON or ntfy's plain-text format. Deliveries are
// sequential (see SerialQueue) and retried with backoff on failures that may pass (network, timeout,
// 5xx, 429); a 4xx other than 429 means the request itself is wrong, so it is not retried. Nothing
// here throws into the caller or logs per attempt: failures show in status() and, once per change of
// state, in the log (see ChannelHealth).
import type { AlertRecord, ChannelStatus } from '../../../shared/alerts.js';
import { log as agentLog } from '../../log.js';
import { readBounded } from '../../net/readBounded.js';
import { processSecrets, Redactor } from '../../secrets/Redactor.js';
import { ChannelHealth } from './ChannelHealth.js';
import type { ChannelLog, Notifier, NotifyEvent } from './Notifier.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retryPolicy.js';
import { SerialQueue } from './SerialQueue.js';
import { webhookRequest, type WebhookFormat, type WebhookRequest } from './webhookPayload.js';
import { parseWebhookUrl, type WebhookTarget } from './webhookTarget.js';

/** Runs `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface WebhookNotifierOptions {
  url: string;
  format: WebhookFormat;
  /** Base of the `link` to the alert, e.g. `http://127.0.0.1:7185`. */
  dashboardUrl: string;
  fetch?: typeof fetch;
  /** Per attempt, response body included. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  /** First backoff delay; doubles per retry. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Waiting plus in flight; beyond it the oldest waiting notification is dropped (counted failed). */
  maxPending?: number;
  /** How long close() keeps delivering before it drops what is left. */
  closeTimeoutMs?: number;
  now?: () => number;
  /** The timer behind backoff waits (not the request timeout, which is always real time). */
  schedule?: Schedule;
  log?: ChannelLog;
}

interface Job {
  request: WebhookRequest;
  /** `fire #12`, for drop messages. */
  label: string;
}

type Outcome = { kind: 'ok' } | { kind: 'retry'; error: string; retryAfterMs: number | null } | { kind: 'fatal'; error: string };

const ERROR_BODY_CHARS = 200;
/** What is read of an error reply: enough for ERROR_BODY_CHARS after whitespace is folded. */
const ERROR_BODY_BYTES = 4096;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  // A retry waiting an hour must not keep a finished process alive; close() is the orderly way out.
  timer.unref?.();
  return () => clearTimeout(timer);
};

export class WebhookNotifier implements Notifier {
  readonly name: string;
  private readonly target: WebhookTarget | null;
  private readonly health: ChannelHealth;
  private readonly queue: SerialQueue<Job>;
  private readonly fetchImpl: typeof fetch;
  private readonly format: WebhookFormat;
  private readonly dashboardUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  private readonly closeTimeoutMs: number;
  private readonly now: () => number;
  private readonly schedule: Schedule;
  /** Ends the current backoff wait early (close). */
  private wake: (() => void) | null = null;
  /** The request in flight, to abort when close() gives up waiting. */
  private inflight: AbortController | null = null;
  private abandoned = false;
  private readonly redactor = new Redactor();

  constructor(opts: WebhookNotifierOptions) {
    this.format = opts.format;
    this.dashboardUrl = opts.dashboardUrl;
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.retries = Math.max(0, opts.retries ?? 5);
    this.backoffMs = opts.backoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.random = opts.random ?? Math.random;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 3000;
    this.now = opts.now ?? Date.now;
    this.schedule = opts.schedule ?? realSchedule;
    const log = opts.log ?? ((line: string) => agentLog.warn(line));

    this.target = parseWebhookUrl(opts.url);
    // Its credentials are cut from this channel's errors and, process-wide, from every log line.
    this.redactor.add(...(this.target?.secrets ?? [opts.url]));
    processSecrets.add(...(this.target?.secrets ?? []));
    // The raw value is not shown: it failed to parse, so which part of it is a secret is unknown.
    this.name = this.target?.name ?? 'webhook:(invalid URL)';
    this.health = new ChannelHealth(this.name, log, this.now);
    this.queue = new SerialQueue<Job>({
      run: (job) => this.deliver(job),
      maxPending: opts.maxPending ?? 100,
      onDrop: (job, reason) => this.health.gaveUp(`${job.label} not delivered: ${reason}`),
    });
    // Said once at start rather than on every alert; the status keeps saying it.
    if (this.target === null) this.health.gaveUp('the --webhook value is not an absolute http(s) URL');
  }

  send(alert: AlertRecord, event: NotifyEvent): void {
    try {
      if (this.target === null) {
        this.health.gaveUp('the --webhook value is not an absolute http(s) URL');
        return;
      }
      const request = webhookRequest(this.format, alert, event, this.dashboardUrl);
      this.queue.push({ request, label: `${event} #${alert.id}` });
    } catch (err) {
      // A malformed record (or a bug in the payload code) costs this notification, not the caller.
      this.health.gaveUp(`could not build the request: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  status(): ChannelStatus {
    return this.health.status(this.queue.pending);
  }

  /** Resolves once nothing is pending (for tests and orderly shutdown). */
  whenIdle(): Promise<void> {
    return this.queue.idle();
  }

  close(): Promise<void> {
    // Pending notifications get one more attempt each, now, instead of waiting out their backoff.
    const closing = this.queue.close(this.closeTimeoutMs, () => {
      this.abandoned = true;
      this.inflight?.abort();
    });
    this.wake?.();
    return closing;
  }

  private async deliver(job: Job): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const duringClose = this.queue.closing;
      const outcome = await this.attempt(job.request);
      if (outcome.kind === 'ok') {
        this.health.delivered();
        return;
      }
      if (outcome.kind === 'fatal') {
        this.health.gaveUp(outcome.error);
        return;
      }
      if (attempt >= this.retries) {
        this.health.gaveUp(`${outcome.error} (gave up after ${attempt + 1} attempts)`);
        return;
      }
      this.health.retrying(outcome.error);
      if (this.queue.closing) {
        // Shutting down: one last attempt now, none after it, and no backoff wait either way.
        if (duringClose) {
          this.health.gaveUp(`${outcome.error} (not retried: shutting down)`);
          return;
        }
        continue;
      }
      const delay =
        outcome.retryAfterMs ?? backoffDelay(attempt, { backoffMs: this.backoffMs, maxBackoffMs: this.maxBackoffMs, random: this.random });
      await this.sleep(delay);
    }
  }

  private async attempt(request: WebhookRequest): Promise<Outcome> {
    const target = this.target as WebhookTarget;
    if (this.abandoned) return { kind: 'fatal', error: 'still pending at shutdown' };
    const controller = new AbortController();
    this.inflight = controller;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const headers: Record<string, string> = { ...request.headers };
      if (target.authorization !== null) headers['Authorization'] = target.authorization;
      const doFetch = this.fetchImpl;
      const res = await doFetch(target.requestUrl, {
        method: 'POST',
        headers,
        body: request.body,
        signal: controller.signal,
        // A followed 301/302 turns the POST into a GET (on ntfy, a poll of the topic) that still
        // answers 200: the notification would count as sent and never arrive. Say so instead.
        redirect: 'manual',
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => undefined);
        return { kind: 'ok' };
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => undefined);
        const where = res.headers.get('location');
        return {
          kind: 'fatal',
          error: this.shown(`HTTP ${res.status} from webhook: redirects are not followed${where ? `, use ${where}` : ''}`),
        };
      }
      const { text } = await readBounded(res, ERROR_BODY_BYTES).catch(() => ({ text: '' }));
      const snippet = oneLineSnippet(text);
      const error = this.shown(`HTTP ${res.status} from webhook: ${snippet === '' ? '(empty body)' : snippet}`);
      if (!isRetryableStatus(res.status)) return { kind: 'fatal', error };
      return { kind: 'retry', error, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now(), this.maxBackoffMs) };
    } catch (err) {
      if (timedOut) return { kind: 'retry', error: `webhook timed out after ${this.timeoutMs} ms`, retryAfterMs: null };
      if (this.abandoned) return { kind: 'fatal', error: 'still in flight at shutdown' };
      return { kind: 'retry', error: this.shown(`could not reach webhook: ${describeFetchError(err)}`), retryAfterMs: null };
    } finally {
      clearTimeout(timer);
      this.inflight = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = null;
        resolve();
      };
      const cancel = this.schedule(done, ms);
      this.wake = () => {
        cancel();
        done();
      };
    });
  }

  /** Error text without the URL's secrets (an error may quote the URL, a body may echo it). */
  private shown(text: string): string {
    return this.redactor.redact(text);
  }
}

/** The first `ERROR_BODY_CHARS` characters of a response body, on one line. */
function oneLineSnippet(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
}

/**
 * Node's fetch rejects with `TypeError: fetch failed` and the useful part in `cause`
 * (`connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND host`, `other side closed`).
 */
function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message !== '') return cause.message;
    if (cause !== undefined && typeof (cause as { code?: unknown }).code === 'string') return String((cause as { code: string }).code);
    return err.message;
  }
  return String(err);
}
