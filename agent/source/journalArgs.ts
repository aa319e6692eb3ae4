// The journalctl command line for following one unit.
// - `--all`: without it journalctl prints fields over 4096 bytes as null in JSON, losing those lines.
// - `--no-tail`: `-f` implies `-n 10` even together with `--after-cursor`, which would silently skip
//   all but the last 10 entries written while the agent was down.
import { resolve } from 'node:path';

export interface JournalArgsOptions {
  unit: string;
  /** Resume after this entry; when set, `backfill` is ignored (the checkpoint wins). */
  cursor: string | null;
  /** First start only: `all`, `none`, or `Nd` (the last N days). */
  backfill?: string;
  /** Read this journal file instead of the machine's journal (tests). */
  journalFile?: string;
  now?: number;
}

export function journalArgs(o: JournalArgsOptions): string[] {
  const args = ['-u', o.unit, '-o', 'json', '-f', '--all', '--no-pager', '--output-fields=MESSAGE,__CURSOR,__REALTIME_TIMESTAMP'];
  // journalctl -f cannot follow a relative --file ("Failed to get journal fd").
  if (o.journalFile) args.push(`--file=${resolve(o.journalFile)}`);
  if (o.cursor !== null) {
    args.push(`--after-cursor=${o.cursor}`, '--no-tail');
    return args;
  }
  const backfill = o.backfill ?? 'all';
  if (backfill === 'none') {
    args.push('-n', '0');
    return args;
  }
  if (backfill !== 'all') {
    const days = /^(\d+)d$/.exec(backfill);
    if (!days) throw new Error(`backfill must be all, none or Nd, got "${backfill}"`);
    // An absolute time, so a restart before the first entry keeps the window the agent chose.
    const since = Math.floor(((o.now ?? Date.now()) - Number(days[1]) * 86_400_000) / 1000);
    args.push(`--since=@${since}`);
  }
  args.push('--no-tail');
  return args;
}
