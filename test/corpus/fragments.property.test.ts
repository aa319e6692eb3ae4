// "Right or null": a fragment of a log (cut at any line, from the front or the back) may know less
// than the whole log, never something else. For every load and request analyze reports in a fragment,
// each non-null backend, engine, model, ctx and kvBytes must equal what the whole log gives for the
// same record. Runs over the real users' logs in ../shared/ollama-logs (never copied into the
// repository) and the project's own re-authored corpus in test/corpus/public.
//
// Records are matched by position: a request by the access-log line it came from, a load by the lines
// whose events updated it (the whole log's load that was updated on the most of the same lines).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorrelatedRecord, NewLoad, NewRequest } from '../../agent/correlate/records.js';
import { LogPipeline } from '../../agent/pipeline/LogPipeline.js';
import { mulberry32 } from '../../agent/demo/rng.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'ollama-logs');
const PUBLIC = join(import.meta.dirname, 'public');
const sharedPresent = existsSync(SHARED);
if (!sharedPresent) {
  console.warn(
    `\n*** FRAGMENT PROPERTY SKIPPED FOR THE SHARED LOGS: ${SHARED} does not exist. The real-log corpus lives beside the repository. ***\n`,
  );
}
const logsIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .sort()
        .map((f) => join(dir, f))
    : [];
// FRAGMENT_LOG_DIRS (colon-separated) adds directories of logs not on this branch yet.
const extra = (process.env.FRAGMENT_LOG_DIRS ?? '').split(':').filter(Boolean).flatMap(logsIn);
const files = [...(sharedPresent ? logsIn(SHARED) : []), ...logsIn(PUBLIC), ...extra];

/** Logs up to this many lines are cut at every offset; longer ones at SAMPLED seeded offsets. */
const EVERY_OFFSET_UP_TO = 300;
const SAMPLED = 200;

interface LoadTrace {
  record: NewLoad;
  /** Absolute line numbers at which this load's record was (re-)emitted. */
  lines: Set<number>;
}

interface Trace {
  loads: LoadTrace[];
  /** Request records by the absolute number of the line that emitted them. */
  requests: Map<number, NewRequest>;
}

/** Feeds lines [from, to) through the live pipeline, noting at which line each record came out. */
function trace(lines: string[], from: number, to: number): Trace {
  const pipeline = new LogPipeline();
  const loads = new Map<number, LoadTrace>();
  const requests = new Map<number, NewRequest>();
  const out: CorrelatedRecord[] = [];
  const take = (at: number): void => {
    for (const r of out) {
      if (r.kind === 'load') {
        const t = loads.get(r.record.key);
        if (t) {
          t.record = r.record;
          t.lines.add(at);
        } else loads.set(r.record.key, { record: r.record, lines: new Set([at]) });
      } else if (r.kind === 'request') {
        requests.set(at, r.record);
      }
    }
    out.length = 0;
  };
  for (let i = from; i < to; i++) {
    pipeline.push(lines[i]!, out);
    take(i);
  }
  pipeline.flush(out);
  take(to);
  return { loads: [...loads.values()], requests };
}

/** The demo's seeded generator: the same cases on every run. */
const rng = (seed: number): (() => number) => mulberry32(seed).next;

function offsets(n: number, seed: number): number[] {
  if (n <= EVERY_OFFSET_UP_TO) return Array.from({ length: n - 1 }, (_, i) => i + 1);
  const r = rng(seed);
  const set = new Set<number>();
  while (set.size < SAMPLED) set.add(1 + Math.floor(r() * (n - 1)));
  return [...set].sort((a, b) => a - b);
}

const LOAD_FACTS = ['backend', 'engine', 'model', 'ctx', 'kvBytes'] as const;
const REQUEST_FACTS = ['backend', 'model', 'ctxLimit'] as const;

/** The whole log's load that was emitted on the most lines the fragment's load was emitted on. */
function sameLoad(whole: LoadTrace[], part: LoadTrace): LoadTrace | null {
  let best: LoadTrace | null = null;
  let bestShared = 0;
  for (const w of whole) {
    let shared = 0;
    for (const l of part.lines) if (w.lines.has(l)) shared++;
    if (shared > bestShared) {
      best = w;
      bestShared = shared;
    }
  }
  return best;
}

/** What the fragment [from, to) reports that the whole log contradicts, one line per fact. */
function contradictions(whole: Trace, lines: string[], from: number, to: number): string[] {
  const part = trace(lines, from, to);
  const wrong: string[] = [];
  for (const l of part.loads) {
    const w = sameLoad(whole.loads, l);
    if (!w) continue;
    for (const k of LOAD_FACTS) {
      const got = l.record[k];
      if (got !== null && got !== w.record[k])
        wrong.push(`load at line ${Math.min(...l.lines) + 1}: ${k} ${JSON.stringify(got)}, whole log ${JSON.stringify(w.record[k])}`);
    }
  }
  for (const [at, q] of part.requests) {
    const w = whole.requests.get(at);
    if (!w) continue;
    for (const k of REQUEST_FACTS) {
      const got = q[k];
      if (got !== null && got !== w[k])
        wrong.push(`request at line ${at + 1}: ${k} ${JSON.stringify(got)}, whole log ${JSON.stringify(w[k])}`);
    }
  }
  return wrong;
}

describe('right or null: fragments of a log never contradict the whole log', () => {
  it('has logs to cut', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [f.slice(f.lastIndexOf('/') + 1), f] as const))('%s', (_name, file) => {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    if (lines[lines.length - 1] === '') lines.pop();
    const whole = trace(lines, 0, lines.length);
    const wrong: string[] = [];
    offsets(lines.length, lines.length).forEach((cut) => {
      for (const w of contradictions(whole, lines, cut, lines.length)) wrong.push(`from line ${cut + 1}: ${w}`);
      for (const w of contradictions(whole, lines, 0, cut)) wrong.push(`up to line ${cut}: ${w}`);
    });
    expect(wrong.slice(0, 20), `${wrong.length} contradictions`).toEqual([]);
  });
});
