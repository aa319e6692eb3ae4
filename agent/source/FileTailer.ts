// Follows one log file: NameWatch says "something changed", we read the appended bytes from our
// own offset and hand complete lines over in batches. Nothing is polled while the file is quiet.
// The offset only moves forward after `onBatch` returns, i.e. after the rows are committed.
//
// The position names the file being read by identity, not by name: when the followed name points
// at another file (Ollama's rename rotation, while running or while stopped), that file is looked
// for among the rotated siblings, finished, and every newer file is read from its start, oldest
// first, before following the name again. See readPlan.ts for the rules.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceStatus } from '../../shared/status.js';
import { fingerprintOfHead, headMatches, identityOf, readHead } from './fileIdentity.js';
import {
  isResumeFile,
  parseBackfill,
  planFirstStart,
  planResume,
  rememberLeft,
  skipSeen,
  type Backfill,
  type ReadPlan,
  type ReadStep,
  type TailPosition,
} from './readPlan.js';
import { endOfLastLine, READ_BYTES, readLines, type LongLineScan } from './readLines.js';
import { describeFile, listRotated } from './rotatedFiles.js';
import { CommitWindow } from './CommitWindow.js';
import { NameWatch } from './NameWatch.js';

export type { TailPosition } from './readPlan.js';
export type { LineBatch } from './LogSource.js';
import { lineCount, type LineBatch, type SourceOptions } from './LogSource.js';

// onBatch is widened here (a promise is awaited in order), so it is left out of the base rather than overridden.
export interface FileTailerOptions extends Omit<SourceOptions, 'onBatch'> {
  path: string;
  /**
   * May also answer with a promise that settles once the batch is committed: the tailer then reads
   * on, up to PENDING_BATCHES ahead, and moves its position as each one resolves, in order. After
   * a rejection every batch handed over after it must reject too.
   */
  onBatch: (batch: LineBatch) => void | Promise<void>;
  /** Batches of complete lines come as their bytes (`raw`, `unsplit`), `lines` left empty: see linesOf. */
  unsplit?: boolean;
  /** How often to look for a missing parent directory (chokidar cannot watch inside one that does not exist). */
  dirPollMs?: number;
}

type Outcome = 'done' | 'replan' | 'failed' | 'stopped';

/** Plans overtaken by renames in a row before backing off to a retry. */
const MAX_REPLANS = 20;
/** Batches (of up to READ_BYTES) read ahead of the last commit when the consumer stores asynchronously. */
export const PENDING_BATCHES = 4;

export class FileTailer {
  private pos: TailPosition;
  private readonly backfill: Backfill;
  /** No resume point and the first plan has not run to its end: `backfill` still decides. */
  private backfillPending: boolean;
  private readonly watch: NameWatch;
  private retryTimer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly buf: Buffer;
  private readonly scan: LongLineScan = { key: null, scannedTo: 0 };
  /** A non-fatal fact worth showing until something else goes wrong: a file lost before it was read. */
  private notice: string | null = null;
  private st: Pick<SourceStatus, 'state' | 'size' | 'lastError' | 'linesRead' | 'linesCut'> & { pending: number } = {
    state: 'waiting',
    size: null,
    lastError: null,
    linesRead: 0,
    linesCut: 0,
    pending: 0,
  };

  constructor(private readonly opts: FileTailerOptions) {
    this.pos = { ...opts.start };
    // Not zero-filled: only bytes just read are ever looked at, and pages never read into stay unused.
    this.buf = Buffer.allocUnsafeSlow(READ_BYTES);
    this.backfill = parseBackfill(opts.backfill);
    this.backfillPending = opts.start.identity === null;
    this.st.linesRead = opts.linesRead ?? 0;
    this.watch = new NameWatch(
      opts.path,
      {
        change: () => this.kick(),
        // A file that already exists may have grown, or been rotated, while we were not running.
        ready: async () => {
          this.kick();
          await this.idle();
        },
        waiting: () => this.setState('waiting', null),
        error: (message) => this.setState('error', message),
      },
      opts.dirPollMs,
    );
  }

  get path(): string {
    return this.opts.path;
  }

  /** The file's side of the source status; the ingestor adds what parsing found. */
  status(): Omit<SourceStatus, 'unparsed'> {
    const { size } = this.st;
    return {
      path: this.opts.path,
      identity: this.pos.identity,
      linesCut: this.st.linesCut,
      state: this.st.state,
      offset: this.pos.offset,
      size,
      // What is left of the file being read, and of the newer ones queued after it.
      lagBytes: size === null ? null : Math.max(0, size - this.pos.offset) + this.st.pending,
      linesRead: this.st.linesRead,
      lastError: this.st.lastError ?? this.notice,
    };
  }

  /** Resolves once the file's current bytes are read, or at once while its directory is missing. */
  async start(): Promise<void> {
    await this.watch.start();
  }

  /** Resolves when no read is in flight; lets tests and shutdown wait for the current burst. */
  async idle(): Promise<void> {
    while (this.reading) await this.reading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.watch.stop();
    await this.idle();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      let replans = 0;
      do {
        this.again = false;
        if ((await this.readAvailable()) !== 'replan') continue;
        if (++replans > MAX_REPLANS) {
          this.scheduleRetry();
          break;
        }
        this.again = true;
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.reading = null;
    });
  }

  private async readAvailable(): Promise<Outcome> {
    let plan: ReadPlan & { live: boolean };
    try {
      plan = await this.plan();
    } catch (err) {
      this.setState('error', `cannot look at ${this.opts.path}: ${(err as Error).message}; retrying`);
      this.scheduleRetry();
      return 'failed';
    }
    if (plan.lost) this.noteLost(plan.steps[0]);
    for (let i = 0; i < plan.steps.length; i++) {
      this.st.pending = plan.steps.slice(i + 1).reduce((n, s) => n + s.file.size, 0);
      const outcome = await this.readStep(plan.steps[i]!);
      if (outcome !== 'done') return outcome;
    }
    this.st.pending = 0;
    this.backfillPending = false;
    if (!plan.live) this.setState('waiting', null);
    return 'done';
  }

  private async plan(): Promise<ReadPlan & { live: boolean }> {
    const live = await describeFile(this.opts.path);
    // The hot path: the followed name is still the file being read; no need to list the directory.
    if (live && !this.backfillPending && (this.pos.identity === null || isResumeFile(this.pos, live))) {
      return { ...planResume(this.pos, live, []), live: true };
    }
    const rotated = (await listRotated(this.opts.path)).filter((f) => f.identity !== live?.identity);
    const plan =
      this.backfillPending && this.pos.identity === null
        ? planFirstStart(this.backfill, live, rotated, Date.now())
        : planResume(this.pos, live, rotated);
    return { ...skipSeen(plan, this.pos.seen), live: live !== null };
  }

  private async readStep(step: ReadStep): Promise<Outcome> {
    let fh;
    try {
      fh = await open(step.file.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'replan';
      this.setState('error', `cannot open ${step.file.path}: ${(err as Error).message}; retrying`);
      this.scheduleRetry();
      return 'failed';
    }
    const window = new CommitWindow(PENDING_BATCHES);
    try {
      const st = await fh.stat();
      const identity = identityOf(st);
      const head = await readHead(fh, st.size);
      // Renamed or replaced since the plan was made: plan again from the resume point.
      if (identity !== step.file.identity || !headMatches(step.file.fingerprint, head)) return 'replan';
      const fingerprint = fingerprintOfHead(head);
      let from = step.from === 'end' ? await endOfLastLine(fh, st.size, this.buf.subarray(0, READ_BYTES)) : step.from;
      if (from > st.size) from = 0; // truncated since the plan
      this.st.size = st.size;
      this.setState('following', null);
      const at = { identity, fingerprint, mtimeMs: st.mtimeMs };
      // The resume point moves to this file before anything of it is read, so a restart resumes here
      // even when it holds no complete line yet (and the file before it is known to be finished).
      // Not while it is empty: with no first bytes to check, a later file on the same inode (once
      // this one is deleted) would pass for it, and the files between would be skipped.
      if (fingerprint !== null && (identity !== this.pos.identity || from !== this.pos.offset)) {
        const behind = st.size - from + this.st.pending;
        if (!(await window.add(this.commit({ ...at, offset: from, lines: [], cut: 0, behind })))) return 'failed';
      }
      const chunks = readLines({
        fh,
        identity,
        size: st.size,
        from,
        final: step.final,
        buf: this.buf,
        scan: this.scan,
        unsplit: this.opts.unsplit,
        readNow: () => window.pending > 0,
      });
      for await (const chunk of chunks) {
        // A batch handed over before may have failed meanwhile: nothing after it may be handed over.
        if (this.stopped || window.failed) break;
        const behind = st.size - chunk.endOffset + this.st.pending;
        const batch: LineBatch = { ...at, offset: chunk.endOffset, lines: chunk.lines, cut: chunk.cut, behind, raw: chunk.raw };
        if (chunk.unsplit !== undefined) batch.unsplit = chunk.unsplit;
        if (!(await window.add(this.commit(batch)))) return 'failed';
      }
      // Batches handed over are stored before the step ends (and before stop() resolves).
      if (!(await window.drain())) return 'failed';
      return this.stopped ? 'stopped' : 'done';
    } catch (err) {
      this.setState('error', `cannot read ${step.file.path}: ${(err as Error).message}; retrying`);
      this.scheduleRetry();
      return 'failed';
    } finally {
      await window.drain();
      await fh.close();
    }
  }

  /** Hands one batch over; false (and a retry later) when it could not be stored. */
  private commit(read: LineBatch): boolean | Promise<boolean> {
    const seen = read.identity === this.pos.identity ? this.pos.seen : rememberLeft(this.pos, read.identity);
    const batch: LineBatch = seen && seen.length > 0 ? { ...read, seen } : read;
    let handed: void | Promise<void>;
    try {
      handed = this.opts.onBatch(batch);
    } catch (err) {
      this.storeFailed(err);
      return false;
    }
    if (!(handed instanceof Promise)) return this.committed(batch);
    return handed.then(
      () => this.committed(batch),
      (err: unknown) => this.storeFailed(err),
    );
  }

  private committed(batch: LineBatch): true {
    this.pos = {
      identity: batch.identity,
      fingerprint: batch.fingerprint,
      offset: batch.offset,
      mtimeMs: batch.mtimeMs ?? null,
      seen: batch.seen,
    };
    this.st.linesRead += lineCount(batch);
    this.st.linesCut += batch.cut;
    this.opts.onStatus?.();
    return true;
  }

  private storeFailed(err: unknown): false {
    this.setState('error', `cannot store lines: ${(err as Error).message}; retrying`);
    this.scheduleRetry();
    return false;
  }

  private noteLost(next: ReadStep | undefined): void {
    const notice =
      `the file being read (${this.pos.identity}) is gone (rotated past the last number, deleted or replaced): ` +
      `anything it held after byte ${this.pos.offset} was not read; continuing with ${next ? basename(next.file.path) : 'the next file to appear'}`;
    if (notice === this.notice) return;
    this.notice = notice;
    this.opts.onStatus?.();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, this.opts.retryMs ?? 2000);
  }

  private setState(state: SourceStatus['state'], lastError: string | null): void {
    const changed = this.st.state !== state || this.st.lastError !== lastError;
    this.st.state = state;
    this.st.lastError = lastError;
    if (state === 'waiting') this.st.size = null;
    if (changed) this.opts.onStatus?.();
  }
}
