// A progress line on stderr, redrawn in place, only when stderr is a terminal (a pipe or a log file
// gets nothing: no carriage returns in captured output).
import { progressBar, progressOf, progressWords } from '../shared/progress.js';

export class TerminalProgress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = stream.isTTY === true,
  ) {}

  /** Redraws at most 5 times a second. */
  update(doneBytes: number, totalBytes: number | null): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const p = progressOf(doneBytes, totalBytes, now - this.started);
    this.stream.write(`\r\x1b[2K${this.label} ${progressBar(p.fraction)} ${progressWords(p)}`);
    this.drawn = true;
  }

  /** Clears the line. */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
