// Writes real systemd journal files for tests: records in the Journal Export Format piped into
// systemd-journal-remote (Debian package `systemd-journal-remote`), which appends to the file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'];

export function findJournalRemote(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Why the real-journal tests cannot run here, or null when they can. */
export function journalToolsMissing(): string | null {
  if (!findJournalRemote()) return 'systemd-journal-remote is not installed (apt-get install -y systemd-journal-remote)';
  try {
    execFileSync('journalctl', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'journalctl is not available';
  }
  return null;
}

export interface JournalRecord {
  message: string | Buffer;
  /** Default `ollama.service`. */
  unit?: string;
  /** Microseconds since the epoch; default: now. */
  realtimeUs?: bigint;
}

/** Appends records to a journal file, creating it on first use; one writer per file. */
export class JournalWriter {
  private bootId = randomBytes(16).toString('hex');
  private monotonic = 1n;
  private lastRealtime = 0n;

  constructor(readonly file: string) {}

  /** Records appended from now on belong to a new boot (another _BOOT_ID, monotonic clock from 1). */
  reboot(): void {
    this.bootId = randomBytes(16).toString('hex');
    this.monotonic = 1n;
  }

  append(records: JournalRecord[]): void {
    const parts: Buffer[] = [];
    for (const r of records) {
      // Realtime must not go backwards within a file, or journalctl's --since seeks oddly.
      let realtime = r.realtimeUs ?? BigInt(Date.now()) * 1000n;
      if (realtime <= this.lastRealtime) realtime = this.lastRealtime + 1n;
      this.lastRealtime = realtime;
      parts.push(
        Buffer.from(
          `__REALTIME_TIMESTAMP=${realtime}\n__MONOTONIC_TIMESTAMP=${this.monotonic++}\n_BOOT_ID=${this.bootId}\n` +
            `_SYSTEMD_UNIT=${r.unit ?? 'ollama.service'}\n`,
        ),
      );
      // The binary form (name, newline, 64-bit little-endian length, bytes) carries newlines and invalid UTF-8.
      const msg = typeof r.message === 'string' ? Buffer.from(r.message, 'utf8') : r.message;
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(msg.length));
      parts.push(Buffer.from('MESSAGE\n'), len, msg, Buffer.from('\n\n'));
    }
    execFileSync(findJournalRemote()!, ['-o', this.file, '-'], { input: Buffer.concat(parts), stdio: ['pipe', 'ignore', 'pipe'] });
  }
}
