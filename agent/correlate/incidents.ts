// Incidents with their evidence. Load-level kinds are raised once per load (or per model when no load
// is known) within a server run; request-level kinds (context) once per request.
import type { IncidentKind } from '../../shared/records.js';
import { epochMs } from '../parse/timestamps.js';
import type { CorrelatedRecord } from './records.js';
import type { CorrelatorState, LoadState } from './state.js';

export interface IncidentInput {
  kind: IncidentKind;
  at: string | null;
  model: string | null;
  detail: string;
  load: LoadState | null;
  requestKey?: number | null;
  /** De-duplication key within the server run; omitted for request-level incidents. */
  once?: string;
}

/** Keeps the de-duplication list of one server run bounded even for a months-long run. */
const MAX_RAISED = 500;

export function raise(st: CorrelatorState, out: CorrelatedRecord[], i: IncidentInput): void {
  if (i.once !== undefined) {
    const raised = st.raised;
    if (raised.includes(i.once)) return;
    raised.push(i.once);
    if (raised.length > MAX_RAISED) raised.shift();
  }
  const ts = i.at ? epochMs(i.at) : NaN;
  out.push({
    kind: 'incident',
    record: {
      key: st.nextKey++,
      at: i.at,
      ts: Number.isFinite(ts) ? ts : null,
      kind: i.kind,
      model: i.model,
      detail: i.detail,
      loadKey: i.load?.key ?? null,
      requestKey: i.requestKey ?? null,
    },
  });
}

/** `load:7` or `model:qwen3:8b`: what a load-level incident is about. */
export const subject = (load: LoadState | null, model: string | null): string => (load ? `load:${load.key}` : `model:${model ?? ''}`);

/** How a detail names the model: its name, else its blob digest, else what the log lets us say. */
export function describeModel(load: LoadState | null, model: string | null = null): string {
  if (model ?? load?.model) return (model ?? load?.model)!;
  if (load?.displayName) return `${load.displayName}${load.blob ? ` (${load.blob.slice(0, 19)})` : ''}`;
  if (load?.blob) return `model ${load.blob.slice(0, 19)}`;
  return load ? 'the loaded model (unnamed in the log)' : 'the model (not identifiable from the log)';
}
