// Follows one log file: chokidar says "something changed", we read the appended bytes from our
// own offset and hand complete lines over in batches. Nothing is polled while the file is quiet.
// The offset only moves forward after `onBatch` returns, i.e. after the rows are committed.
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { SourceStatus } from '../../shared/types.js';
import { fingerprintOf, identityOf } from './fileIdentity.js';
import { MAX_LINE_BYTES, splitLines } from './splitLines.js';

export interface TailPosition {
  identity: string | null;
  fingerprint: string | null;
  offset: number;
}

export interface LineBatch extends TailPosition {
  lines: string[];
  cut: number;
}

export interface FileTailerOptions {
  path: string;
  start: TailPosition;
  /** Lines read before this process started, from the checkpoint. */
  linesRead?: number;
  /** Must persist the batch and its checkpoint synchronously; a throw leaves the offset where it was. */
  onBatch: (batch: LineBatch) => void;
  onStatus?: () => void;
  /** How long to wait before retrying after a failed read or write. */
  retryMs?: number;
  /** How often to look for a missing parent directory (chokidar cannot watch inside one that does not exist). */
  dirPollMs?: number;
}

const CHUNK = MAX_LINE_BYTES;

export class FileTailer {
  private pos: TailPosition;
  private watcher: FSWatcher | null = null;
  private dirTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly buf = Buffer.alloc(CHUNK);
  private st: Pick<SourceStatus, 'state' | 'size' | 'lastError' | 'linesRead' | 'linesCut'> = {
    state: 'waiting', size: null, lastError: null, linesRead: 0, linesCut: 0,
  };

  constructor(private readonly opts: FileTailerOptions) {
    this.pos = { ...opts.start };
    this.st.linesRead = opts.linesRead ?? 0;
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
      lagBytes: size === null ? null : Math.max(0, size - this.pos.offset),
      linesRead: this.st.linesRead,
      lastError: this.st.lastError,
    };
  }

  async start(): Promise<void> {
    await this.watchWhenDirExists();
  }

  private async watchWhenDirExists(): Promise<void> {
    if (this.stopped) return;
    const dir = dirname(this.opts.path);
    const exists = await stat(dir).then((s) => s.isDirectory(), () => false);
    if (!exists) {
      this.setState('waiting', null);
      this.dirTimer = setTimeout(() => void this.watchWhenDirExists(), this.opts.dirPollMs ?? 2000);
      return;
    }
    const w = watch(this.opts.path, { ignoreInitial: false, persistent: true });
    this.watcher = w;
    w.on('add', () => this.kick());
    w.on('change', () => this.kick());
    w.on('unlink', () => this.kick());
    w.on('error', (err) => this.setState('error', String(err)));
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    // A file that already exists may have grown while we were not running.
    this.kick();
    await this.idle();
  }

  /** Resolves when no read is in flight; lets tests and shutdown wait for the current burst. */
  async idle(): Promise<void> {
    while (this.reading) await this.reading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dirTimer) clearTimeout(this.dirTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.watcher?.close();
    await this.idle();
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readAvailable();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.reading = null;
    });
  }

  private async readAvailable(): Promise<void> {
    let fh;
    try {
      fh = await open(this.opts.path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') this.setState('waiting', null);
      else this.setState('error', `cannot open ${this.opts.path}: ${(err as Error).message}`);
      return;
    }
    try {
      const st = await fh.stat();
      const identity = identityOf(st);
      if (this.pos.identity !== null && this.pos.identity !== identity) {
        // Another file now has this name (rotation or re-creation): read it from its start.
        this.pos = { identity, fingerprint: null, offset: 0 };
      } else if (st.size < this.pos.offset) {
        // Truncated in place (copytruncate): everything in it is new.
        this.pos = { identity, fingerprint: null, offset: 0 };
      }
      this.pos.identity = identity;
      this.st.size = st.size;
      this.setState('following', null);
      while (!this.stopped && this.pos.offset < st.size) {
        const want = Math.min(CHUNK, st.size - this.pos.offset);
        const { bytesRead } = await fh.read(this.buf, 0, want, this.pos.offset);
        if (bytesRead === 0) break;
        const split = splitLines(this.buf, bytesRead, this.pos.offset);
        if (split.endOffset === this.pos.offset) break; // only a partial line: wait for its newline
        const fingerprint = this.pos.fingerprint ?? (await fingerprintOf(fh, st.size));
        const next: LineBatch = { identity, fingerprint, offset: split.endOffset, lines: split.lines, cut: split.cut };
        try {
          this.opts.onBatch(next);
        } catch (err) {
          this.setState('error', `cannot store lines: ${(err as Error).message}; retrying`);
          this.scheduleRetry();
          return;
        }
        this.pos = { identity, fingerprint, offset: split.endOffset };
        this.st.linesRead += split.lines.length;
        this.st.linesCut += split.cut;
        this.opts.onStatus?.();
      }
    } catch (err) {
      this.setState('error', `cannot read ${this.opts.path}: ${(err as Error).message}; retrying`);
      this.scheduleRetry();
    } finally {
      await fh.close();
    }
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
