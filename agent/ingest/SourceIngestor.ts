// One log source's path through the pipeline: lines → parser → correlator → store → bus.
// Rows and checkpoint are committed together; only then are the new rows published.
import type { Bus } from '../bus.js';
import { Correlator, initialCorrelatorState, type CorrelatorState } from '../correlate/correlator.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { parseLine } from '../parse/parseLine.js';
import type { LineBatch } from '../source/FileTailer.js';
import type { Checkpoint, Store } from '../store/Store.js';

export class SourceIngestor {
  private readonly correlator: Correlator;
  private cp: Checkpoint;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.cp = store.checkpoint(path);
    this.correlator = new Correlator(this.restoreState(this.cp.stateJson));
  }

  get checkpoint(): Readonly<Checkpoint> {
    return this.cp;
  }

  ingest(batch: LineBatch): void {
    const before = structuredClone(this.correlator.state);
    const records: CorrelatedRecord[] = [];
    for (const line of batch.lines) {
      const event = parseLine(line);
      if (!event) continue;
      const rec = this.correlator.feed(event);
      if (rec) records.push(rec);
    }
    const next: Checkpoint = {
      ...this.cp,
      identity: batch.identity,
      fingerprint: batch.fingerprint,
      offset: batch.offset,
      linesRead: this.cp.linesRead + batch.lines.length,
      stateJson: JSON.stringify(this.correlator.state),
    };
    let result;
    try {
      result = this.store.writeBatch(records, next, this.now());
    } catch (err) {
      // Not committed: the same lines will be read again, so the correlator must forget them.
      this.correlator.state = before;
      throw err;
    }
    this.cp = next;
    for (const r of result.requests) this.bus.publish({ type: 'request', ...r });
  }

  private restoreState(json: string | null): CorrelatorState {
    if (!json) return initialCorrelatorState();
    try {
      return { ...initialCorrelatorState(), ...(JSON.parse(json) as Partial<CorrelatorState>) };
    } catch {
      return initialCorrelatorState();
    }
  }
}
