// A file is known by `dev:ino` and by its first bytes: an inode is reused as soon as its file is
// deleted (a rotation that drops server-5.log, a log deleted and created again), and only the first
// bytes tell the new file from the one a resume point was taken in.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const FINGERPRINT_BYTES = 64;

export function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** The first FINGERPRINT_BYTES of the file, or all of it when shorter. */
export async function readHead(fh: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.min(size, FINGERPRINT_BYTES));
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  return buf.subarray(0, bytesRead);
}

/**
 * Hash of the first 64 bytes; for a shorter file, of the bytes it has, prefixed with their count
 * (`12:…`), so that the file still matches once it has grown and a new file on a reused inode does
 * not. Null for an empty file, which has nothing to be known by (the tailer takes no position in one).
 */
export function fingerprintOfHead(head: Buffer): string | null {
  if (head.length === 0) return null;
  const hash = createHash('sha1').update(head.subarray(0, FINGERPRINT_BYTES)).digest('hex').slice(0, 16);
  return head.length >= FINGERPRINT_BYTES ? hash : `${head.length}:${hash}`;
}

/** Whether a file starting with `head` can be the one `fingerprint` was taken of (perhaps since grown). */
export function headMatches(fingerprint: string | null, head: Buffer): boolean {
  if (fingerprint === null) return true;
  const colon = fingerprint.indexOf(':');
  const n = colon < 0 ? FINGERPRINT_BYTES : Number(fingerprint.slice(0, colon));
  if (!(n > 0) || head.length < n) return false;
  return fingerprintOfHead(head.subarray(0, n)) === fingerprint;
}

export async function fingerprintOf(fh: FileHandle, size: number): Promise<string | null> {
  return fingerprintOfHead(await readHead(fh, size));
}
