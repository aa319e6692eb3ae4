import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';

export const FINGERPRINT_BYTES = 64;

export function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Hash of the first bytes; null while the file is shorter than that (it may still grow into it). */
export async function fingerprintOf(fh: FileHandle, size: number): Promise<string | null> {
  if (size < FINGERPRINT_BYTES) return null;
  const buf = Buffer.alloc(FINGERPRINT_BYTES);
  const { bytesRead } = await fh.read(buf, 0, FINGERPRINT_BYTES, 0);
  if (bytesRead < FINGERPRINT_BYTES) return null;
  return createHash('sha1').update(buf).digest('hex').slice(0, 16);
}
