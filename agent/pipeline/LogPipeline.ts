// The one path every log line takes, for `analyze` (replay) and the live agent alike:
// physical line → logical lines → parser → correlator → records. Lines no rule recognises are
// counted and a few kept as samples. Its state is plain JSON, saved at its resume point with the records.
import { Correlator } from '../correlate/correlator.js';
import { DEFAULT_CORRELATOR_OPTIONS, type CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { initialCorrelatorState, type CorrelatorState } from '../correlate/state.js';
import { initialLogicalLinesState, LogicalLines, type LogicalLinesState } from '../parse/LogicalLines.js';
import { parseLine } from '../parse/parseLine.js';

const MAX_SAMPLES = 10;
/** Samples are cut short: an unrecognised line could hold text a user would not want kept whole. */
const SAMPLE_CHARS = 160;

export interface PipelineState {
  logical: LogicalLinesState;
  correlator: CorrelatorState;
  /** Physical lines read. */
  lines: number;
  unparsed: number;
  samples: string[];
}

export function initialPipelineState(): PipelineState {
  return { logical: initialLogicalLinesState(), correlator: initialCorrelatorState(), lines: 0, unparsed: 0, samples: [] };
}

export class LogPipeline {
  private logical: LogicalLines;
  private correlator: Correlator;
  private counts: { lines: number; unparsed: number; samples: string[] };

  constructor(
    state: PipelineState = initialPipelineState(),
    private readonly opts: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS,
  ) {
    this.logical = new LogicalLines(state.logical);
    this.correlator = new Correlator(state.correlator, opts);
    this.counts = { lines: state.lines, unparsed: state.unparsed, samples: [...state.samples] };
  }

  get state(): PipelineState {
    return { logical: this.logical.state, correlator: this.correlator.state, ...this.counts };
  }

  /** Replaces the whole state, e.g. to forget a batch the store could not commit. */
  restore(state: PipelineState): void {
    this.logical = new LogicalLines(state.logical);
    this.correlator = new Correlator(state.correlator, this.opts);
    this.counts = { lines: state.lines, unparsed: state.unparsed, samples: [...state.samples] };
  }

  get lines(): number {
    return this.counts.lines;
  }

  get unparsed(): number {
    return this.counts.unparsed;
  }

  get samples(): readonly string[] {
    return this.counts.samples;
  }

  push(physical: string, out: CorrelatedRecord[]): void {
    this.counts.lines++;
    const one = this.logical.single(physical);
    if (one !== null) this.parse(one, out);
    else for (const line of this.logical.push(physical)) this.parse(line, out);
  }

  /** End of input: release held lines and settle what the correlator still holds. */
  flush(out: CorrelatedRecord[]): void {
    for (const line of this.logical.flush()) this.parse(line, out);
    this.correlator.flush(out);
  }

  private parse(line: string, out: CorrelatedRecord[]): void {
    const event = parseLine(line);
    if (event) {
      this.correlator.feed(event, out);
      return;
    }
    this.counts.unparsed++;
    if (this.counts.samples.length < MAX_SAMPLES) this.counts.samples.push(line.slice(0, SAMPLE_CHARS));
  }
}
