// The human report of `analyze`: what a person needs in 20 seconds — versions, the model loads (each
// one, or on a long log per model/engine/backend with the last few), throughput by model and backend,
// every incident with its evidence, and how much of the log was not understood. Unknowns print as "—", never as a guess.
import { formatBackend, formatBytes, formatNumber, UNKNOWN } from '../../shared/format.js';
import type { Analysis } from './analyzeLog.js';
import type { AnalyzeResult } from './analyzeResult.js';
import { terminalSafe } from './terminalSafe.js';

/** Settings worth showing from the `server config` map when set. */
const NOTABLE = [
  'OLLAMA_USE_MLX',
  'OLLAMA_CONTEXT_LENGTH',
  'OLLAMA_NUM_PARALLEL',
  'OLLAMA_KV_CACHE_TYPE',
  'OLLAMA_FLASH_ATTENTION',
  'OLLAMA_LLM_LIBRARY',
  'OLLAMA_MAX_LOADED_MODELS',
];

const when = (at: string | null): string => (at ? at.replace('T', ' ').replace(/\.\d+/, '') : UNKNOWN);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
  );
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Each start when there are few; per version a count and the first and last start when there are many. */
const SERVERS_IN_FULL = 5;

function servers(r: AnalyzeResult): string[] {
  if (r.servers.length === 0) return ['Ollama: no server start in this log (it begins mid-run)'];
  const describe = (s: AnalyzeResult['servers'][number]): string => {
    const devices = s.devices.map(
      (d) => `${d.library}${d.name ? ` ${d.name}` : ''}${d.totalBytes !== null ? ` (${formatBytes(d.totalBytes)})` : ''}`,
    );
    const config = NOTABLE.filter((k) => s.config[k] && s.config[k] !== '0' && s.config[k] !== 'false').map((k) => `${k}=${s.config[k]}`);
    const parts = [];
    if (devices.length) parts.push(`devices: ${devices.join(', ')}`);
    if (config.length) parts.push(config.join(' '));
    return parts.map((p) => ` · ${p}`).join('');
  };
  if (r.servers.length <= SERVERS_IN_FULL) {
    return r.servers.map((s) => `Ollama ${s.version ?? 'version unknown'} started ${when(s.at)}${describe(s)}`);
  }
  const byVersion = new Map<string, AnalyzeResult['servers']>();
  for (const s of r.servers) byVersion.set(s.version ?? 'version unknown', [...(byVersion.get(s.version ?? 'version unknown') ?? []), s]);
  const versions = [...byVersion];
  const shown = versions.slice(-SERVERS_IN_FULL);
  return [
    `Ollama started ${r.servers.length} times, as ${versions.length} version${versions.length === 1 ? '' : 's'}${versions.length > shown.length ? ` (the last ${shown.length} shown)` : ''}:`,
    ...shown.map(([v, list]) => `  ${v}: ${list.length}× from ${when(list[0]!.at)} to ${when(list.at(-1)!.at)}${describe(list.at(-1)!)}`),
  ];
}

/** Every load when there are few; else a summary per model, engine and backend and the last few loads. */
const LOADS_IN_FULL = 12;
const LAST_LOADS = 5;

function loads(r: AnalyzeResult, displayNames: readonly (string | null)[]): string[] {
  if (r.loads.length === 0) return ['Model loads: none'];
  const name = (i: number): string => {
    // The GGUF's own name, in brackets: a hint where the log gives no Ollama model name.
    const hint = displayNames[i];
    return r.loads[i]!.model ?? (hint ? `(${hint})` : UNKNOWN);
  };
  const backend = (l: AnalyzeResult['loads'][number]): string =>
    formatBackend(l.backend) + (l.device === 'cpu' && l.engine === 'mlx' ? ' (device=cpu)' : '');
  const rows = [['started', 'model', 'engine', 'backend', 'ctx/seq', 'slots', 'KV cache', 'GPU layers', 'load', 'outcome']];
  const first = r.loads.length <= LOADS_IN_FULL ? 0 : r.loads.length - LAST_LOADS;
  for (let i = first; i < r.loads.length; i++) {
    const l = r.loads[i]!;
    rows.push([
      when(l.at),
      name(i),
      l.engine ?? UNKNOWN,
      backend(l),
      formatNumber(l.ctx),
      formatNumber(l.parallel),
      formatBytes(l.kvBytes),
      l.gpuLayers !== null && l.totalLayers !== null ? `${l.gpuLayers}/${l.totalLayers}` : UNKNOWN,
      l.loadSeconds !== null ? `${l.loadSeconds.toFixed(1)} s` : UNKNOWN,
      (l.outcome ?? 'unknown') + (l.error ? `: ${l.error.slice(0, 60)}` : ''),
    ]);
  }
  if (first === 0) return [`Model loads (${r.loads.length})`, ...table(rows)];
  return [`Model loads (${r.loads.length})`, ...loadGroups(r, name, backend), '', `  The last ${LAST_LOADS}:`, ...table(rows)];
}

/** Per model, engine and backend: how many loads, first and last seen, the median load time, failures. */
function loadGroups(r: AnalyzeResult, name: (i: number) => string, backend: (l: AnalyzeResult['loads'][number]) => string): string[] {
  const groups = new Map<
    string,
    {
      model: string;
      engine: string;
      backend: string;
      count: number;
      failed: number;
      first: string | null;
      last: string | null;
      seconds: number[];
    }
  >();
  r.loads.forEach((l, i) => {
    const key = `${name(i)}\u0000${l.engine ?? UNKNOWN}\u0000${backend(l)}`;
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = {
          model: name(i),
          engine: l.engine ?? UNKNOWN,
          backend: backend(l),
          count: 0,
          failed: 0,
          first: l.at,
          last: l.at,
          seconds: [],
        }),
      );
    g.count++;
    if (l.outcome === 'failed') g.failed++;
    g.first ??= l.at;
    if (l.at !== null) g.last = l.at;
    if (l.loadSeconds !== null) g.seconds.push(l.loadSeconds);
  });
  const rows = [['model', 'engine', 'backend', 'loads', 'first seen', 'last seen', 'typical load', 'failed']];
  for (const g of [...groups.values()].sort((a, b) => b.count - a.count)) {
    const typical = median(g.seconds);
    rows.push([
      g.model,
      g.engine,
      g.backend,
      formatNumber(g.count),
      when(g.first),
      when(g.last),
      typical === null ? UNKNOWN : `${typical.toFixed(1)} s`,
      g.failed > 0 ? formatNumber(g.failed) : '',
    ]);
  }
  return table(rows);
}

function throughput(r: AnalyzeResult): string[] {
  const inference = r.requests.filter((q) => q.kind === 'inference');
  const head = `Requests: ${r.requests.length} (${inference.length} inference, ${r.requests.filter((q) => q.status >= 500).length} failed with 5xx)`;
  if (inference.length === 0) return [head];
  const groups = new Map<string, typeof inference>();
  for (const q of inference) {
    const k = `${q.model ?? UNKNOWN}\u0000${formatBackend(q.backend)}`;
    groups.set(k, [...(groups.get(k) ?? []), q]);
  }
  const rows = [['model', 'backend', 'requests', 'median latency', 'prefill tok/s', 'decode tok/s', 'max context used']];
  for (const [k, qs] of groups) {
    const [model, backend] = k.split('\u0000') as [string, string];
    const nums = (f: (q: (typeof qs)[number]) => number | null): number[] => qs.map(f).filter((x): x is number => x !== null);
    const lat = median(nums((q) => q.latencyMs));
    const used = nums((q) => q.ctxUsed);
    const limit = qs.find((q) => q.ctxLimit !== null)?.ctxLimit ?? null;
    rows.push([
      model,
      backend,
      String(qs.length),
      lat === null ? UNKNOWN : `${(lat / 1000).toFixed(2)} s`,
      formatNumber(median(nums((q) => q.prefillTps)), 1),
      formatNumber(median(nums((q) => q.decodeTps)), 1),
      used.length ? `${Math.max(...used)}${limit !== null ? ` / ${limit}` : ''}` : UNKNOWN,
    ]);
  }
  return [head, ...table(rows), '  (model/backend "—" = not attributable from the log: several runners were loaded, or none was named)'];
}

/** Every incident when there are few; per kind a count and the first few when a long log has many. */
const INCIDENTS_IN_FULL = 15;
const EXAMPLES_PER_KIND = 3;

function incidents(r: AnalyzeResult): string[] {
  if (r.incidents.length === 0) return ['Incidents: none'];
  const line = (i: AnalyzeResult['incidents'][number]): string => `  ${when(i.at)}  ${i.kind.padEnd(18)} ${i.detail}`;
  if (r.incidents.length <= INCIDENTS_IN_FULL) return [`Incidents (${r.incidents.length})`, ...r.incidents.map(line)];
  const byKind = new Map<string, AnalyzeResult['incidents']>();
  for (const i of r.incidents) byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), i]);
  const out = [`Incidents (${r.incidents.length}; per kind the first ${EXAMPLES_PER_KIND}, all of them with --json)`];
  for (const [kind, list] of byKind) {
    out.push(`  ${kind}: ${list.length}`);
    out.push(...list.slice(0, EXAMPLES_PER_KIND).map((i) => `  ${line(i)}`));
    if (list.length > EXAMPLES_PER_KIND) out.push(`      … ${list.length - EXAMPLES_PER_KIND} more, the last at ${when(list.at(-1)!.at)}`);
  }
  return out;
}

export function renderReport(a: Analysis, files: string[]): string {
  const r = a.result;
  const unparsed =
    r.unparsed === 0
      ? 'Every line was understood.'
      : [`${r.unparsed} of ${r.lines} lines were not understood, e.g.:`, ...a.samples.slice(0, 5).map((s) => `  | ${s}`)].join('\n');
  // Log text goes to a terminal: its control characters are shown, never obeyed.
  return terminalSafe(
    [
      `ollama-lens analyze — ${files.length} file${files.length === 1 ? '' : 's'}, ${r.lines} lines`,
      '',
      ...servers(r),
      '',
      ...loads(r, a.displayNames),
      '',
      ...throughput(r),
      '',
      ...incidents(r),
      '',
      unparsed,
    ].join('\n'),
  );
}
