// `analyze`: reads log files once, through the same pipeline as the live agent, into the `--json` result (docs/analyze-json.md).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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
  /** Lines some rule recognised, blank lines left out: 0 with no records means the input is not an Ollama log. */
  recognised: number;
}

/** Whether the analysis found nothing of an Ollama log: no line recognised, no record made. */
export function isNotAnOllamaLog(a: Analysis): boolean {
  const r = a.result;
  return a.recognised === 0 && r.servers.length === 0 && r.loads.length === 0 && r.requests.length === 0 && r.incidents.length === 0;
}

export class LogAnalyzer {
  private readonly pipeline: LogPipeline;
  private readonly builder = new ResultBuilder();
  private readonly out: CorrelatedRecord[] = [];
  private blank = 0;

  constructor(opts?: CorrelatorOptions) {
    this.pipeline = new LogPipeline(undefined, opts);
  }

  push(line: string): void {
    // One character read for most lines: only those starting blank are checked further.
    const c = line.charCodeAt(0);
    if (Number.isNaN(c) || ((c === 0x20 || c === 0x09 || c === 0x0d) && line.trim() === '')) this.blank++;
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
      recognised: this.pipeline.lines - this.pipeline.unparsed - this.blank,
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

/**
 * UTF-16 text, as Windows PowerShell 5 writes `ollama serve > server.log 2>&1`: a byte-order mark, or
 * (without one) a NUL beside every byte of ASCII text.
 */
async function utf16Of(path: string): Promise<'utf-16le' | 'utf-16be' | null> {
  const fh = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    const b = buffer.subarray(0, bytesRead & ~1);
    if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
    if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
    if (b.length < 16) return null;
    let le = true;
    let be = true;
    for (let i = 0; i < b.length; i += 2) {
      if (b[i] === 0 || b[i + 1] !== 0) le = false;
      if (b[i] !== 0 || b[i + 1] === 0) be = false;
    }
    return le ? 'utf-16le' : be ? 'utf-16be' : null;
  } finally {
    await fh.close();
  }
}

async function feedUtf16(path: string, encoding: 'utf-16le' | 'utf-16be', a: LogAnalyzer, onChunk: (bytes: number) => void): Promise<void> {
  const decoder = new TextDecoder(encoding);
  let carry = '';
  const push = (line: string): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    a.push(text.length > MAX_LINE_BYTES ? text.slice(0, MAX_LINE_BYTES) : text);
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    onChunk(chunk.length);
    const parts = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = parts.pop()!;
    for (const line of parts) push(line);
  }
  carry += decoder.decode();
  if (carry.length > 0) push(carry);
}

async function feedFile(path: string, a: LogAnalyzer, onChunk: (bytes: number) => void): Promise<void> {
  const utf16 = await utf16Of(path);
  if (utf16) return feedUtf16(path, utf16, a, onChunk);
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
