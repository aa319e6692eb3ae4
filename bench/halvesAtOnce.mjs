// About the most the agent's backfill, split over two threads as it is, can reach on this machine: its
// two halves at once, each in its own new process, with nothing handed between them. The parse side
// does the pipeline thread's work (split, parse + correlate, save the state, drop the load versions the
// store skips, encode the records); the store side the main thread's (decode the records,
// Store.writeBatch with the checkpointer running), on batches encoded beforehand into a file. Both start
// cold, as on a first start, and share the cores as the agent's two threads do. Prints figures; asserts
// nothing. Run on the built dist.
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { LogPipeline } from '../dist/agent/pipeline/LogPipeline.js';
import { decodeRecords, encodeRecords } from '../dist/agent/pipeline/recordCodec.js';
import { saveState } from '../dist/agent/pipeline/savedState.js';
import { READ_BYTES } from '../dist/agent/source/readLines.js';
import { withoutMiddleLoadVersions } from '../dist/agent/store/loadVersions.js';
import { startCheckpointer } from '../dist/agent/store/wal/checkpointer.js';
import { openDatabase } from '../dist/agent/store/openDatabase.js';
import { Store } from '../dist/agent/store/Store.js';
import { forEachChunk } from './forEachChunk.mjs';

const FILE = { mtimeMs: null };
const now = () => performance.timeOrigin + performance.now();

/** The typed arrays of EncodedRecords: the thread transfers them, so they are kept out of the clone. */
const TYPED = { order: Uint8Array, numbers: Float64Array, nulls: Uint8Array, refs: Int32Array, truncated: Int8Array };
const pad8 = (n) => (n + 7) & ~7;

/**
 * Each batch's records, encoded as the thread posts them, with the state and position stored beside
 * them. A frame: its length and its clone's (4 bytes each), the clone of all but the typed arrays,
 * then the typed arrays' bytes, each at a multiple of 8.
 */
function encodeBatches(log, frames) {
  const fd = openSync(frames, 'w');
  const pipeline = new LogPipeline();
  let linesRead = 0;
  forEachChunk(
    log,
    (lines, offset) => {
      const records = [];
      for (const line of lines) pipeline.push(line, records);
      linesRead += lines.length;
      const { encoded } = encodeRecords(withoutMiddleLoadVersions(records));
      const rest = { ...encoded };
      const lengths = {};
      for (const name of Object.keys(TYPED)) {
        lengths[name] = encoded[name].length;
        delete rest[name];
      }
      const clone = serialize({ rest, lengths, stateJson: saveState(pipeline.state, FILE), offset, linesRead });
      let bytes = 8 + pad8(clone.length);
      for (const name of Object.keys(TYPED)) bytes += pad8(encoded[name].byteLength);
      const frame = Buffer.alloc(bytes);
      frame.writeUInt32LE(bytes, 0);
      frame.writeUInt32LE(clone.length, 4);
      clone.copy(frame, 8);
      let at = 8 + pad8(clone.length);
      for (const name of Object.keys(TYPED)) {
        const a = encoded[name];
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(frame, at);
        at += pad8(a.byteLength);
      }
      writeSync(fd, frame);
    },
    READ_BYTES,
  );
  closeSync(fd);
}

/** The frame at `at`, its typed arrays views on the frame's own buffer (as transferred ones are); null past the last. */
function readFrame(fd, at) {
  const head = Buffer.alloc(8);
  if (readSync(fd, head, 0, 8, at) !== 8) return null;
  const bytes = head.readUInt32LE(0);
  const cloneBytes = head.readUInt32LE(4);
  const buffer = new ArrayBuffer(bytes);
  readSync(fd, new Uint8Array(buffer), 0, bytes, at);
  const { rest, lengths, stateJson, offset, linesRead } = deserialize(new Uint8Array(buffer, 8, cloneBytes));
  const encoded = { ...rest };
  let from = 8 + pad8(cloneBytes);
  for (const [name, Typed] of Object.entries(TYPED)) {
    encoded[name] = new Typed(buffer, from, lengths[name]);
    from += pad8(lengths[name] * Typed.BYTES_PER_ELEMENT);
  }
  return { bytes, encoded, stateJson, offset, linesRead };
}

/** The parse side: [start, end] in ms since the epoch. */
function parseSide(log) {
  const start = now();
  const pipeline = new LogPipeline();
  forEachChunk(
    log,
    (lines) => {
      const records = [];
      for (const line of lines) pipeline.push(line, records);
      saveState(pipeline.state, FILE);
      encodeRecords(withoutMiddleLoadVersions(records));
    },
    READ_BYTES,
  );
  return [start, now()];
}

/** The store side, into a new database under `parent`: [start, end] in ms since the epoch, and the requests stored. */
async function storeSide(log, frames, parent) {
  const dir = mkdtempSync(join(parent, 'halves-'));
  try {
    const db = openDatabase(dir, join(import.meta.dirname, '..', 'migrations'));
    const checkpointer = startCheckpointer(db);
    const store = new Store(db);
    const from = store.resumePoint(log);
    const fd = openSync(frames, 'r');
    let at = 0;
    const start = now();
    for (let frame = readFrame(fd, at); frame !== null; frame = readFrame(fd, at)) {
      at += frame.bytes;
      const { encoded, stateJson, offset, linesRead } = frame;
      store.writeBatch(decodeRecords(encoded), { ...from, offset, linesRead, stateJson }, Date.now());
    }
    const end = now();
    closeSync(fd);
    await checkpointer.stop();
    const requests = store.requestCount();
    db.close();
    return [start, end, requests];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const inChild = async (...args) =>
  JSON.parse((await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), ...args], { maxBuffer: 1024 * 1024 })).stdout);

/** { ms, parseMs, storeMs, requests }: from the first side's start to the last side's end, each side's own time, the requests stored. */
export async function halvesAtOnce(log, parent) {
  const frames = join(parent, 'halves.frames');
  try {
    await inChild('encode', log, frames);
    const [parse, store] = await Promise.all([inChild('parse', log), inChild('store', log, frames, parent)]);
    return {
      ms: Math.max(parse[1], store[1]) - Math.min(parse[0], store[0]),
      parseMs: parse[1] - parse[0],
      storeMs: store[1] - store[0],
      requests: store[2],
    };
  } finally {
    rmSync(frames, { force: true });
  }
}

/** `slowerHalfMbps`: min(parse only, store only) as the overlap line reads them; `replayMs`: the backfill's time. */
export function formatHalvesAtOnce({ ms, parseMs, storeMs, requests }, bytes, slowerHalfMbps, replayMs) {
  const mbps = (t) => bytes / 1e6 / (t / 1000);
  return (
    `  the halves at once, no hand-off: ${mbps(ms).toFixed(1)} MB/s = ${(mbps(ms) / slowerHalfMbps).toFixed(2)} of the slower half — ` +
    `parse ${mbps(parseMs).toFixed(1)} and store ${mbps(storeMs).toFixed(1)} MB/s (${requests} requests stored), each in its own new process, at once: ` +
    `this split of the backfill with a free hand-off; the backfill ran at ${(ms / replayMs).toFixed(2)} of it`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [side, log, frames, parent] = process.argv.slice(2);
  if (side === 'encode') encodeBatches(log, frames);
  const span = side === 'parse' ? parseSide(log) : side === 'store' ? await storeSide(log, frames, parent) : null;
  process.stdout.write(JSON.stringify(span));
}
