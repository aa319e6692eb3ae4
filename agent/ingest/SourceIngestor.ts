// One log source's path through the pipeline: lines → logical lines → parser → correlator → store
// → bus. Rows and checkpoint (with the pipeline's state) are committed together; only then are the
// new rows published.
import type { Bus } from '../bus.js';
import type { CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { initialPipelineState, LogPipeline, type PipelineState } from '../pipeline/LogPipeline.js';
import type { LineBatch, TailPosition } from '../source/FileTailer.js';
import { MAX_SEEN, type FileMark } from '../source/readPlan.js';
import type { Checkpoint, Store } from '../store/Store.js';

export class SourceIngestor {
  private readonly pipeline: LogPipeline;
  private cp: Checkpoint;
  /** The file's mtime at the checkpoint, kept in state_json beside the pipeline's state. */
  private readonly startMtimeMs: number | null;
  /** Files read before the checkpoint's, and how far (state_json too). */
  private readonly startSeen: FileMark[];

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    path: string,
    opts?: CorrelatorOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.cp = store.checkpoint(path);
    const saved = restoreState(this.cp.stateJson);
    this.pipeline = new LogPipeline(saved.pipeline, opts);
    this.startMtimeMs = saved.mtimeMs;
    this.startSeen = saved.seen;
  }

  /** Where the source resumes: the checkpoint as the tailer takes it. */
  get position(): TailPosition {
    const pos: TailPosition = { identity: this.cp.identity, fingerprint: this.cp.fingerprint, offset: this.cp.offset, mtimeMs: this.startMtimeMs };
    return this.startSeen.length > 0 ? { ...pos, seen: this.startSeen } : pos;
  }

  get checkpoint(): Readonly<Checkpoint> {
    return this.cp;
  }

  /** Lines of this source no parser rule recognised. */
  get unparsed(): number {
    return this.pipeline.unparsed;
  }

  ingest(batch: LineBatch): void {
    const records: CorrelatedRecord[] = [];
    for (const line of batch.lines) this.pipeline.push(line, records);
    const next: Checkpoint = {
      ...this.cp,
      identity: batch.identity,
      fingerprint: batch.fingerprint,
      offset: batch.offset,
      linesRead: this.cp.linesRead + batch.lines.length,
      // Samples of unrecognised lines stay in memory: an unknown line could hold text from a prompt.
      stateJson: JSON.stringify({ ...this.pipeline.state, samples: [], file: fileState(batch) } satisfies SavedState),
    };
    let result;
    try {
      result = this.store.writeBatch(records, next, this.now());
    } catch (err) {
      // Not committed: the same lines will be read again, so the pipeline goes back to the state
      // committed with the last checkpoint (no copy of it needs taking before every batch).
      this.pipeline.restore(restoreState(this.cp.stateJson).pipeline);
      throw err;
    }
    this.cp = next;
    for (const load of result.loads) this.bus.publish({ type: 'load', load });
    for (const r of result.requests) this.bus.publish({ type: 'request', ...r });
    for (const incident of result.incidents) this.bus.publish({ type: 'incident', incident });
  }
}

/** What state_json holds: the pipeline's state, and what the tailer needs beyond the checkpoint's columns. */
interface SavedState extends PipelineState {
  file?: { mtimeMs: number | null; seen?: FileMark[] };
}

function fileState(batch: LineBatch): NonNullable<SavedState['file']> {
  const mtimeMs = batch.mtimeMs ?? null;
  return batch.seen && batch.seen.length > 0 ? { mtimeMs, seen: batch.seen } : { mtimeMs };
}

/** Marks as saved; anything else (an older build, a damaged value) is dropped, never trusted. */
function seenMarks(value: unknown): FileMark[] {
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is FileMark => {
    const r = m as Partial<FileMark> | null;
    return typeof r?.identity === 'string' && typeof r.fingerprint === 'string' && Number.isSafeInteger(r.offset) && r.offset! >= 0;
  }).slice(0, MAX_SEEN);
}

/** A checkpoint from an older build (or damaged) restarts the pipeline's state, never the offset. */
function restoreState(json: string | null): { pipeline: PipelineState; mtimeMs: number | null; seen: FileMark[] } {
  const fresh = initialPipelineState();
  if (!json) return { pipeline: fresh, mtimeMs: null, seen: [] };
  try {
    const { file, ...saved } = JSON.parse(json) as Partial<SavedState>;
    const mtimeMs = typeof file?.mtimeMs === 'number' ? file.mtimeMs : null;
    const seen = seenMarks(file?.seen);
    if (!saved.correlator || !saved.logical) return { pipeline: fresh, mtimeMs, seen };
    return { pipeline: { ...fresh, ...saved, correlator: { ...fresh.correlator, ...saved.correlator } }, mtimeMs, seen };
  } catch {
    return { pipeline: fresh, mtimeMs: null, seen: [] };
  }
}
