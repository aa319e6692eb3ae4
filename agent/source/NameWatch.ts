// Says when the file at a name may have changed: chokidar's events, fs.watch's own for that name, and
// the directory's (whatever file the name points to). A directory that does not exist yet is looked
// for every few seconds, since nothing can be watched inside it. Reads nothing itself.
import { watch as watchDir, type FSWatcher as DirWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface NameWatchEvents {
  /** Something may have changed at the name: look again. */
  change(): void;
  /** The watch is set; start() resolves once this does (the first look). */
  ready(): Promise<void>;
  /** The directory is missing; it is looked for again every dirPollMs. */
  waiting(): void;
  error(message: string): void;
}

export class NameWatch {
  private watcher: FSWatcher | null = null;
  private dirWatcher: DirWatcher | null = null;
  private dirTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly path: string,
    private readonly on: NameWatchEvents,
    private readonly dirPollMs = 2000,
  ) {}

  /** Resolves once the watch is set and `ready` has resolved, or at once while the directory is missing. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const dir = dirname(this.path);
    const exists = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (this.stopped) return;
    if (!exists) {
      this.on.waiting();
      this.dirTimer = setTimeout(() => void this.start(), this.dirPollMs);
      return;
    }
    const w = watch(this.path, { ignoreInitial: false, persistent: true });
    this.watcher = w;
    const name = basename(this.path);
    w.on('add', () => this.on.change());
    w.on('change', () => this.on.change());
    w.on('unlink', () => this.on.change());
    // fs.watch's own events: chokidar drops a `change` that comes within 50 ms of the one before, so
    // a line written right after another would wait for some later write. Other files are ignored.
    w.on('raw', (_event: string, evPath: string | undefined) => {
      if (!evPath || basename(evPath) === name) this.on.change();
    });
    w.on('error', (err) => this.on.error(String(err)));
    // chokidar follows a symlink put at the name to its target and goes on watching that file: once a
    // regular file is put back at the name, neither its arrival nor its growth would be seen. The
    // directory's own events name what happens at the name, whatever file it points to.
    try {
      this.dirWatcher = watchDir(dir, { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.on.change();
      });
      this.dirWatcher.on('error', () => {
        // The directory went away: chokidar's own watch reports the file's fate.
        this.dirWatcher?.close();
        this.dirWatcher = null;
      });
    } catch {
      // Not watchable (permissions, watch limit): chokidar's events still come.
    }
    await new Promise<void>((resolve) => w.once('ready', () => resolve()));
    await this.on.ready();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.dirTimer) clearTimeout(this.dirTimer);
    this.dirWatcher?.close();
    await this.watcher?.close();
  }
}
