// `/api/compare` → the "MLX vs Metal" table: per model, each backend's numbers and the verdict.
import { BACKEND_ORDER } from './lineSeries.js';
import { formatBackend, formatCount, formatLatency, formatRate, UNKNOWN } from '../format.js';
import { speedupText } from './summary.js';
import type { CompareResponse } from './types.js';

export interface CompareCell {
  backend: string;
  label: string;
  requests: string;
  decodeP50: string;
  decodeP95: string;
  prefillP50: string;
  latencyP50: string;
  /** Why the decode speed is unknown, when the reason is known (MLX without the proxy). */
  decodeNote: string | null;
}

/** Said in place of an MLX decode speed the log cannot give (README: "Exact token counts: the proxy"). */
export const MLX_NO_TOKENS =
  "Ollama's MLX runner logs no output-token count, so the log alone gives no MLX decode speed. " +
  'Run the agent with --proxy 127.0.0.1:11434=127.0.0.1:11435 (Ollama moved to port 11435) and the requests ' +
  'through it get exact token counts (source: both).';

export interface CompareRow {
  model: string;
  cells: CompareCell[];
  speedup: string;
}

function order(backend: string): number {
  const i = BACKEND_ORDER.indexOf(backend);
  return i === -1 ? BACKEND_ORDER.length : i;
}

export function compareRows(resp: CompareResponse): CompareRow[] {
  return resp.items.map((item) => {
    const backends = Object.keys(item.backends).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    return {
      model: item.model,
      cells: backends.map((backend) => {
        const s = item.backends[backend]!;
        return {
          backend,
          label: formatBackend(backend),
          requests: formatCount(s.requests),
          decodeP50: formatRate(s.decodeP50),
          decodeP95: formatRate(s.decodeP95),
          prefillP50: formatRate(s.prefillP50),
          latencyP50: formatLatency(s.latencyP50),
          decodeNote: backend === 'mlx' && s.decodeP50 === null && s.requests > 0 ? MLX_NO_TOKENS : null,
        };
      }),
      speedup: speedupCell(item),
    };
  });
}

/** The explanation to show under the table, once, when some MLX row has no decode speed. */
export function tableNote(rows: readonly CompareRow[]): string | null {
  return rows.some((r) => r.cells.some((c) => c.decodeNote !== null)) ? MLX_NO_TOKENS : null;
}

/** The verdict, or why there is none: an empty cell never leaves the reader guessing. */
export function speedupCell(item: CompareResponse['items'][number]): string {
  if (item.decodeSpeedup !== null && Number.isFinite(item.decodeSpeedup)) return speedupText(item.decodeSpeedup);
  const measured = (backend: string) => item.backends[backend] !== undefined && item.backends[backend].decodeP50 !== null;
  const mlx = measured('mlx');
  const metal = measured('metal');
  if (!mlx && !metal) return 'not comparable: no MLX or Metal decode speed';
  if (!mlx) return 'not comparable: no MLX run in this range';
  if (!metal) return 'not comparable: no Metal run in this range';
  return UNKNOWN;
}

/** The backends any model ran on, in display order: the table's column groups. */
export function compareBackends(resp: CompareResponse): string[] {
  const set = new Set<string>();
  for (const item of resp.items) for (const b of Object.keys(item.backends)) set.add(b);
  return [...set].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** The cell of `backend` in a row, or a row of "—" when the model never ran there. */
export function cellFor(row: CompareRow, backend: string): CompareCell {
  return (
    row.cells.find((c) => c.backend === backend) ?? {
      backend,
      label: formatBackend(backend),
      requests: UNKNOWN,
      decodeP50: UNKNOWN,
      decodeP95: UNKNOWN,
      prefillP50: UNKNOWN,
      latencyP50: UNKNOWN,
      decodeNote: null,
    }
  );
}
