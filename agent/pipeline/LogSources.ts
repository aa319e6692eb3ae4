// The agent's log sources (files and journal units), each a reader and the ingestor it hands its
// batches to. Made empty, so the parts that ask about the logs can be made first; addLogSources fills it.
import type { SourceStatus } from '../../shared/status.js';
import type { LogSource } from '../source/LogSource.js';
import type { SourceIngestor } from './SourceIngestor.js';

export class LogSources {
  private readonly readers: LogSource[] = [];
  private readonly ingestors: SourceIngestor[] = [];

  add(reader: LogSource, ingestor: SourceIngestor): void {
    this.readers.push(reader);
    this.ingestors.push(ingestor);
  }

  /** Every log read to its end: what the log does not show by now, it does not show (API loads, proxy rows). */
  caughtUp(): boolean {
    return this.readers.every((r) => r.status().state !== 'following' || (r.status().lagBytes ?? 0) === 0);
  }

  /** As the status strip shows them: the reader's side and what parsing found. */
  statuses(): SourceStatus[] {
    return this.readers.map((r, i) => ({ ...r.status(), unparsed: this.ingestors[i]!.unparsed }));
  }

  async start(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.start()));
  }

  /** Each reader finishes the batch in flight and its resume point, then the pipeline threads end. */
  async stop(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.stop()));
    await Promise.all(this.ingestors.map((i) => i.close()));
  }
}
