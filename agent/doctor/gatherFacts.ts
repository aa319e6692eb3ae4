// `doctor`'s I/O edge: asks the machine, the file system, systemd and Ollama's API what `doctorReport`
// needs. Every door is injected, every part runs at once under one short deadline (Ollama down or a
// hung command must not keep doctor waiting more than ~3 s), and nothing here throws for a missing
// command or an unanswered request: the fact becomes null (or false) and the part is named in
// `timedOut` when the deadline cut it off.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access as fsAccess, open, stat } from 'node:fs/promises';
import type { MachineInfo, MemorySample, ProbeStatus } from '../../shared/memory.js';
import { OLLAMA_UNIT, withAutoJournal } from '../config/autoJournal.js';
import type { Config } from '../config/schema.js';
import type { MemoryProbe } from '../probes/MemoryProbe.js';
import { askOllama, type DoctorApi, type Within } from './askOllama.js';
import { kvSettings, lastServerConfig } from './kvSettings.js';
import type { DoctorFacts, FileSourceFact, JournalSourceFact } from './types.js';

export type FileAccess = Omit<FileSourceFact, 'kind' | 'path'>;

/** Asks systemd about a unit and whether this user can read its journal. */
export interface JournalProbe {
  /** Whether systemd knows `UNIT.service`; null when systemctl cannot be asked. */
  unitInstalled(unit: string): Promise<boolean | null>;
  /** Runs journalctl once for the unit: does it run, does this user see the unit's entries. */
  access(unit: string): Promise<Pick<JournalSourceFact, 'journalctl' | 'readable' | 'detail'>>;
}

export interface GatherDeps {
  memoryProbe: MemoryProbe;
  api: DoctorApi;
  /** Whether a path is there, a file, and readable by this process. */
  access: (path: string) => Promise<FileAccess>;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  journalUnits: JournalProbe;
  /** Some text of a log file (its start and its end), to find the server's `server config` line. */
  logText?: (path: string) => Promise<string>;
  now?: () => Date;
  /** Overall budget; parts still running then are reported as timed out. */
  timeoutMs?: number;
}

export const DOCTOR_TIMEOUT_MS = 2500;

const TIMEOUT = Symbol('timeout');

// ---- the real doors ---------------------------------------------------------------------------

export const fileAccess = async (path: string): Promise<FileAccess> => {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return { found: true, readable: false, error: 'EISDIR', sizeBytes: null };
    try {
      await fsAccess(path, constants.R_OK);
      return { found: true, readable: true, error: null, sizeBytes: st.size };
    } catch (err) {
      return { found: true, readable: false, error: (err as NodeJS.ErrnoException).code ?? 'unreadable', sizeBytes: st.size };
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    // A directory on the way that we may not enter hides whether the file is there; say it is, unreadable.
    return { found: code !== 'ENOENT' && code !== 'ENOTDIR', readable: false, error: code, sizeBytes: null };
  }
};

interface Ran {
  /** Spawn error code (`ENOENT`…) or null when it ran. */
  spawnError: string | null;
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8', windowsHide: true, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      const spawnError = e && typeof e.code === 'string' ? e.code : e?.killed ? 'ETIMEDOUT' : null;
      resolve({ spawnError, status: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const firstLine = (text: string): string | null =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(0) ?? null;

/** journalctl's words for "you may not see the system journal". */
const DENIED = /insufficient permissions|not seeing messages from other users|permission denied/i;

export function systemJournalProbe(timeoutMs = 2000): JournalProbe {
  return {
    async unitInstalled(unit) {
      const r = await run('systemctl', ['list-unit-files', `${unit}.service`, '--no-legend', '--no-pager'], timeoutMs);
      if (r.spawnError) return null;
      // Exit 1 with no output: no such unit file.
      return r.stdout.includes(`${unit}.service`);
    },
    async access(unit) {
      // Without -q: the "not seeing messages from other users" hint is what tells a denied user apart.
      const r = await run('journalctl', ['-u', unit, '-n', '1', '--no-pager', '-o', 'cat'], timeoutMs);
      if (r.spawnError === 'ENOENT') return { journalctl: false, readable: null, detail: 'journalctl not found' };
      if (r.spawnError) return { journalctl: true, readable: null, detail: `journalctl: ${r.spawnError}` };
      const said =
        r.stderr
          .split(/\r?\n/)
          .find((l) => DENIED.test(l))
          ?.trim() ?? firstLine(r.stderr);
      if (DENIED.test(r.stderr)) return { journalctl: true, readable: false, detail: said };
      if (r.status !== 0) return { journalctl: true, readable: null, detail: said ?? `journalctl exited with ${r.status}` };
      return { journalctl: true, readable: true, detail: null };
    },
  };
}

const LOG_SAMPLE_BYTES = 256 * 1024;

/**
 * The first and last 256 KiB of a log: the macOS app starts a new server.log at each server start, so
 * the current run's `server config` is near the top; a file that is appended to has it near the end
 * when the server started recently.
 */
export const logHeadAndTail = async (path: string): Promise<string> => {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (from: number, length: number): Promise<string> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, from);
      return buf.subarray(0, bytesRead).toString('utf8');
    };
    if (size <= 2 * LOG_SAMPLE_BYTES) return await read(0, size);
    return `${await read(0, LOG_SAMPLE_BYTES)}\n${await read(size - LOG_SAMPLE_BYTES, LOG_SAMPLE_BYTES)}`;
  } finally {
    await fh.close();
  }
};

// ---- gathering --------------------------------------------------------------------------------

export async function gatherFacts(config: Config, explicit: ReadonlySet<keyof Config>, deps: GatherDeps): Promise<DoctorFacts> {
  const now = (deps.now ?? (() => new Date()))();
  const timedOut: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), deps.timeoutMs ?? DOCTOR_TIMEOUT_MS);
  });
  /** The part's answer, or `fallback` when it failed or the deadline came first. */
  const within = async <T>(part: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    const settled = work().then(
      (v) => ({ v }),
      () => ({ v: fallback }),
    );
    const r = await Promise.race([settled, deadline]);
    if (r === TIMEOUT) {
      if (!timedOut.includes(part)) timedOut.push(part);
      return fallback;
    }
    return r.v;
  };

  try {
    const [machine, memory, ollamaParts, sourceParts] = await Promise.all([
      within<MachineInfo | null>('machine', () => deps.memoryProbe.machine(), null),
      within<MemorySample | null>('memory', () => deps.memoryProbe.sample(now), null),
      askOllama(config.ollama, deps.api, within),
      sources(config, explicit, deps, within),
    ]);
    let probes: ProbeStatus[] = [];
    try {
      probes = deps.memoryProbe.statuses();
    } catch {
      probes = [];
    }
    // The server's settings, from the first readable log file that has a `server config` line.
    let serverConfig: Record<string, string> | null = null;
    const logText = deps.logText;
    if (logText) {
      for (const src of sourceParts.sources) {
        if (src.kind !== 'file' || !src.readable) continue;
        serverConfig = await within('log', async () => lastServerConfig(await logText(src.path)), null);
        if (serverConfig) break;
      }
    }
    return {
      at: now.toISOString(),
      platform: deps.platform,
      machine,
      memory,
      probes,
      ...sourceParts,
      ...ollamaParts,
      ...kvSettings(serverConfig, deps.env, ollamaParts.ollama.version),
      expectMlx: config.expectMlx,
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function sources(
  config: Config,
  explicit: ReadonlySet<keyof Config>,
  deps: GatherDeps,
  within: Within,
): Promise<Pick<DoctorFacts, 'sources' | 'logsExplicit' | 'autoJournal' | 'ollamaUnit'>> {
  const unknownFile: FileAccess = { found: false, readable: false, error: 'timed out', sizeBytes: null };
  const [files, ollamaUnit] = await Promise.all([
    Promise.all(config.logs.map(async (p) => [p, await within('log', () => deps.access(p), unknownFile)] as const)),
    deps.platform === 'linux'
      ? within<boolean | null>('journal', () => deps.journalUnits.unitInstalled(OLLAMA_UNIT), null)
      : Promise.resolve(null),
  ]);
  const byPath = new Map(files);
  // The same choice the agent makes at start (a missing default log on Linux → the ollama journal).
  const effective = withAutoJournal(config, explicit, {
    platform: deps.platform,
    exists: (p) => byPath.get(p)?.found ?? false,
    unitInstalled: () => ollamaUnit === true,
  });
  const autoJournal = effective.journal.length > 0 && config.journal.length === 0;
  const journals = await Promise.all(
    effective.journal.map(async (unit): Promise<JournalSourceFact> => {
      const [installed, acc] = await Promise.all([
        unit === OLLAMA_UNIT && deps.platform === 'linux'
          ? Promise.resolve(ollamaUnit)
          : within<boolean | null>('journal', () => deps.journalUnits.unitInstalled(unit), null),
        within('journal', () => deps.journalUnits.access(unit), {
          journalctl: null,
          readable: null,
          detail: 'journalctl did not answer in time',
        }),
      ]);
      return { kind: 'journal', unit, installed, ...acc };
    }),
  );
  return {
    sources: [...effective.logs.map((path): FileSourceFact => ({ kind: 'file', path, ...(byPath.get(path) ?? unknownFile) })), ...journals],
    logsExplicit: explicit.has('logs'),
    autoJournal,
    ollamaUnit,
  };
}
