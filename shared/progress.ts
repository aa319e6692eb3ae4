// Progress of long work (a first start's backfill, `analyze` of a large log) as one line of words:
// "38% · 14.2 MiB/s · 12 s left". Pure; used by the terminal and the dashboard's status strip.

export interface Progress {
  /** 0–1, or null when the total is unknown. */
  fraction: number | null;
  /** Bytes per second since the start, null until a moment has passed. */
  bytesPerSecond: number | null;
  /** Seconds left at that rate, null when unknown. */
  secondsLeft: number | null;
}

/** Ignore rates measured over less than this: the first instants say nothing. */
const MIN_ELAPSED_MS = 500;

export function progressOf(doneBytes: number, totalBytes: number | null, elapsedMs: number): Progress {
  const fraction = totalBytes === null || totalBytes <= 0 ? null : Math.min(1, Math.max(0, doneBytes / totalBytes));
  const bytesPerSecond = elapsedMs >= MIN_ELAPSED_MS && doneBytes > 0 ? (doneBytes / elapsedMs) * 1000 : null;
  const secondsLeft = bytesPerSecond === null || totalBytes === null ? null : Math.max(0, (totalBytes - doneBytes) / bytesPerSecond);
  return { fraction, bytesPerSecond, secondsLeft };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(bytes >= 100 * 1024 ** 2 ? 0 : 1)} MiB`;
}

/** "1 min 5 s", "12 s", "< 1 s". */
export function durationWords(seconds: number): string {
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "38% · 14.2 MiB/s · 12 s left"; parts that are unknown are left out. */
export function progressWords(p: Progress): string {
  const parts: string[] = [];
  if (p.fraction !== null) parts.push(`${Math.floor(p.fraction * 100)}%`);
  if (p.bytesPerSecond !== null) parts.push(`${mib(p.bytesPerSecond)}/s`);
  if (p.secondsLeft !== null) parts.push(`${durationWords(p.secondsLeft)} left`);
  return parts.join(' · ');
}

/** A text bar for a terminal: "[########............]". */
export function progressBar(fraction: number | null, width = 24): string {
  if (fraction === null) return '';
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}
