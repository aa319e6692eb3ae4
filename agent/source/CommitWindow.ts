// The batches a source has handed over and whose commit is still pending. A consumer that stores
// on one thread while parsing on another (SourceIngestor far behind a log) answers a batch with a
// promise; the source reads on while fewer than `size` are pending (the backpressure), and moves its
// position only as each one resolves, in order. After a failure every later batch fails too (the
// consumer refuses them), so the source waits for all of them before reading again.
export class CommitWindow {
  private readonly queue: Promise<boolean>[] = [];
  private ok = true;

  constructor(private readonly size: number) {}

  /** Hand-overs not settled yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** A hand-over failed: read nothing more until every pending one has settled. */
  get failed(): boolean {
    return !this.ok;
  }

  /** One hand-over (settled already, or pending); false once any of them failed. */
  async add(handed: boolean | Promise<boolean>): Promise<boolean> {
    if (handed === false) this.ok = false;
    else if (handed !== true) this.queue.push(handed.then((ok) => (this.ok &&= ok)));
    while (this.ok && this.queue.length >= this.size) await this.queue.shift();
    return this.ok;
  }

  /** Waits for every pending hand-over; false when any failed. */
  async drain(): Promise<boolean> {
    while (this.queue.length > 0) await this.queue.shift();
    return this.ok;
  }
}
