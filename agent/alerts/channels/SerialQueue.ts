// One job at a time, in order, with a cap. Sequential on purpose: a resolve must never reach a
// receiver before the fire it closes, which concurrent requests (or a fire waiting in backoff while
// the resolve goes straight through) would allow. The cap keeps a dead endpoint from growing memory
// without bound during a long outage; the oldest waiting job goes first because the newest tells the
// current state of things.

export interface SerialQueueOptions<J> {
  /** Delivers one job. Should not reject; a rejection is reported through `onDrop`. */
  run: (job: J) => Promise<void>;
  /** Waiting plus in flight, at most. */
  maxPending: number;
  /** A job that will not be delivered: pushed out by newer ones, left over at close, or `run` threw. */
  onDrop: (job: J, reason: string) => void;
}

export class SerialQueue<J> {
  private readonly waiting: J[] = [];
  private busy = false;
  private closingFlag = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: SerialQueueOptions<J>) {}

  /** Waiting and in flight (including a job sleeping before its next retry). */
  get pending(): number {
    return this.waiting.length + (this.busy ? 1 : 0);
  }

  get closing(): boolean {
    return this.closingFlag;
  }

  push(job: J): void {
    if (this.closingFlag) {
      this.opts.onDrop(job, 'the channel is closed');
      return;
    }
    this.waiting.push(job);
    // The job in flight is never the one dropped: it may be half-sent already.
    while (this.pending > Math.max(1, this.opts.maxPending) && this.waiting.length > 0) {
      const oldest = this.waiting.shift() as J;
      this.opts.onDrop(oldest, `too many pending (more than ${this.opts.maxPending}): dropped the oldest`);
    }
    if (!this.busy) void this.drain();
  }

  /** Resolves once nothing is waiting or in flight. */
  idle(): Promise<void> {
    if (!this.busy && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Takes no more jobs, waits up to `timeoutMs` for the queue to drain, then drops what is still
   * waiting and calls `abandon` so the caller can cut the job in flight short (abort a request).
   */
  async close(timeoutMs: number, abandon?: () => void): Promise<void> {
    this.closingFlag = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      this.idle().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    for (const job of this.waiting.splice(0)) this.opts.onDrop(job, 'still pending at shutdown');
    abandon?.();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    // The first job is taken synchronously, so `pending` counts it as in flight from the moment it
    // was pushed and the cap is exact.
    while (this.waiting.length > 0) {
      const job = this.waiting.shift() as J;
      try {
        await this.opts.run(job);
      } catch (err) {
        this.opts.onDrop(job, err instanceof Error ? err.message : String(err));
      }
    }
    this.busy = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
