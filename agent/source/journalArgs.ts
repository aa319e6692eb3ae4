// The journalctl command line for following one unit.
// - `--all`: without it journalctl prints fields over 4096 bytes as null in JSON, losing those lines.
// - `--no-tail`: `-f` implies `-n 10` even together with `--after-cursor`, which would silently skip
//   all but the last 10 entries written while the agent was down.
// - `--merge`: `-f` alone implies `--boot=0` (systemd ≥ 250): a cursor in an earlier boot would skip
//   the rest of that boot after a reboot, and even drop the first entry of the current one (journalctl
//   skips one entry after seeking to a cursor its boot match leaves out); `--backfill all` would read
//   only the current boot. `--merge` is the one switch that turns that off in every version. It also
//   opens the journals of other machines kept on this one (systemd-journal-remote), so the machine's
//   own id is matched when reading the machine's journal.
import { resolve } from 'node:path';

export interface JournalArgsOptions {
  unit: string;
  /** Resume after this entry; when set, `backfill` is ignored (the resume point wins). */
  cursor: string | null;
  /** First start only: `all`, `none`, or `Nd` (the last N days). */
  backfill?: string;
  /** Read this journal file instead of the machine's journal (tests). */
  journalFile?: string;
  /** This machine's id (/etc/machine-id): keeps other machines' journals out when reading the machine's. */
  machineId?: string | null;
  now?: number;
}

export function journalArgs(o: JournalArgsOptions): string[] {
  const args = [
    '-u',
    o.unit,
    '-o',
    'json',
    '-f',
    '--merge',
    '--all',
    '--no-pager',
    '--output-fields=MESSAGE,__CURSOR,__REALTIME_TIMESTAMP',
  ];
  // journalctl -f cannot follow a relative --file ("Failed to get journal fd").
  if (o.journalFile) args.push(`--file=${resolve(o.journalFile)}`);
  // A match, after every option.
  const match = !o.journalFile && o.machineId ? [`_MACHINE_ID=${o.machineId}`] : [];
  if (o.cursor !== null) {
    args.push(`--after-cursor=${o.cursor}`, '--no-tail', ...match);
    return args;
  }
  const backfill = o.backfill ?? 'all';
  if (backfill === 'none') {
    args.push('-n', '0', ...match);
    return args;
  }
  if (backfill !== 'all') {
    const days = /^(\d+)d$/.exec(backfill);
    if (!days) throw new Error(`backfill must be all, none or Nd, got "${backfill}"`);
    // An absolute time, so a restart before the first entry keeps the window the agent chose.
    const since = Math.floor(((o.now ?? Date.now()) - Number(days[1]) * 86_400_000) / 1000);
    args.push(`--since=@${since}`);
  }
  args.push('--no-tail', ...match);
  return args;
}
