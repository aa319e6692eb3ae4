// Follows the systemd journal of one unit through `journalctl -f -o json`, with the same contract as
// FileTailer: lines go to `onBatch` in batches, one per read burst, and the resume point only moves
// after `onBatch` returns, i.e. after the rows are committed.
//
// The resume point is the journal cursor of the last committed entry. It travels in the resume point's
// `fingerprint` field (a journal has no file identity or byte offset to fingerprint), so the store
// needs no journal-specific column; `offset` counts entries consumed, for status only.
//
// Exactly once: an entry is the unit of commit (all lines of a multi-line MESSAGE share one batch),
// journalctl is always (re)started with `--after-cursor` of the last committed entry, and whatever
// was read but not committed is dropped whenever journalctl is restarted, so it is read again once.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SourceStatus } from '../../shared/status.js';
import type { SourceOptions } from './LogSource.js';
import { journalArgs } from './journalArgs.js';
import { parseJournalLine, type JournalEntry } from './journalJson.js';

export interface JournalTailerOptions extends SourceOptions {
  /** systemd unit, as given to `journalctl -u` (e.g. `ollama`). The resume point's `fingerprint` is the
   * cursor to resume after (null: first start) and its `offset` the entries consumed. */
  unit: string;
  /** Read this journal file (`journalctl --file`) instead of the machine's journal; for tests. */
  journalFile?: string;
  /** The journalctl executable; tests point it at a missing one. */
  journalctl?: string;
  /** This machine's id; default: read from /etc/machine-id (null when it cannot be read). */
  machineId?: string | null;
  now?: () => number;
}

type State = SourceStatus['state'];

export class JournalTailer {
  readonly path: string;
  private cursor: string | null;
  private offset: number;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Parsed from journalctl but not committed yet. */
  private pending: JournalEntry[] = [];
  /** Bytes after the last newline of stdout: the start of an entry still being written. */
  private partial: Buffer[] = [];
  private flushing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stderrTail = '';
  private spawnError: NodeJS.ErrnoException | null = null;
  private stopped = false;
  private readonly since: number;
  private readonly machineId: string | null;
  /** Entries whose MESSAGE had a shape journalctl never prints; skipped (their cursor counts). */
  private malformed = 0;
  private st: { state: State; lastError: string | null; linesRead: number; linesCut: number } = {
    state: 'waiting',
    lastError: null,
    linesRead: 0,
    linesCut: 0,
  };

  constructor(private readonly opts: JournalTailerOptions) {
    this.path = `journal:${opts.unit}`;
    this.cursor = opts.start.fingerprint;
    this.offset = opts.start.offset;
    this.st.linesRead = opts.linesRead ?? 0;
    // Fixed once, so `--backfill 7d` means the same window after a journalctl restart.
    this.since = (opts.now ?? Date.now)();
    this.machineId = opts.journalFile ? null : opts.machineId !== undefined ? opts.machineId : readMachineId();
    // A bad backfill must fail here, not later inside a restart timer.
    journalArgs({ unit: opts.unit, cursor: null, backfill: opts.backfill, now: this.since });
  }

  /** The journal's side of the source status; size and lag are unknown for a journal. */
  status(): Omit<SourceStatus, 'unparsed'> {
    return {
      path: this.path,
      identity: this.path,
      state: this.st.state,
      offset: this.offset,
      size: null,
      lagBytes: null,
      linesRead: this.st.linesRead,
      linesCut: this.st.linesCut,
      lastError: this.st.lastError ?? this.malformedNotice(),
    };
  }

  private malformedNotice(): string | null {
    if (this.malformed === 0) return null;
    return `${this.malformed} journal ${this.malformed === 1 ? 'entry' : 'entries'} with a malformed MESSAGE (not journalctl's JSON) skipped`;
  }

  /** Resolves once journalctl runs, or has failed to (then the status says why and a restart is due). */
  async start(): Promise<void> {
    await this.spawnJournalctl();
  }

  /** Resolves when no batch is waiting to be handed over; lets tests and shutdown wait for the current burst. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.retryTimer = this.restartTimer = null;
    const child = this.child;
    if (child) {
      // A paused stdout would hold back the 'close' event; what it still buffers is uncommitted anyway.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.kill('SIGTERM');
    }
    await this.exited;
    await this.idle();
  }

  private spawnJournalctl(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const exe = this.opts.journalctl ?? 'journalctl';
    const args = journalArgs({
      unit: this.opts.unit,
      cursor: this.cursor,
      backfill: this.opts.backfill,
      journalFile: this.opts.journalFile,
      now: this.since,
      machineId: this.machineId,
    });
    // Anything read but not committed by the previous journalctl comes again after the cursor.
    this.pending = [];
    this.partial = [];
    this.stderrTail = '';
    this.spawnError = null;
    let child: ChildProcess;
    try {
      child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      this.setState('error', `cannot run ${exe}: ${(err as Error).message}`);
      this.scheduleRestart();
      return Promise.resolve();
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
    child.on('error', (err) => {
      this.spawnError = err;
    });
    const started = new Promise<void>((resolve) => {
      child.once('spawn', () => {
        this.setState(this.cursor === null ? 'waiting' : 'following', null);
        resolve();
      });
      void this.exited.then(resolve);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (this.child === child) this.onData(chunk);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      // E.g. "No journal files were opened due to insufficient permissions": why nothing arrives.
      if (this.st.state === 'waiting') this.setState('waiting', lastLine(this.stderrTail));
    });
    return started;
  }

  private onData(chunk: Buffer): void {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      const head = chunk.subarray(from, nl);
      const line = this.partial.length > 0 ? Buffer.concat([...this.partial, head]) : head;
      this.partial = [];
      from = nl + 1;
      // journalctl prints nothing else on stdout; a line that is not an entry has no cursor to keep.
      const entry = parseJournalLine(line.toString('utf8'));
      if (entry) this.pending.push(entry);
    }
    if (from < chunk.length) this.partial.push(chunk.subarray(from));
    this.scheduleFlush();
  }

  /** One batch per burst: chunks that arrive before the next turn of the event loop share a transaction. */
  private scheduleFlush(): void {
    if (this.flushing || this.retryTimer || this.pending.length === 0) return;
    this.flushing = new Promise<void>((resolve) => {
      setImmediate(() => {
        this.flushing = null;
        this.flush();
        resolve();
      });
    });
  }

  /** Hands all pending entries over; true when they were committed (or there were none). */
  private flush(): boolean {
    const entries = this.pending;
    const last = entries[entries.length - 1];
    if (!last) return true;
    const lines: string[] = [];
    let cut = 0;
    let malformed = 0;
    for (const e of entries) {
      for (const l of e.lines) lines.push(l);
      cut += e.cut;
      if (e.malformed) malformed++;
    }
    const offset = this.offset + entries.length;
    try {
      this.opts.onBatch({ lines, cut, identity: this.path, fingerprint: last.cursor, offset });
    } catch (err) {
      this.setState('error', `cannot store lines: ${(err as Error).message}; retrying`);
      this.pauseAndRetry();
      return false;
    }
    this.pending = [];
    this.cursor = last.cursor;
    this.offset = offset;
    this.st.linesRead += lines.length;
    this.st.linesCut += cut;
    this.malformed += malformed;
    this.setState('following', null);
    this.opts.onStatus?.();
    return true;
  }

  /**
   * Stops reading while the store refuses writes: journalctl blocks on the full pipe, nothing more is
   * buffered here, and the entries already read are offered again, unchanged, on the next try.
   */
  private pauseAndRetry(): void {
    this.child?.stdout?.pause();
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopped) return;
      if (this.flush()) {
        this.child?.stdout?.resume();
        this.scheduleFlush();
      }
    }, this.opts.retryMs ?? 2000);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopped) return;
    // Entries printed before the exit still count; if the store refuses them, the restart (which
    // resumes after the last committed entry) replaces the retry.
    if (this.pending.length > 0) this.flush();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState('error', this.exitMessage(code, signal));
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.restartTimer || this.stopped) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.spawnJournalctl();
    }, this.opts.retryMs ?? 2000);
  }

  private exitMessage(code: number | null, signal: NodeJS.Signals | null): string {
    const exe = this.opts.journalctl ?? 'journalctl';
    const err = this.spawnError;
    if (err?.code === 'ENOENT') return `journalctl not found (${exe}): install systemd or use --log PATH`;
    if (err) return `cannot run ${exe}: ${err.message}`;
    const said = lastLine(this.stderrTail);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return `journalctl ${how}${said ? `: ${said}` : ''}; restarting`;
  }

  private setState(state: State, lastError: string | null): void {
    const changed = this.st.state !== state || this.st.lastError !== lastError;
    this.st.state = state;
    this.st.lastError = lastError;
    if (changed) this.opts.onStatus?.();
  }
}

/** The id journald stamps on this machine's entries (`_MACHINE_ID`), or null when unknown. */
function readMachineId(): string | null {
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    return /^[0-9a-f]{32}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

function lastLine(text: string): string | null {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? null
  );
}
