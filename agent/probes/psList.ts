import { parseCount } from './text.js';

/** One row of `ps -axo pid=,ppid=,rss=,comm=,args=` (same columns on macOS and Linux). */
export interface PsRow {
  pid: number;
  ppid: number;
  rssBytes: number;
  /** Linux: the executable name, cut to 15 characters; macOS: usually the executable's full path. */
  comm: string;
  args: string;
}

export interface OllamaProcess {
  pid: number;
  ppid: number;
  rssBytes: number;
  /** `serve` is the API server; `runner` holds a model (ollama runner, llama-server, ollama_llama_server). */
  role: 'serve' | 'runner';
}

// `-ww`: never cut args. ps does not when stdout is a pipe, except that procps still honours COLUMNS
// from the environment, and a cut runner line could lose the word that identifies it.
export const PS_ARGS = ['-ww', '-axo', 'pid=,ppid=,rss=,comm=,args='] as const;

const ROW = /^(\d+)\s+(\d+)\s+(\d+)\s+(\S.*)$/;

/**
 * `ps -ww -axo pid=,ppid=,rss=,comm=,args=`; RSS is in KiB on both systems. A line that does not fit is
 * skipped (a process can vanish mid-listing); output with no row at all is null, since ps always lists
 * at least itself.
 */
export function parsePsList(stdout: string): PsRow[] | null {
  const rows: PsRow[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const m = ROW.exec(raw.trim());
    const pid = m?.[1] === undefined ? null : parseCount(m[1]);
    const ppid = m?.[2] === undefined ? null : parseCount(m[2]);
    const rss = m?.[3] === undefined ? null : parseCount(m[3]);
    if (m?.[4] === undefined || pid === null || ppid === null || rss === null) continue;
    rows.push({ pid, ppid, rssBytes: rss * 1024, ...splitCommArgs(m[4].trimEnd()) });
  }
  return rows.length > 0 ? rows : null;
}

/**
 * comm and args are both free text and either may contain spaces (`/Applications/My Apps/ollama`,
 * Firefox's `Web Content`), so the first space is not a reliable boundary. On macOS args starts with
 * comm's path; on Linux args contains comm (argv[0] is a path ending in it). The first gap that makes
 * either true wins, else the first gap.
 */
function splitCommArgs(rest: string): { comm: string; args: string } {
  const gaps = [...rest.matchAll(/\s+/g)].map((g) => ({ end: g.index, next: g.index + g[0].length }));
  const at = (g: { end: number; next: number }) => ({ comm: rest.slice(0, g.end), args: rest.slice(g.next) });
  const candidates = gaps.map(at);
  return (
    candidates.find((c) => c.args.startsWith(c.comm)) ??
    candidates.find((c) => c.args.includes(c.comm)) ??
    candidates[0] ?? { comm: rest, args: '' }
  );
}

const NAMES = ['ollama', 'llama-server', 'ollama_llama_server'] as const;
type Name = (typeof NAMES)[number];
// Linux cuts comm to 15 characters (TASK_COMM_LEN − 1), macOS's p_comm to 16: `ollama_llama_se`.
const MIN_CUT = 15;

function executableName(comm: string): Name | null {
  const base = comm.slice(comm.lastIndexOf('/') + 1);
  return NAMES.find((n) => n === base || (base.length >= MIN_CUT && n.startsWith(base))) ?? null;
}

/** The first argument after argv[0], found by locating the executable itself, since its path may hold spaces. */
function firstArgument(row: PsRow, name: Name): string | null {
  let rest: string | null = null;
  if (row.comm.includes('/') && row.args.startsWith(row.comm)) rest = row.args.slice(row.comm.length);
  else {
    const m = new RegExp(`(?:^|/)${name}(?=\\s|$)`).exec(row.args);
    if (m) rest = row.args.slice(m.index + m[0].length);
  }
  if (rest === null || (rest !== '' && !/^\s/.test(rest))) return null;
  return rest.trim().split(/\s+/)[0] ?? '';
}

/**
 * The Ollama processes among `rows`. The executable is judged by comm, never by words in args, so
 * `grep ollama serve` or an editor open on `ollama.go` is not Ollama. `ollama` counts only as `serve`
 * or `runner` (`ollama run`/`ollama ps` are clients). `llama-server` is a stock llama.cpp binary users
 * also run on their own, so it counts only as the child of an Ollama process.
 */
export function ollamaProcesses(rows: readonly PsRow[]): OllamaProcess[] {
  const own: OllamaProcess[] = [];
  const llamaServers: PsRow[] = [];
  for (const row of rows) {
    const name = executableName(row.comm);
    if (name === 'llama-server') llamaServers.push(row);
    else if (name === 'ollama_llama_server') own.push(proc(row, 'runner'));
    else if (name === 'ollama') {
      const sub = firstArgument(row, name);
      if (sub === 'serve' || sub === 'runner') own.push(proc(row, sub));
    }
  }
  const parents = new Set(own.map((p) => p.pid));
  const children = llamaServers.filter((r) => parents.has(r.ppid)).map((r) => proc(r, 'runner'));
  return [...own, ...children].sort((a, b) => a.pid - b.pid);
}

function proc(row: PsRow, role: OllamaProcess['role']): OllamaProcess {
  return { pid: row.pid, ppid: row.ppid, rssBytes: row.rssBytes, role };
}
