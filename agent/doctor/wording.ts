// How doctor's checks word sizes, names and sentences.
import { formatBytes } from '../../shared/format.js';

const GIB = 2 ** 30;

/** `10.7 GiB`, or `unknown`. */
export const bytes = (n: number | null | undefined): string => (n === null || n === undefined ? 'unknown' : formatBytes(n));

/** Unified memory as people name it: 16 GiB, 17.2 GiB. */
export const gib = (n: number): string => {
  const v = n / GIB;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)} GiB`;
};

export const osName = (os: string): string =>
  (({ darwin: 'macOS', linux: 'Linux', win32: 'Windows', freebsd: 'FreeBSD' }) as Record<string, string>)[os] ?? os;

/** A sentence from a clause. */
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
