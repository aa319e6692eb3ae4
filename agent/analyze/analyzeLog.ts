// `analyze`: reads log files once, through the same pipeline as the live agent, into the §6.1 result.
import { createReadStream } from 'node:fs';
import type { CorrelatorOptions } from '../correlate/options.js';
import type { CorrelatedRecord } from '../correlate/records.js';
import { LogPipeline } from '../pipeline/LogPipeline.js';
import { MAX_LINE_BYTES, splitLines } from '../source/splitLines.js';
import { ResultBuilder, type AnalyzeResult } from './analyzeResult.js';

export interface Analysis {
  result: AnalyzeResult;
  /** A few lines no rule recognised, cut short. */
  samples: readonly string[];
  /** Per load (as in `result.loads`), the GGUF's own name when the log shows it. */
  displayNames: readonly (string | null)[];
}

export class LogAnalyzer {
  private readonly pipeline: LogPipeline;
  private readonly builder = new ResultBuilder();
  private readonly out: CorrelatedRecord[] = [];

  constructor(opts?: CorrelatorOptions) {
    this.pipeline = new LogPipeline(undefined, opts);
  }

  push(line: string): void {
    this.pipeline.push(line, this.out);
    if (this.out.length > 0) {
      this.builder.add(this.out);
      this.out.length = 0;
    }
  }

  finish(): Analysis {
    this.pipeline.flush(this.out);
    this.builder.add(this.out);
    this.out.length = 0;
    return {
      result: this.builder.finish(this.pipeline.lines, this.pipeline.unparsed),
      samples: this.pipeline.samples,
      displayNames: this.builder.displayNames,
    };
  }
}

export function analyzeLines(lines: Iterable<string>, opts?: CorrelatorOptions): Analysis {
  const a = new LogAnalyzer(opts);
  for (const line of lines) a.push(line);
  return a.finish();
}

/** Streams each file in turn (as one log, in the order given) with the live agent's line splitter. */
/** `onBytes` hears the bytes read so far over all files (for a progress line). */
export async function analyzeFiles(paths: string[], opts?: CorrelatorOptions, onBytes?: (bytes: number) => void): Promise<Analysis> {
  const a = new LogAnalyzer(opts);
  let read = 0;
  for (const path of paths) {
    await feedFile(path, a, (n) => {
      read += n;
      onBytes?.(read);
    });
  }
  return a.finish();
}

async function feedFile(path: string, a: LogAnalyzer, onChunk: (bytes: number) => void): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  // After a cut, the rest of that line up to its newline is dropped, as the live tailer does.
  let skipping = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    onChunk(chunk.length);
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    for (;;) {
      if (skipping) {
        const nl = buf.indexOf(0x0a);
        buf = buf.subarray(nl < 0 ? buf.length : nl + 1);
        if (nl < 0) break;
        skipping = false;
      }
      const { lines, endOffset, cut } = splitLines(buf, buf.length, 0);
      for (const line of lines) a.push(line);
      buf = buf.subarray(endOffset);
      if (cut > 0) skipping = true;
      // What is left has no newline; splitLines cuts it once it outgrows MAX_LINE_BYTES.
      else if (buf.length <= MAX_LINE_BYTES) break;
    }
    carry = Buffer.from(buf);
  }
  // A last line without a newline is still a line of the file.
  if (carry.length > 0) a.push(carry.toString('utf8').replace(/\r$/, ''));
}
