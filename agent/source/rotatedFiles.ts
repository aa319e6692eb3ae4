// Ollama's macOS and Windows app rotates its log on every server start: server.log becomes
// server-1.log, server-1.log becomes server-2.log … up to server-5.log, and the oldest goes. This
// finds those siblings of a followed file and says what each one is (identity, first bytes, size).
import { open, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fingerprintOfHead, identityOf, readHead } from './fileIdentity.js';

export interface FileInfo {
  path: string;
  /** `dev:ino` */
  identity: string;
  fingerprint: string | null;
  /** The first bytes the fingerprint is taken of, to match a resume point taken when there were fewer. */
  head: Buffer;
  size: number;
  mtimeMs: number;
}

export interface RotatedFile extends FileInfo {
  /** The N of `server-N.log`: the higher, the older. */
  n: number;
}

/** N when `name` is the Nth rotation of `liveName` (`server-3.log` of `server.log`), else null. */
export function rotationIndex(liveName: string, name: string): number | null {
  const ext = extname(liveName);
  const stem = liveName.slice(0, liveName.length - ext.length);
  if (!name.startsWith(`${stem}-`) || !name.endsWith(ext)) return null;
  const n = name.slice(stem.length + 1, name.length - ext.length);
  // Up to three digits: Ollama keeps five; a year or a date in a name is something else.
  return /^[1-9]\d{0,2}$/.test(n) ? Number(n) : null;
}

/** What is at `path` now; null when nothing (or no regular file) is there. */
export async function describeFile(path: string): Promise<FileInfo | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return null;
    const head = await readHead(fh, st.size);
    return { path, identity: identityOf(st), fingerprint: fingerprintOfHead(head), head, size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/**
 * The rotated siblings of `livePath`, oldest first (server-5.log … server-1.log). A file seen under
 * two names (renamed while we looked) is listed once, under its older name.
 */
export async function listRotated(livePath: string): Promise<RotatedFile[]> {
  const dir = dirname(livePath);
  const liveName = basename(livePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: RotatedFile[] = [];
  for (const name of names) {
    const n = rotationIndex(liveName, name);
    if (n === null) continue;
    const info = await describeFile(join(dir, name));
    if (info) found.push({ ...info, n });
  }
  return oldestFirst(found);
}

/** Higher N first; duplicates by identity dropped. */
export function oldestFirst(files: readonly RotatedFile[]): RotatedFile[] {
  const seen = new Set<string>();
  return [...files].sort((a, b) => b.n - a.n).filter((f) => !seen.has(f.identity) && seen.add(f.identity));
}
