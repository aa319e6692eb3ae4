// Which files to read, from where, in which order: decided from the resume point and what is on disk
// now, without touching the disk. The resume point names the file being read by identity, so a
// rotation (while running or while stopped) only changes where that file is found.
import { headMatches } from './fileIdentity.js';
import type { FileInfo, RotatedFile } from './rotatedFiles.js';

export interface TailPosition {
  identity: string | null;
  fingerprint: string | null;
  offset: number;
  /**
   * mtime of the file when this position was taken. Only used when that file is gone: rotated files
   * modified after it are the ones written after it.
   */
  mtimeMs?: number | null;
  /** Files read before this one, newest first, with how far: one that comes back is not read again. */
  seen?: FileMark[];
}

/** How far a file was read when the position moved on to another. */
export interface FileMark {
  identity: string;
  fingerprint: string;
  offset: number;
}

/** Files remembered besides the one being read: enough for a rotation's worth of files coming back. */
export const MAX_SEEN = 8;

export interface ReadStep {
  file: FileInfo;
  /** Byte offset to start at, or `end`: after the last complete line (nothing already there is read). */
  from: number | 'end';
  /** A rotated file: nobody writes to it any more, so its last line needs no newline. */
  final: boolean;
}

export interface ReadPlan {
  steps: ReadStep[];
  /** The resume point's file is nowhere to be found: whatever was left unread in it is lost. */
  lost: boolean;
}

export type Backfill = { kind: 'all' } | { kind: 'none' } | { kind: 'days'; days: number };

export function parseBackfill(s: string | undefined): Backfill {
  if (s === undefined || s === 'all') return { kind: 'all' };
  if (s === 'none') return { kind: 'none' };
  const m = /^(\d+)d$/.exec(s);
  if (m) return { kind: 'days', days: Number(m[1]) };
  throw new Error(`backfill must be all, none or Nd, got "${s}"`);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Same file as the resume point's: same identity, and it starts with the bytes the resume point saw. */
export function isResumeFile(pos: TailPosition, f: FileInfo): boolean {
  return f.identity === pos.identity && headMatches(pos.fingerprint, f.head);
}

const rotatedStep = (file: FileInfo, from: number): ReadStep => ({ file, from, final: true });
const liveStep = (file: FileInfo, from: number | 'end'): ReadStep => ({ file, from, final: false });

/** No resume point yet: how much of what exists to read, oldest first. */
export function planFirstStart(backfill: Backfill, live: FileInfo | null, rotated: readonly RotatedFile[], nowMs: number): ReadPlan {
  const recent = (f: FileInfo) => backfill.kind === 'all' || (backfill.kind === 'days' && f.mtimeMs >= nowMs - backfill.days * DAY_MS);
  const steps = rotated.filter(recent).map((f) => rotatedStep(f, 0));
  if (live) steps.push(liveStep(live, recent(live) ? 0 : 'end'));
  return { steps, lost: false };
}

/** From a resume point: finish its file wherever it is now, then every newer file from its start. */
export function planResume(pos: TailPosition, live: FileInfo | null, rotated: readonly RotatedFile[]): ReadPlan {
  if (pos.identity === null) return { steps: live ? [liveStep(live, 0)] : [], lost: false };
  const resumeAt = (f: FileInfo) => (f.size < pos.offset ? 0 : pos.offset); // smaller: truncated in place
  if (live && isResumeFile(pos, live)) return { steps: [liveStep(live, resumeAt(live))], lost: false };
  const k = rotated.findIndex((f) => isResumeFile(pos, f));
  const tail = live ? [liveStep(live, 0)] : [];
  if (k >= 0) {
    const newer = rotated.slice(k + 1).map((f) => rotatedStep(f, 0));
    return { steps: [rotatedStep(rotated[k]!, resumeAt(rotated[k]!)), ...newer, ...tail], lost: false };
  }
  // Not found: rotated past the last number, deleted, or replaced. Rotated files written after it
  // are newer; older ones were read before it and must not be read again. Without its mtime (a
  // resume point from an older build) none can be told newer, so only the live file is read.
  const since = pos.mtimeMs;
  const newer = since == null ? [] : rotated.filter((f) => f.mtimeMs > since).map((f) => rotatedStep(f, 0));
  // The same inode with other first bytes: truncated and written again, or a new file on the inode
  // of a deleted one. Read from its start either way; only the first is common enough to stay quiet.
  const rewritten = live !== null && live.identity === pos.identity;
  return { steps: [...newer, ...tail], lost: !rewritten };
}

/**
 * `seen` after the position moves from `pos` to the file `identity`: the file left is remembered
 * with how far it was read, and the file now read is forgotten (the position speaks for it).
 */
export function rememberLeft(pos: TailPosition, identity: string | null): FileMark[] {
  const seen = (pos.seen ?? []).filter((m) => m.identity !== identity && m.identity !== pos.identity);
  if (pos.identity !== null && pos.identity !== identity && pos.fingerprint !== null) {
    seen.unshift({ identity: pos.identity, fingerprint: pos.fingerprint, offset: pos.offset });
  }
  return seen.slice(0, MAX_SEEN);
}

/**
 * A file read before that comes back (moved away and back, a symlink swapped to it and back) is the
 * same file by identity and first bytes: its steps start where reading it stopped, never earlier.
 */
export function skipSeen(plan: ReadPlan, seen: readonly FileMark[] | undefined): ReadPlan {
  if (!seen || seen.length === 0) return plan;
  const steps = plan.steps.map((step): ReadStep => {
    const mark = seen.find((m) => m.identity === step.file.identity && headMatches(m.fingerprint, step.file.head));
    // Smaller than where reading stopped: truncated and written again, so it is new text.
    if (!mark || step.file.size < mark.offset) return step;
    if (step.from === 'end' || step.from >= mark.offset) return step;
    return { ...step, from: mark.offset };
  });
  return { ...plan, steps };
}
