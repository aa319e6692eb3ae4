// What running two threads at once costs each of them here: the same parse (the log's first MB, once
// to compile it, then timed) in one process alone, then in two processes at once. Alone, a thread has
// the other core free for V8's collector and compiler threads; at once they share both cores (a pure
// arithmetic loop, which needs no helpers, measured the same alone and at once). The overlap ratio
// compares a backfill, whose two threads run at once, with halves each timed alone: it cannot go far
// above alone / together. Prints figures; asserts nothing. Run on the built dist.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LogPipeline } from '../dist/agent/pipeline/LogPipeline.js';
import { READ_BYTES } from '../dist/agent/source/readLines.js';
import { forEachChunk } from './forEachChunk.mjs';

/** ms to parse the first `mb` MB of `log` (after a first, untimed pass over the same bytes). */
function parseMs(log, mb) {
  // Until the first complete lines past `mb` MB.
  const pass = () => {
    const pipeline = new LogPipeline();
    forEachChunk(
      log,
      (lines, endOffset) => {
        const records = [];
        for (const line of lines) pipeline.push(line, records);
        return endOffset >= mb * 1e6;
      },
      READ_BYTES,
    );
  };
  pass();
  const t = performance.now();
  pass();
  return performance.now() - t;
}

const inChild = async (log, mb) =>
  Number((await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), log, String(mb)])).stdout);

/** { alone, together } in ms: alone before and after (their mean), and the two at once (their mean). */
export async function twoCores(log, atMost = 48) {
  // A log shorter than that is parsed whole.
  const mb = Math.min(atMost, Math.round(statSync(log).size / 1e6));
  const before = await inChild(log, mb);
  const together = await Promise.all([inChild(log, mb), inChild(log, mb)]);
  const after = await inChild(log, mb);
  return { alone: (before + after) / 2, together: (together[0] + together[1]) / 2, mb };
}

export function formatTwoCores({ alone, together, mb }) {
  const slower = together / alone;
  return (
    `two threads at once:              the same parse of ${mb} MB took ${alone.toFixed(0)} ms alone and ${together.toFixed(0)} ms in each of two ` +
    `processes at once (${slower.toFixed(2)}×): measured against halves timed alone, an overlap here stays near or under ${(1 / slower).toFixed(2)}`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(String(parseMs(process.argv[2], Number(process.argv[3]))));
}
