// Which memory probes work on this machine. A missing tool (no nvidia-smi, no PSI in this kernel) is a
// fact about the machine, not an event: it is said once when first seen and once when it recovers,
// never on every poll, so the log does not fill with the same line every few seconds.
import type { ProbeStatus } from '../../shared/memory.js';

export class ProbeTracker {
  private readonly byName = new Map<string, ProbeStatus>();

  constructor(private readonly log: (line: string) => void) {}

  /** The probe answered. Returns the line logged when it had been unavailable, else null. */
  ok(name: string): string | null {
    const prev = this.byName.get(name);
    this.byName.set(name, { name, available: true, detail: null });
    if (prev === undefined || prev.available) return null;
    return this.say(`memory probe ${name} is available again`);
  }

  /**
   * The probe gave nothing usable. Returns the line logged on the transition to unavailable, else
   * null; the status keeps the latest reason either way.
   */
  fail(name: string, err: unknown): string | null {
    const prev = this.byName.get(name);
    const detail = describeProbeError(err);
    this.byName.set(name, { name, available: false, detail });
    if (prev !== undefined && !prev.available) return null;
    return this.say(`memory probe ${name} is not available here: ${detail}`);
  }

  /**
   * Runs one read and records the outcome: a throw or a null result (output the parser did not
   * understand) marks the probe unavailable and yields null, so one broken probe never costs a sample.
   */
  async attempt<T>(name: string, read: () => Promise<T | null>, unparsed = `unexpected output from ${name}`): Promise<T | null> {
    try {
      const value = await read();
      if (value === null) {
        this.fail(name, unparsed);
        return null;
      }
      this.ok(name);
      return value;
    } catch (err) {
      this.fail(name, err);
      return null;
    }
  }

  /** Every probe seen so far, by name: probes run concurrently, so first-seen order would vary. */
  statuses(): ProbeStatus[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((s) => ({ ...s }));
  }

  private say(line: string): string {
    this.log(line);
    return line;
  }
}

/** One sentence for a status: the first line of the message (command errors already name the command). */
export function describeProbeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text
    .split(/\r?\n/)
    .find((l) => l.trim() !== '')
    ?.trim();
  return line ?? 'unknown error';
}
