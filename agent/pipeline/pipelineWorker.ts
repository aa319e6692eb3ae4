// The pipeline's thread while a source is far behind its log (started by PipelineThread): lines →
// parser → correlator → records, and the state to commit with them, so that the main thread only
// stores. Holds no database and no file: the position stays with the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { kvModelFrom } from '../correlate/kvFacts.js';
import type { CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { splitLines } from '../source/splitLines.js';
import { withoutMiddleLoadVersions } from '../store/loadVersions.js';
import { LogPipeline } from './LogPipeline.js';
import { encodeRecords } from './recordCodec.js';
import type { FromPipelineWorker, PipelineWorkerData, ToPipelineWorker } from './pipelineProtocol.js';
import { saveState } from './savedState.js';

const port = parentPort;
if (!port) throw new Error('pipelineWorker runs as a worker thread');
// The pipeline's options: the same object for the thread's life, its kvModel renewed with each batch.
const opts: CorrelatorOptions = { ...(workerData as PipelineWorkerData).opts };
let pipeline: LogPipeline | null = null;

port.on('message', (m: ToPipelineWorker) => {
  if (m.type === 'reset') {
    pipeline = new LogPipeline(m.state, opts);
    return;
  }
  // The batch's bytes go back once split: the strings made from them are copies.
  const buffer = m.lines instanceof Uint8Array ? (m.lines.buffer as ArrayBuffer) : undefined;
  const back: ArrayBuffer[] = buffer ? [buffer] : [];
  try {
    if (!pipeline) throw new Error('batch before reset');
    opts.kvModel = m.kv === null ? undefined : kvModelFrom(m.kv);
    const records: CorrelatedRecord[] = [];
    const lines =
      m.lines instanceof Uint8Array
        ? splitLines(Buffer.from(m.lines.buffer, m.lines.byteOffset, m.lines.byteLength), m.lines.byteLength, 0).lines
        : m.lines;
    for (const line of lines) pipeline.push(line, records);
    const stateJson = saveState(pipeline.state, m.file);
    const { encoded, transfer } = encodeRecords(withoutMiddleLoadVersions(records));
    port.postMessage({ type: 'parsed', encoded, stateJson, unparsed: pipeline.unparsed, buffer } satisfies FromPipelineWorker, [
      ...transfer,
      ...back,
    ]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    port.postMessage({ type: 'failed', message, buffer } satisfies FromPipelineWorker, back);
  }
});
// Its modules are loaded: until now the main thread parsed the batches itself rather than wait.
port.postMessage({ type: 'ready' } satisfies FromPipelineWorker);
