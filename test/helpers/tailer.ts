// Runs FileTailers over real files for tests, and rotates logs the way Ollama's app does.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { afterEach } from 'vitest';
import { FileTailer, type FileTailerOptions, type LineBatch, type TailPosition } from '../../agent/source/FileTailer.js';
import { linesOf } from '../../agent/source/LogSource.js';

export const NO_RESUME_POINT: TailPosition = { identity: null, fingerprint: null, offset: 0 };

export interface Tailed {
  t: FileTailer;
  lines: string[];
  batches: LineBatch[];
  /** The position after the last batch that was stored, as a resume point would hold it. */
  position: () => TailPosition;
}

export type TailOptions = Partial<Omit<FileTailerOptions, 'path' | 'onBatch'>> & {
  /** Runs before a batch is "stored"; a throw means it was not (as a failed transaction). */
  onBatch?: (b: LineBatch) => void;
};

/** `tail(path, opts)` starts nothing by itself; every tailer made is stopped after the test. */
export function useTailers(): (path: string, opts?: TailOptions) => Tailed {
  const running: FileTailer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  return (path, { onBatch, start = NO_RESUME_POINT, ...rest } = {}) => {
    const lines: string[] = [];
    const batches: LineBatch[] = [];
    const t = new FileTailer({
      path,
      start,
      retryMs: 20,
      dirPollMs: 20,
      ...rest,
      onBatch: (b) => {
        onBatch?.(b);
        batches.push(b);
        for (const line of linesOf(b)) lines.push(line);
      },
    });
    running.push(t);
    const position = (): TailPosition => {
      const b = batches.at(-1);
      if (!b) return start;
      const pos: TailPosition = { identity: b.identity, fingerprint: b.fingerprint, offset: b.offset, mtimeMs: b.mtimeMs ?? null };
      return b.seen ? { ...pos, seen: b.seen } : pos;
    };
    return { t, lines, batches, position };
  };
}

/** `server-N.log` beside `server.log`. */
export function rotatedPath(path: string, n: number): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}-${n}${ext}`);
}

/**
 * What Ollama's app does on a server start: the oldest file goes, server-(N-1).log becomes
 * server-N.log, server.log becomes server-1.log; then the new server opens a new server.log
 * (`content`, when given). Nothing happens while there is no server.log, as in Ollama.
 */
export function rotateOllamaWay(path: string, content?: string, keep = 5): void {
  if (!existsSync(path)) return;
  rmSync(rotatedPath(path, keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) if (existsSync(rotatedPath(path, n))) renameSync(rotatedPath(path, n), rotatedPath(path, n + 1));
  renameSync(path, rotatedPath(path, 1));
  if (content !== undefined) writeFileSync(path, content);
}
