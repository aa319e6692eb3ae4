// The main thread's handle on pipelineWorker: batches of lines go in, records and the state to
// commit with them come back, in order. Started on demand and ended by its owner, so an agent that
// is not catching up on a log holds no extra thread.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { PENDING_BATCHES } from '../source/FileTailer.js';
import { packageRoot } from '../version.js';
import type { PipelineState } from './LogPipeline.js';
import type { FromPipelineWorker, PipelineWorkerData, ToPipelineWorker } from './pipelineProtocol.js';
import { decodeRecords } from './recordCodec.js';
import type { FileState } from './savedState.js';

export interface ParsedBatch {
  records: CorrelatedRecord[];
  stateJson: string;
  unparsed: number;
}

interface Waiting<T = ParsedBatch> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

// A worker thread cannot load TypeScript: under vitest this module runs from its source, so the
// worker comes from the build (npm test builds first).
function defaultWorkerFile(): URL {
  const sibling = new URL('./pipelineWorker.js', import.meta.url);
  if (existsSync(sibling)) return sibling;
  return pathToFileURL(join(packageRoot(), 'dist', 'agent', 'pipeline', 'pipelineWorker.js'));
}

/** Buffers kept for reuse: as many as batches can be in flight, and one more. */
const MAX_SPARE = PENDING_BATCHES + 1;
const MIB = 1024 * 1024;

export class PipelineThread {
  private worker: Worker | null = null;
  /** Whether the running worker has said it loaded its code, and who waits for that. */
  private loaded = false;
  private readonly onLoaded: Waiting<void>[] = [];
  private readonly waiting: Waiting[] = [];
  /** Buffers the thread gave back, for the next batches' bytes (dropped with the thread). */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly opts: CorrelatorOptions,
    private readonly workerFile: URL = defaultWorkerFile(),
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  /** Running and done loading its code (about a tenth of a second after it starts). */
  get ready(): boolean {
    return this.worker !== null && this.loaded;
  }

  /**
   * Starts the thread when needed. Resolves once it has loaded its code, or is closed first; rejects
   * when it fails first (its code cannot load).
   */
  start(): Promise<void> {
    this.started();
    if (this.loaded) return Promise.resolve();
    return new Promise((resolve, reject) => this.onLoaded.push({ resolve, reject }));
  }

  /** Starts the thread when needed and sets the state its pipeline continues from. */
  reset(state: PipelineState): void {
    this.started().postMessage({ type: 'reset', state } satisfies ToPipelineWorker);
  }

  /**
   * Parses one batch after those sent before it; rejects if the thread fails or ends first. `raw`
   * (the bytes the lines were split from, in the reader's buffer) is copied and sent instead of the
   * strings when given: one copy of bytes costs far less than serialising thousands of sliced
   * strings, and a copy into a buffer the thread gave back far less than into a new one.
   */
  parse(lines: string[], raw: Uint8Array | undefined, file: FileState): Promise<ParsedBatch> {
    const w = this.started();
    return new Promise<ParsedBatch>((resolve, reject) => {
      if (this.waiting.length === 0) w.ref();
      this.waiting.push({ resolve, reject });
      const kv = this.opts.kvSnapshot?.() ?? null;
      if (raw === undefined) w.postMessage({ type: 'batch', lines, file, kv } satisfies ToPipelineWorker);
      else {
        const bytes = new Uint8Array(this.bufferFor(raw.byteLength), 0, raw.byteLength);
        bytes.set(raw);
        w.postMessage({ type: 'batch', lines: bytes, file, kv } satisfies ToPipelineWorker, [bytes.buffer]);
      }
    });
  }

  private bufferFor(bytes: number): ArrayBuffer {
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) return this.spare.splice(i, 1)[0]!;
    // Reads grow at the start of a backlog: the smaller buffers of its first batches would only
    // take the places of the large ones. A whole MiB more than asked: batches of lines differ a
    // little in length, and one a few bytes longer than the buffers must not find none fits.
    this.spare.length = 0;
    return new ArrayBuffer((Math.ceil(bytes / MIB) + 1) * MIB);
  }

  /** Ends the thread; parses still pending are rejected. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.detach(w, new Error('pipeline thread closed'), true);
    await w.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    if (this.workerFile.protocol === 'file:' && !existsSync(this.workerFile))
      throw new Error(`${this.workerFile.pathname} not found (run npm run build)`);
    const { expectMlx, contextAlertTokens, contextAlertRatio } = this.opts;
    const workerData: PipelineWorkerData = { opts: { expectMlx, contextAlertTokens, contextAlertRatio } };
    const w = new Worker(this.workerFile, { workerData });
    // Keeps the process alive only while a batch is being parsed: an idle thread never holds up an exit.
    w.unref();
    w.on('message', (m: FromPipelineWorker) => {
      if (m.type === 'ready') {
        if (this.worker !== w) return;
        this.loaded = true;
        for (const loading of this.onLoaded.splice(0)) loading.resolve();
        return;
      }
      if (m.buffer && this.worker === w && this.spare.length < MAX_SPARE) this.spare.push(m.buffer);
      const next = this.waiting.shift();
      if (this.waiting.length === 0) w.unref();
      if (!next) return;
      if (m.type !== 'parsed') next.reject(new Error(`pipeline thread: ${m.message}`));
      else {
        let records: CorrelatedRecord[];
        try {
          records = decodeRecords(m.encoded);
        } catch (err) {
          next.reject(err as Error);
          return;
        }
        next.resolve({ records, stateJson: m.stateJson, unparsed: m.unparsed });
      }
    });
    w.on('error', (err) => this.detach(w, err));
    w.on('exit', (code) => this.detach(w, new Error(`pipeline thread exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private detach(w: Worker, err: Error, closed = false): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.loaded = false;
    for (const loading of this.onLoaded.splice(0)) {
      if (closed) loading.resolve();
      else loading.reject(err);
    }
    this.spare.length = 0;
    for (const waiting of this.waiting.splice(0)) waiting.reject(err);
  }
}
