// One log source's path through the pipeline: lines → logical lines → parser → correlator → store
// → bus. Rows and resume point (with the pipeline's state) are committed together; only then are the
// new rows published.
//
// Far behind a file (a first start on a large log), parsing and storing overlap: batches are parsed
// on the pipeline thread while the main thread stores the ones before them, each with the state
// and position it was cut at, so a kill at any moment loses and repeats nothing. Near the end of
// the log the batches are parsed here again, as they arrive: no thread hop on the live path.
import { requestDelta, type Bus } from '../bus.js';
import { DEFAULT_CORRELATOR_OPTIONS, type CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { errorText, log } from '../log.js';
import { LogPipeline } from './LogPipeline.js';
import { PipelineThread } from './PipelineThread.js';
import { fileState, restoreState, saveState } from './savedState.js';
import type { TailPosition } from '../source/FileTailer.js';
import { lineCount, linesOf, type LineBatch } from '../source/LogSource.js';
import type { FileMark } from '../source/readPlan.js';
import type { ResumePoint, Store } from '../store/Store.js';

/** Further behind than this, a file's batches are parsed on the pipeline thread. */
export const THREAD_BEHIND_BYTES = 8 * 1024 * 1024;
/** An idle pipeline thread ends after this; between two rotated files of a backlog it is kept. */
const THREAD_IDLE_MS = 2000;

export interface IngestorOptions {
  now?: () => number;
  /** Bytes behind the log from which the pipeline thread is used (THREAD_BEHIND_BYTES). */
  threadBehindBytes?: number;
  /** Where the pipeline thread's code is (tests). */
  workerFile?: URL;
}

export class SourceIngestor {
  private pipeline: LogPipeline;
  private cp: ResumePoint;
  /** The file's mtime at the resume point, kept in state_json beside the pipeline's state. */
  private readonly startMtimeMs: number | null;
  /** Files read before the resume point's, and how far (state_json too). */
  private readonly startSeen: FileMark[];
  private readonly now: () => number;
  private readonly threadBehindBytes: number;
  private thread: PipelineThread | null = null;
  /** Set when the thread could not start: everything is parsed here from then on. */
  private threadBroken = false;
  /** Batches handed to the thread and neither committed nor refused yet. */
  private inThread = 0;
  /** The first failure among them: every batch handed over before it settled is refused too. */
  private failure: Error | null = null;
  /** False while the thread's pipeline is ahead of this one (this one resumes from the resume point). */
  private pipelineCurrent = true;
  private threadUnparsed = 0;
  /** Ends an idle pipeline thread (a caught-up agent holds no extra thread and its memory). */
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    path: string,
    private readonly opts?: CorrelatorOptions,
    options: IngestorOptions = {},
  ) {
    this.cp = store.resumePoint(path);
    const saved = restoreState(this.cp.stateJson);
    this.pipeline = new LogPipeline(saved.pipeline, opts);
    this.startMtimeMs = saved.mtimeMs;
    this.startSeen = saved.seen;
    this.now = options.now ?? Date.now;
    this.threadBehindBytes = options.threadBehindBytes ?? THREAD_BEHIND_BYTES;
    if (options.workerFile) this.thread = new PipelineThread(opts ?? DEFAULT_CORRELATOR_OPTIONS, options.workerFile);
  }

  /** Where the source resumes: the resume point as the tailer takes it. */
  get position(): TailPosition {
    const pos: TailPosition = {
      identity: this.cp.identity,
      fingerprint: this.cp.fingerprint,
      offset: this.cp.offset,
      mtimeMs: this.startMtimeMs,
    };
    return this.startSeen.length > 0 ? { ...pos, seen: this.startSeen } : pos;
  }

  get resumePoint(): Readonly<ResumePoint> {
    return this.cp;
  }

  /** Lines of this source no parser rule recognised. */
  get unparsed(): number {
    return this.pipelineCurrent ? this.pipeline.unparsed : this.threadUnparsed;
  }

  /** Whether batches are being parsed on the pipeline thread right now. */
  get threaded(): boolean {
    return this.inThread > 0;
  }

  /**
   * A file source's batch: stored before this returns when near the end of the log; far behind it,
   * parsed on the pipeline thread and stored in order, the promise settling once it is committed.
   */
  accept(batch: LineBatch): void | Promise<void> {
    // Once the thread runs it keeps the batches up to the one that reaches the end of the log: the
    // last THREAD_BEHIND_BYTES parsed here, one after the other with their store, were an eighth of
    // a 64 MB backfill's time. A live append (nothing behind it) is parsed here, and ends the thread.
    const behind = batch.behind ?? 0;
    const far = this.thread?.running === true ? behind > 0 : behind > this.threadBehindBytes;
    if (this.inThread === 0 && (this.threadBroken || !far)) {
      if (this.thread?.running) void this.thread.close();
      this.ingest(batch);
      return;
    }
    // While the thread loads its code (a tenth of a second or more) the batches are parsed here:
    // this thread would only wait for it, and the first of a backlog's reads are its smallest.
    const thread = this.inThread > 0 ? this.thread : this.loadedThread();
    if (thread === null) {
      this.ingest(batch);
      return;
    }
    return this.viaThread(batch, thread);
  }

  /**
   * Starts the pipeline thread ahead of a backlog, and settles once it has loaded its code (or could
   * not: then every batch is parsed here from then on); far batches are parsed here until then.
   */
  startThread(): Promise<void> {
    if (this.threadBroken) return Promise.resolve();
    const broken = (err: unknown): void => {
      if (this.threadBroken) return;
      log.error(`cannot start the pipeline thread (${errorText(err)}); parsing on the main thread`);
      this.threadBroken = true;
    };
    const thread = (this.thread ??= new PipelineThread(this.opts ?? DEFAULT_CORRELATOR_OPTIONS));
    let loaded: Promise<void>;
    try {
      loaded = thread.start();
    } catch (err) {
      broken(err);
      return Promise.resolve();
    }
    // A thread started for a backlog that is then read here after all still ends.
    if (this.inThread === 0) this.endWhenIdle();
    return loaded.catch(broken);
  }

  /** Parses and stores one batch on this thread. Not while batches are on the pipeline thread. */
  ingest(batch: LineBatch): void {
    if (this.inThread > 0) throw new Error('a batch was handed over while earlier ones are still being parsed');
    if (!this.pipelineCurrent) this.resumeHere();
    const records: CorrelatedRecord[] = [];
    for (const line of linesOf(batch)) this.pipeline.push(line, records);
    try {
      this.commit(batch, records, saveState(this.pipeline.state, fileState(batch)));
    } catch (err) {
      // Not committed: the same lines will be read again, so the pipeline goes back to the state
      // committed with the last resume point (no copy of it needs taking before every batch).
      this.resumeHere();
      throw err;
    }
  }

  /** Ends the pipeline thread, if one runs. Batches still on it are refused (never committed). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.thread?.close();
  }

  /** The thread when it takes batches now, else null; starts it when it does not run (and is not broken). */
  private loadedThread(): PipelineThread | null {
    if (this.thread?.ready === true) return this.thread;
    if (this.thread?.running !== true && !this.threadBroken) void this.startThread();
    return null;
  }

  private endWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.thread?.close(), THREAD_IDLE_MS);
    this.idleTimer.unref();
  }

  /** Hands a batch to `thread`, which has loaded its code (startThread). */
  private async viaThread(batch: LineBatch, thread: PipelineThread): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.inThread === 0) {
      thread.reset(this.pipelineCurrent ? this.pipeline.state : restoreState(this.cp.stateJson).pipeline);
      this.pipelineCurrent = false;
    }
    this.inThread++;
    try {
      const parsed = await thread.parse(batch.lines, batch.raw, fileState(batch)).catch((err: Error) => {
        // The thread itself failed (not the store): later batches are parsed here.
        if (!this.threadBroken) log.error(`the pipeline thread failed (${errorText(err)}); parsing on the main thread`);
        this.threadBroken = true;
        throw err;
      });
      if (this.failure) throw this.failure;
      this.commit(batch, parsed.records, parsed.stateJson);
      this.threadUnparsed = parsed.unparsed;
    } catch (err) {
      this.failure ??= err as Error;
      throw this.failure;
    } finally {
      // The last of them settled: the source reads again from the resume point, with a thread whose
      // state is reset from it.
      if (--this.inThread === 0) {
        this.failure = null;
        this.endWhenIdle();
      }
    }
  }

  private commit(batch: LineBatch, records: readonly CorrelatedRecord[], stateJson: string): void {
    const next: ResumePoint = {
      ...this.cp,
      identity: batch.identity,
      fingerprint: batch.fingerprint,
      offset: batch.offset,
      linesRead: this.cp.linesRead + lineCount(batch),
      stateJson,
    };
    const result = this.store.writeBatch(records, next, this.now());
    this.cp = next;
    for (const load of result.loads) this.bus.publish({ type: 'load', load });
    for (const r of result.requests) this.bus.publish(requestDelta(r));
    for (const incident of result.incidents) this.bus.publish({ type: 'incident', incident });
  }

  /** This thread's pipeline continues from the state committed with the resume point. */
  private resumeHere(): void {
    this.pipeline.restore(restoreState(this.cp.stateJson).pipeline);
    this.pipelineCurrent = true;
  }
}
